#!/bin/sh
# tests/fuzz/run.sh - run each libFuzzer target for a while (make fuzz).
# usage: run.sh BUILD_DIR SECONDS SHARED TARGET...
# Each target fuzzes into BUILD_DIR/corpus/TARGET (kept between runs), reading its seeds
# from tests/fuzz/corpus/TARGET and the folders listed below; an input that breaks it is
# saved under BUILD_DIR/crashes/TARGET/.  One line per target: execs, speed, corpus,
# outcome.  Exits 1 when any target found a crash, a leak or a timeout.
set -u
b=$1; seconds=$2; shared=$3; shift 3
failed=0
for t in "$@"; do
	extra=""; max_len=4096
	case $t in
	fuzz_doc) extra="data/seeds"; max_len=65536 ;;
	fuzz_feed_jsonl | fuzz_feed_csv) extra="tests/fixtures/mini"; max_len=16384 ;;
	fuzz_statbank_csv | fuzz_statbank_json)
		[ -d "$shared/data/dst-api-fixtures" ] && extra="$shared/data/dst-api-fixtures"
		max_len=16384 ;;
	esac
	mkdir -p "$b/corpus/$t" "$b/crashes/$t"
	log=$b/$t.log
	# shellcheck disable=SC2086
	"$b/$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=$max_len \
		-print_final_stats=1 -artifact_prefix="$b/crashes/$t/" \
		"$b/corpus/$t" "tests/fuzz/corpus/$t" $extra >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
	n=$(find "$b/corpus/$t" -type f | wc -l)
	if [ "$rc" = 0 ]; then
		echo "$t: ${execs:-?} execs in ${secs:-?} s, corpus $n inputs, no crash"
	else
		failed=1
		echo "$t: FAILED after ${execs:-?} execs (exit $rc); log $log, input saved in $b/crashes/$t/"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz:)|runtime error' "$log" | head -5
	fi
done
exit $failed
