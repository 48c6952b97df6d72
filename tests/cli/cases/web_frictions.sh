# The web page's small frictions (issue 27), each answered exactly: one range syntax
# for every range field (the same proposals as the CLI's A..B), a query of blanks is
# no query, suggestions are links, no empty facet blocks, the search-syntax hint, the
# basket toggle comes back to its row, Min kommune's own proposals are not projected
# onto it, no sum across municipalities and years, and the comparison's own list is
# used without a method.
render() { "$IB" --db "$SAMPLE" serve --render "$1"; }
# the number of proposals /api/search finds
api() { render "/api/search?$1" | sed -n 's/^	"total":	\([0-9]*\),$/\1/p'; }
cli() { "$IB" --db "$SAMPLE" search "$@" --json | sed -n 's/^	"total":	\([0-9]*\),$/\1/p'; }
echo "--- one range syntax: the web's forms against the CLI's A..B"
for pair in "folketal=20000-60000|--population 20000..60000" \
	"folketal=20.000..60.000|--population 20000..60000" \
	"folketal=20000-|--population 20000.." \
	"folketal=..60000|--population ..60000" \
	"folketal=-60000|--population ..60000" \
	"folketal=34847|--population 34847..34847" \
	"effekt=125000|--effect 125000..125000" \
	"effekt=1000000|--effect 1000000..1000000" \
	"effekt=1.000.000-|--effect 1000000.." \
	"effekt=100.000 - 1.000.000|--effect 100000..1000000" \
	"effekt=..-100000|--effect ..-100000" \
	"effekt=-1000000-0|--effect -1000000..0" \
	"aar=2021-2024|--year 2021..2024" \
	"aar=2021–2024|--year 2021..2024" \
	"aar=2023..|--year 2023..2100" \
	"aar=..2016|--year 1990..2016" \
	"aar=2016|--year 2016"; do
	web=${pair%%|*} opts=${pair#*|}
	# shellcheck disable=SC2086
	echo "$web: $(api "$(echo "$web" | sed 's/ /%20/g')") on the web, $(cli $opts) in the CLI"
done
echo "--- ranges the web refuses"
for bad in "folketal=abc" "folketal=60000-20000" "effekt=5-1" "effekt=.." "aar=2021-20x4"; do
	echo "$bad: $(render "/?$bad" | sed -n 's/.*<p class="err" role="alert">\([^<]*\)<.*/\1/p')"
done
echo "--- a query or a range field of blanks is empty"
echo "q=: $(api 'q='), q=%20%20: $(api 'q=%20%20'), page: $(render '/?q=%20%20' | grep -o 'id="resultater">[0-9]* forslag')"
echo "folketal=%20%20&aar=%20: $(api "folketal=%20%20&aar=%20"), page: $(render "/?folketal=%20%20&aar=%20" | grep -o "id=\"resultater\">[0-9]* forslag\|Flere filtre[^<]*")"
echo "--- suggestions are links"
render '/?kommune=Ringsteed&q=robot' | grep -o '<p class="err".*</p>'
render '/?for=Ringsteed' | grep -o '<p class="err".*</p>'
render '/sammenlign?kommune=Ringsted&liste=K%C3%B8ge,Sor%C3%B8%C3%B8,Faxe' | grep -o '<p class="err".*</p>'
render '/sammenlign?kommune=Ringstd' | grep -o '<p class="err".*</p>'
echo "--- the own list without a method is the method"
render '/sammenlign?kommune=Ringsted&liste=K%C3%B8ge,Sor%C3%B8,Faxe' | grep -o 'Sammenlignet med: [^;]*;\|<option value="list" selected>'
echo "--- no empty facet blocks"
echo "no match: $(render '/?q=zzqqxx' | grep -c '<h3>\|class="facets"') facet lines"
render '/?q=zzqqxx&kommune=Ringsted' | grep -o '<summary>Afgræns[^<]*</summary>\|<h3>[^<]*</h3>\|<li class="on">[^<]*'
echo "--- the search-syntax hint, tied to the search box"
render '/' | grep -o 'aria-describedby="q-tip"\|<p class="note wide" id="q-tip">.*</p>'
echo "--- Vælg forslag comes back to its row"
render '/?q=robot' | grep -o '<tr id="f8">\|href="/?q=robot&amp;kurv=8#f8" aria-describedby="t8"\|<a id="t8"'
echo "--- Min kommune's own proposals are shown as they are"
render '/?q=robot&for=Ringsted' | grep -o '<td class="n" data-l="I Ringsted, kr./år">[^<]*</td>'
render '/forslag?id=8&for=Ringsted' | grep -o '<dd id="min-kommune">[^<]*</dd>'
render '/kurv.csv?kurv=8,29&for=Ringsted' | tr -d '\r' | cut -d';' -f1,10,15-18
echo "--- no total across municipalities and years"
echo "Samlet effekt: $(render '/' | grep -c 'Samlet effekt')"
render '/' | grep -o '<div class="tools">.*</p>'
