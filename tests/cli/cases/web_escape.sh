# The web page renders hostile titles as text on every page and in the JSON, shows an
# unknown yearly value as "?", writes CSV in the CLI's Excel format, and its "similar
# proposals" link finds others.  A feed's text holds no control character (\u0002 and
# \u0003 mark a snippet's matches): it is refused at the door.
printf '%s\n' \
 '{"kommunekode":"329","budget_year":2025,"title":"<script>alert(1)</script>","summary":"Hjemmepleje med rå markering","text":"tekst","kind":"andet","effect_kr":1000,"source":"https://example.org/b.pdf","years":[{"year":2025,"net":null},{"year":2026,"net":-1.5}]}' \
 '{"kommunekode":"329","budget_year":2025,"title":"\"><img src=x onerror=alert(1)>","summary":"hjemmepleje","text":"tekst","kind":"andet","source":"x.pdf"}' \
 >xss.jsonl
"$IB" --db "$SAMPLE" import xss.jsonl
printf '%s\n' '{"kommunekode":"329","budget_year":2025,"title":"x","summary":"med \u0002rå\u0003","source":"x"}' >ctl.jsonl
"$IB" --db "$SAMPLE" import ctl.jsonl
ids=$("$IB" --db "$SAMPLE" search alert --csv | sed -n 's/^\([0-9][0-9]*\);.*/\1/p' | sort -n | tr '\n' ' ')
set -- $ids
render() { "$IB" --db "$SAMPLE" serve --render "$1"; }
for path in "/?q=alert" "/?q=alert&sort=score&for=Ringsted" "/forslag?id=$1" "/forslag?id=$2" \
	"/kurv?kurv=$1,$2&for=Ringsted" "/api/search?q=alert" "/api/proposal/$1" "/api/proposal/$2" \
	"/resultater.csv?q=alert" "/kurv.csv?kurv=$1,$2"; do
	out=$(render "$path")
	raw=$(printf '%s' "$out" | grep -c -e '<script>alert' -e '<img src=x')
	esc=$(printf '%s' "$out" | grep -c -e '&lt;script&gt;alert' -e '&quot;&gt;&lt;img src=x' \
		-e '\\u003cscript' -e '<script>alert(1)</script>\\"' -e 'script>alert(1)</script>"' \
		-e 'img src=x onerror=alert(1)>"')
	ctl=$(printf '%s' "$out" | tr -d '\n\t\r' | tr -d '\040-\176\200-\377' | wc -c)
	echo "$path: raw $raw, escaped or quoted lines $esc, control bytes $ctl"
done
render "/forslag?id=$1" | grep -E 'Hjemmepleje med|<td class="n">\?|example.org'
render "/kurv.csv?kurv=$1,8&for=Ringsted" | od -c | sed -n '1,2p'
echo "--- similar proposals for a title with an en dash"
id=$("$IB" --db "$SAMPLE" search '"servicelovens § 82b"' --csv | sed -n 's/^\([0-9][0-9]*\);.*/\1/p' | head -1)
link=$(render "/forslag?id=$id" | sed -n 's/.*<a href="\([^"]*\)">Søg efter lignende forslag.*/\1/p' | sed 's/&amp;/\&/g')
echo "$link"
render "$link" | grep -o 'id="resultater">[0-9]* forslag'
