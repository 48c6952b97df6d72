#!/bin/sh
# tests/browser/run.sh - the web page in a real browser: Debian's headless chromium,
# driven over the DevTools protocol by tests/browser/cdp.c, at 1366x768 and 390x844.
# A user searches "robot", clicks a facet, sets Min kommune, selects two ideas and
# sees the basket's totals, then compares Ringsted's spending on Ældre og sundhed and
# sees the chart, then opens the råderum report of every area from there (room_steps:
# the table, one line per area, the ideas scaled to Ringsted) and prints it on A4
# (print emulation: no navigation, the charts kept, a page per area).  The answers must equal tests/browser/expected.out; screenshots go
# to $OUT (build/browser).  UPDATE=1 rewrites expected.out.
set -u
IB=${IDEABANK:-build/ideabank}
CDP=${CDP:-build/browser/cdp}
OUT=${OUT:-build/browser}
CHROMIUM=${CHROMIUM:-chromium}
if ! command -v "$CHROMIUM" >/dev/null 2>&1; then
	echo "browser: skipped: chromium not installed"
	exit 0
fi
mkdir -p "$OUT"
work=$(mktemp -d)
pid=
# chromium's helpers may still write to its profile for a moment after it closed
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work" 2>/dev/null || { sleep 1; rm -rf "$work"; }' EXIT INT TERM
# shellcheck disable=SC2046
"$IB" --db "$work/sample.db" import data/kommuner.csv data/folketal.csv \
	$(ls data/regk31_*.csv) data/proposals.jsonl >/dev/null || exit 1
"$IB" --db "$work/sample.db" serve --port 0 >"$work/serve.log" 2>&1 &
pid=$!
i=0
while ! grep -q serving "$work/serve.log" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
url=$(sed -n 's|^serving \(http://[^ ]*\)/ .*|\1|p' "$work/serve.log")
[ -n "$url" ] || { echo "browser: the server did not start"; cat "$work/serve.log"; exit 1; }

steps() { # WIDTH HEIGHT NAME
	cat <<STEPS
size $1 $2
goto $url/?q=robot
text .tools strong
shot $OUT/$3-1-search.png
click .facets a[href*="kommune=K%C3%B8benhavn"]
text .tools strong
text .facets li.on
fill #mine Ringsted
click form.mine button
text .mine-now
text table.cards thead
click table.cards tbody tr:nth-child(1) a.kurv
click .facets li.on a
text .tools strong
click table.cards tbody tr:nth-child(3) a.kurv
text nav a[href^="/kurv"]
shot $OUT/$3-2-results.png
click nav a[href^="/kurv"]
count table.cards tbody tr
text .sum
width
shot $OUT/$3-3-basket.png
click nav a[href^="/sammenlign"]
fill input[name=kommune] Ringsted
click form.f button
text form.f ~ h2
text .sum
count svg.chart rect
count svg.chart rect.own
count svg.chart rect.peer
count svg.chart line.bench
width
scroll svg.chart
shot $OUT/$3-4-peers.png
STEPS
}
room_steps() { # WIDTH HEIGHT NAME: from the peers page to the room report, and its print
	cat <<STEPS
click a.to-room
text h2.title
text .sum
count table.room tbody tr
text table.room tbody tr:nth-child(1) td.t
count svg.spark
count svg.spark polyline
count svg.trend
count section.area
count ol.ideas li
count p.noideas
text section.area ol.ideas li
count .mine-now a.mine-room
width
shot $OUT/$3-5-room.png
media print
css header display
css form.f display
css svg.spark display
css section.area break-before
css footer.kilder display
pdf $OUT/$3-room.pdf
media screen
css header display
STEPS
}
actual="$work/actual.out"
for size in "1366 768 desktop" "390 844 phone"; do
	set -- $size
	echo "== $3 ($1x$2)"
	{ steps "$@"; room_steps "$@"; } | "$CDP" "$CHROMIUM" "$work/profile-$3" || echo "cdp failed: $?"
done >"$actual" 2>&1
if [ "${UPDATE:-0}" = 1 ]; then
	cp "$actual" tests/browser/expected.out
fi
if cmp -s "$actual" tests/browser/expected.out; then
	echo "browser: passed ($(ls "$OUT"/*.png | wc -l) screenshots, $(ls "$OUT"/*.pdf | wc -l) PDFs in $OUT)"
else
	echo "FAIL: browser"
	diff -u tests/browser/expected.out "$actual" | head -40
	exit 1
fi
