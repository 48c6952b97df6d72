# Every proposal page of the sample (data/ and Greve's recorded agendas, as `make run`
# builds it) shows its source as a link, or says plainly that the document has no
# address; an agenda case links its source and each decision to the agenda portal;
# file names, hashes and line numbers are behind "Detaljer", not on the main view.
"$IB" --db "$SAMPLE" import --kommune Greve "$SHARED/data/greve-agendas/dagsorden" >/dev/null
render() { "$IB" --db "$SAMPLE" serve --render "$1"; }
ids=$("$IB" --db "$SAMPLE" search --csv | sed -n 's/^\([0-9][0-9]*\);.*/\1/p' | sort -n)
linked=0 plain=0 neither=0 decisions=0 decisions_linked=0 leaked=0
for id in $ids; do
	render "/forslag?id=$id" >page.html
	kilde=$(grep -o '<dd id="kilde">.*</dd>' page.html)
	if printf '%s' "$kilde" | grep -q '<a rel="noopener noreferrer" href="https\?://'; then
		linked=$((linked + 1))
	elif printf '%s' "$kilde" | grep -q 'har ingen kendt webadresse\.\|webadresse kendes ikke\.'; then
		plain=$((plain + 1))
	else
		neither=$((neither + 1))
		echo "proposal $id: $kilde"
	fi
	n=$(sed -n '/<ul class="behandlet">/,/<\/ul>/p' page.html | grep -c '^<li>')
	l=$(sed -n '/<ul class="behandlet">/,/<\/ul>/p' page.html | grep -c '^<li>.*<a rel="noopener noreferrer" href="https://dagsordener.greve.dk/vis?id=[0-9a-f-]*\(&amp;punktid=[0-9a-f-]*\)\?">punkt [0-9]*</a>')
	decisions=$((decisions + n)) decisions_linked=$((decisions_linked + l))
	# the main view: everything before the Detaljer disclosure
	if sed '/<details class="detaljer">/,$d' page.html | grep -q '[0-9a-f]\{64\}\|\.txt\|\.json\.gz\|Kilde (linje)\|Kilde (side'; then
		leaked=$((leaked + 1))
		echo "proposal $id: a file name, hash or line number on the main view"
	fi
done
echo "$(echo $ids | wc -w) proposal pages: $linked link their source, $plain say the document has no address, $neither neither"
echo "decisions: $decisions_linked of $decisions linked to their meeting on the portal"
echo "main views with a file name, hash or line number: $leaked"
echo "--- a document proposal, an agenda case"
render '/forslag?id=7' | grep -o '<dd id="kilde">.*</dd>'
id=$("$IB" --db "$SAMPLE" search Freyas --kommune Greve --csv | sed -n 's/^\([0-9][0-9]*\);.*/\1/p')
render "/forslag?id=$id" | grep -o '<dd id="kilde">.*</dd>\|<li>2023-02-06 Sundheds.*punkt 4</a>'
render "/forslag?id=$id" | sed -n '/<details class="detaljer">/,/<\/details>/p' | grep -c 'json.gz#punkt-'
echo "--- a PDF source with its page, fetched agenda items on their own portal"
printf '%s\n' \
 '{"kommunekode":"329","budget_year":2025,"title":"Forslag fra en PDF","kind":"andet","effect_kr":1000,"source":"https://example.org/b.pdf","page":7}' \
 '{"kommunekode":"253","budget_year":2025,"title":"Sag hentet fra portalen","kind":"andet","effect_kr":1000,"source":"https://dagsordener.example.dk/api/agenda/dagsorden/abc-123#punkt-4","case_key":"25-000001","appearances":[{"committee":"Byråd","date":"2025-01-27","item":"4","decision":"Godkendt.","url":"https://dagsordener.example.dk/api/agenda/dagsorden/abc-123#punkt-4"}]}' \
 '{"kommunekode":"101","budget_year":2025,"title":"Sag uden kendt portal","kind":"andet","effect_kr":1000,"source":"m1.json#punkt-2","case_key":"25-000002","appearances":[{"committee":"Økonomiudvalget","date":"2025-01-20","item":"2","url":"m1.json#punkt-2"}]}' \
 >more.jsonl
"$IB" --db "$SAMPLE" import more.jsonl >/dev/null
for q in PDF portalen 'uden kendt portal'; do
	id=$("$IB" --db "$SAMPLE" search "$q" --csv | sed -n 's/^\([0-9][0-9]*\);.*/\1/p' | head -1)
	render "/forslag?id=$id" | grep -o '<dd id="kilde">.*</dd>\|<li>2025.*</li>'
done
