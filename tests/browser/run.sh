#!/bin/sh
# tests/browser/run.sh - the web page in a real browser: Debian's headless chromium,
# driven over the DevTools protocol by tests/browser/cdp.c, at 1366x768, 390x844 and
# 360x740.  The sample is data/ plus Greve's recorded agendas ($SHARED), as `make run`
# builds it.  Each page has its function below: what a user does there and what is
# checked.  On every page visited: nothing wider than the viewport ("fits"), the
# accessibility checks ("a11y": every control named, landmarks and headings in order,
# tables with header cells, text contrast >= 4.5:1) and a visible focus on every
# element Tab reaches ("focus").  From the comparison the user opens the råderum report
# of every area (room_page: the table, one line per area, the ideas scaled to Ringsted)
# and prints it on A4 (print emulation: no navigation, the charts kept, a page per
# area).  The answers must equal tests/browser/expected.out;
# screenshots go to $OUT (build/browser).  UPDATE=1 rewrites expected.out.
set -u
IB=${IDEABANK:-build/ideabank}
CDP=${CDP:-build/browser/cdp}
OUT=${OUT:-build/browser}
SHARED=${SHARED:-../shared}
CHROMIUM=${CHROMIUM:-chromium}
AGENDAS="$SHARED/data/greve-agendas/dagsorden"
if ! command -v "$CHROMIUM" >/dev/null 2>&1; then
	echo "browser: skipped: chromium not installed"
	exit 0
fi
if [ ! -d "$AGENDAS" ]; then
	echo "FAIL: browser: no Greve agendas at $AGENDAS (the agenda case page needs them)"
	exit 1
