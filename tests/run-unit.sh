#!/bin/sh
# tests/run-unit.sh - run every Check test binary given and print one closing line
# with the totals ("unit: N passed, M failed").
set -u
passed=0; failed=0; bad=0
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' | tail -1)
	if [ -z "$line" ]; then
		echo "unit: $t printed no Check summary (exit $rc)"; bad=1; continue
	fi
	set -- $line "$@"
	n=$1; f=$2; e=$3; shift 3
	passed=$((passed + n - f - e)); failed=$((failed + f + e))
	[ "$rc" = 0 ] || [ $((f + e)) -gt 0 ] || bad=1
done
echo "unit: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$bad" = 0 ]
