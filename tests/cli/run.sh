#!/bin/sh
# tests/cli/run.sh - end-to-end tests: run the built tool and compare exact output.
#
# Each case in tests/cli/cases/ is either
#   NAME.cmd  one line of arguments (shell words) run as `ideabank --db SAMPLE <args>`
#             against a fresh copy of the sample database built from data/, or
#   NAME.sh   a shell script run with $IB (the tool), $SAMPLE (a fresh copy of the
#             sample database), $TMP (an empty scratch folder), $DATA (data/) and
#             $SHARED (../shared) in its environment,
# and NAME.out holds the expected stdout and stderr together, then "exit: N".
# UPDATE=1 rewrites the .out files (read the diff before committing them).
set -u
IB=${IDEABANK:-build/ideabank}
SHARED=${SHARED:-../shared}
case "$IB" in /*) ;; *) IB="$(pwd)/$IB" ;; esac
case "$SHARED" in /*) ;; *) SHARED="$(pwd)/$SHARED" ;; esac
DATA="$(pwd)/data"
CASES="$(pwd)/tests/cli/cases"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
export LC_ALL=C.UTF-8 COLUMNS=120 IB SHARED DATA
unset IDEABANK_DB

# the sample database, built once, copied per case
sample_files=$(ls "$DATA"/kommuner.csv "$DATA"/folketal.csv "$DATA"/regk31_*.csv \
	"$DATA"/*.jsonl 2>/dev/null)
# shellcheck disable=SC2086
if ! "$IB" --db "$work/sample.db" import $sample_files >"$work/import.log" 2>&1; then
	echo "cli: cannot build the sample database:"; cat "$work/import.log"; exit 1
fi

pass=0; fail=0
for c in "$CASES"/*.cmd "$CASES"/*.sh; do
	[ -e "$c" ] || continue
	name=$(basename "$c"); name=${name%.*}
	TMP="$work/$name"; mkdir -p "$TMP"; export TMP
	SAMPLE="$TMP/sample.db"; export SAMPLE
	cp "$work/sample.db" "$SAMPLE"
	out="$TMP/actual.out"
	case "$c" in
	*.cmd) args=$(cat "$c")
	       (cd "$TMP" && eval "\"\$IB\" --db \"\$SAMPLE\" $args") >"$out" 2>&1 ;;
	*.sh)  (cd "$TMP" && sh "$c") >"$out" 2>&1 ;;
	esac
	echo "exit: $?" >>"$out"
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$out" "$CASES/$name.out"
	fi
	if cmp -s "$out" "$CASES/$name.out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: cli/$name"
		diff -u "$CASES/$name.out" "$out" | head -40
	fi
done
echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