fi
mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/*.pdf
work=$(mktemp -d)
pid=
# chromium's helpers may still write to its profile for a moment after it closed
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work" 2>/dev/null || { sleep 1; rm -rf "$work"; }' EXIT INT TERM
# shellcheck disable=SC2046
"$IB" --db "$work/sample.db" import data/kommuner.csv data/folketal.csv \
	$(ls data/regk31_*.csv) data/proposals.jsonl >/dev/null || exit 1
"$IB" --db "$work/sample.db" import --kommune Greve "$AGENDAS" >/dev/null || exit 1
: >"$work/serve.log" # there before the wait loop reads it (the server's shell opens it later)
"$IB" --db "$work/sample.db" serve --port 0 >"$work/serve.log" 2>&1 &
pid=$!
i=0
while ! grep -q serving "$work/serve.log" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
url=$(sed -n 's|^serving \(http://[^ ]*\)/ .*|\1|p' "$work/serve.log")
[ -n "$url" ] || { echo "browser: the server did not start"; cat "$work/serve.log"; exit 1; }

# checks NAME: what every page visited is checked for, and its screenshots (the whole
# page too on a phone)
checks() {
	cat <<STEPS
fits
a11y
shot $OUT/$name-$1.png
STEPS
	[ "$width" -lt 600 ] && echo "fullshot $OUT/$name-$1-hel.png"
	echo focus
}

# The search: the syntax hint, facets (collapsed above the results on a phone), Min
# kommune with its legend, a proposal of Min kommune itself not projected onto it,
# and "Vælg forslag" that comes back to the same row.
search_page() {
	cat <<STEPS
goto $url/?q=robot
text .tools h2
text #q-tip
visible .facets h3
press details.facets > summary
visible .facets h3
STEPS
	checks search
	cat <<STEPS
click .facets a[href*="kommune=K%C3%B8benhavn"]
text .tools h2
text .facets summary
press details.facets > summary
text .facets li.on
fill #mine Ringsted
click form.mine button
text .mine-now
text table.cards thead
text #forklaring
click .facets li.on a
text .tools
text table.cards tbody tr:nth-child(3) td:nth-child(5)
goto $url/?for=Ringsted
click table.cards tbody tr:nth-child(30) a.kurv
url
inview table.cards tbody tr:nth-child(30)
text table.cards tbody tr:nth-child(30) a.kurv
click table.cards tbody tr:nth-child(2) a.kurv
inview table.cards tbody tr:nth-child(2)
text nav a[href^="/kurv"]
STEPS
}

# The basket of the two chosen, projected onto Min kommune.
basket_page() {
	cat <<STEPS
click nav a[href^="/kurv"]
count table.cards tbody tr
text .sum
STEPS
	checks basket
}

# A proposal from a document: its figures explained, its source said plainly to have
# no address, the file name and hash behind "Detaljer".
proposal_document_page() {
	cat <<STEPS
goto $url/?q=sk%C3%A6rmbes%C3%B8g&kommune=Ringsted&for=Ringsted
click table.cards tbody tr:nth-child(1) td.t a
text main h2
text #effekt
text #pr-indbygger
text #min-kommune
text #kilde
visible details.detaljer dl
text table caption
STEPS
	checks proposal-document
}

# An agenda case: its source and every decision linked to the agenda portal.
proposal_case_page() {
	cat <<STEPS
goto $url/?kommune=Greve&q=Freyas&for=Ringsted
click table.cards tbody tr:nth-child(1) td.t a
text main h2
text #kilde
count #kilde a[href^="https://dagsordener.greve.dk/vis?id="]
count .behandlet li
count .behandlet a[href^="https://dagsordener.greve.dk/vis?id="]
text #min-kommune
STEPS
	checks proposal-case
}

# The comparison: only the chosen method's fields, a typo answered with a link,
# horizontal bars readable on a phone, the distance explained.
peers_page() {
	cat <<STEPS
goto $url/sammenlign?for=Ringsted
visible input[name=k]
visible input[name=liste]
fill select[name=metode] list
visible input[name=liste]
visible input[name=n]
fill input[name=liste] Køge, Sorøø, Faxe
click form.f button
text p.err
click p.err a
text form.f ~ h2
text .sum
count .hbars li
count .hbars li.own
count svg.chart rect
count svg.chart rect.own
count svg.chart rect.peer
count svg.chart line.bench
together .legend .key
STEPS
	checks peers
	cat <<STEPS
goto $url/sammenlign?kommune=Ringsted&metode=nearest
visible input[name=k]
text table.rank thead
text #afstand
fits
STEPS
}

# The råderum report, from the comparison's link: the table, one SVG line per area,
# the ideas scaled to the municipality, and its print on A4.
room_page() {
	cat <<STEPS
goto $url/sammenlign?kommune=Ringsted&omraade=%C3%86ldre+og+sundhed&for=Ringsted
click a.to-room
visible input[name=k]
visible input[name=n]
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
STEPS
	checks room
	cat <<STEPS
media print
css header display
css form.f display
css svg.spark display
css section.area break-before
css footer.kilder display
pdf $OUT/$name-room.pdf
media screen
css header display
STEPS
}

actual="$work/actual.out"
for size in "1366 768 desktop" "390 844 phone" "360 740 phone360"; do
	set -- $size
	width=$1 name=$3
	echo "== $3 ($1x$2)"
	{
		echo "size $1 $2"
		search_page
		basket_page
		proposal_document_page
		proposal_case_page
		peers_page
		room_page
	} | "$CDP" "$CHROMIUM" "$work/profile-$3" || echo "cdp failed: $?"
done >"$actual" 2>&1
if [ "${UPDATE:-0}" = 1 ]; then
	cp "$actual" tests/browser/expected.out
fi
if cmp -s "$actual" tests/browser/expected.out; then
	echo "browser: passed ($(ls "$OUT"/*.png | wc -l) screenshots, $(ls "$OUT"/*.pdf | wc -l) PDFs in $OUT)"
else
	echo "FAIL: browser"
	diff -u tests/browser/expected.out "$actual" | head -60
	exit 1
fi
