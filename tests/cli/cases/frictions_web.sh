# What a new user found on the web page (issue 25), each answered exactly: the sort the
# list has is the one the form shows; /resultater.csv and /kurv.csv are the CLI's CSVs
# (one column table: folketal_kilde, the source and its page too); the basket counts a
# case's alternatives once and says which; a legend keeps each colour with its label;
# room to free money is not red; the råderum form shows the chosen method's field
# only, and its errors are Danish from what was asked, not from English text.
render() { "$IB" --db "$SAMPLE" serve --render "$1"; }
"$IB" --db "$SAMPLE" import --kommune Greve "$SHARED/data/greve-agendas/dagsorden/55490cd5-c0a9-465c-9b10-4c85da773fc4.json.gz" >/dev/null
echo "--- the sort shown is the sort used"
render "/" | grep -o '<option value="[a-z-]*" selected>[^<]*</option>' | tail -1
render "/?q=robot" | grep -o '<option value="[a-z-]*" selected>[^<]*</option>' | tail -1
render "/?q=+++" | grep -o '<option value="[a-z-]*" selected>[^<]*</option>' | tail -1
render "/?sort=score" | grep -o '<option value="[a-z-]*" selected>[^<]*</option>' | tail -1
echo "--- the web's CSVs are the CLI's"
"$IB" --db "$SAMPLE" search --csv >cli.csv
render "/resultater.csv" >web.csv
cmp cli.csv web.csv && echo "/resultater.csv = search --csv"
"$IB" --db "$SAMPLE" search robot --for Odense --sort score --csv >cli.csv
render "/resultater.csv?q=robot&for=Odense&sort=score" >web.csv
cmp cli.csv web.csv && echo "/resultater.csv?q=robot&for=Odense&sort=score = search robot --for Odense --sort score --csv"
head -1 web.csv | tr -d '\r'
a=$("$IB" --db "$SAMPLE" search plejeboliger --kommune Greve --csv | sed -n 's/^\([0-9]*\);.*(Model A).*/\1/p')
b=$("$IB" --db "$SAMPLE" search plejeboliger --kommune Greve --csv | sed -n 's/^\([0-9]*\);.*(Model B).*/\1/p')
"$IB" --db "$SAMPLE" basket add "$a" "$b" 8 >/dev/null
"$IB" --db "$SAMPLE" basket export --csv --for Ringsted >cli.csv
render "/kurv.csv?kurv=$a,$b,8&for=Ringsted" >web.csv
cmp cli.csv web.csv && echo "/kurv.csv = basket export --csv"
echo "--- a case's alternatives count once"
render "/kurv?kurv=$a,$b,8&for=Ringsted" | sed "s/ $a / A /g; s/ $b / B /g; s/til $a,/til A,/g; s/: $b (/: B (/g; s/til $a (/til A (/g" | grep -o '<p class="alt">.*</p>\|<p><strong>[^<]*</strong>[^<]*</p>\|alternativ til [0-9A-Z]*, tæller ikke med i summen'
echo "--- a legend keeps each colour with its label"
render "/sammenlign?kommune=Ringsted&omraade=Skoler" | grep -o '<span class="key"><span class="sw [a-z-]*"></span>[^<]*</span>'
echo "--- room to free money"
render "/raaderum.css" | grep -o '\.pos{[^}]*}'
render "/raaderum?kommune=Ringsted" | grep -o '<td class="n pos" data-l="Mulighedsrum, kr.">[^<]*</td>' | head -2
render "/raaderum?kommune=Ringsted" | grep -o '<p class="note">Mulighedsrum = [^<]*</p>'
echo "--- the råderum form is a comparison's form; its errors in Danish"
render "/raaderum?kommune=Ringsted" | grep -o '<form class="f peers" action="/raaderum"[^>]*>'
for q in "aar=2012" "gruppe=xyz" "metode=list&liste=Ringsted" "metode=list&liste=Ringsted,Sorø"; do
	render "/raaderum?kommune=Ringsted&$q" | grep -o '<p class="err" role="alert">[^<]*</p>\|<h2 class="title">[^<]*</h2>'
done
render "/api/raaderum?kommune=Ringsted&aar=2012" | grep '"error"'
