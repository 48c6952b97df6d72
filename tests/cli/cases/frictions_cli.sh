# What a new user found on the command line (issue 25), each answered exactly: a query
# of blanks is no query; --year, --population and --effect take the web page's range
# syntax; an unknown --area is a data error (exit 3) in search as in peers; names and
# areas typed in ASCII find their municipality or area; Model A and Model B of one
# case stay apart in a table whose titles are cut, and the basket counts a case's
# alternatives once, saying which; the CSVs name the source and page; room says what
# its kr. are scaled by, and names an own list.
ib() { "$IB" --db "$SAMPLE" "$@"; }
total() { sed -n 's/^	"total":	\([0-9]*\),$/\1/p'; }
echo "--- a query of blanks is no query"
ib search "" --json | total
ib search "   " --json | total
ib search "   " --json | grep '"query"'
ib search "   " >/dev/null; echo "exit $?"
echo "--- one range syntax"
for y in 2021..2024 2021-2024 "2021–2024" "2021 - 2024" 2023.. 2023- ..2016 2016; do
	printf '%s: %s\n' "$y" "$(ib search --year "$y" --json | total)"
done
ib search --population 20000-60000 --json | total
ib search --population 20000..60000 --json | total
ib search --effect "100.000 - 1.000.000" --json | total
ib search --effect 100000..1000000 --json | total
ib search --year 2024-2021; echo "exit $?"
echo "--- an unknown area is a data error, as in peers"
ib search --area Sundhed >/dev/null 2>&1; echo "search: exit $?"
ib peers Ringsted --area Sundhed >/dev/null 2>&1; echo "peers: exit $?"
echo "--- names and areas in ASCII"
ib search --kommune Kobenhavn --area "Aeldre og sundhed" --json | total
ib search --kommune København --area "Ældre og sundhed" --json | total
ib search --area "teknik og miljo" --json | total
ib search --for "Hoeje Taastrup" --limit 1 | tail -1
ib peers "Høje Taastrup" --area Skoler --json | grep -m1 '"kommune"'
ib peers Laeso --area Skoler --json | grep -m1 '"kommune"'
ib room Aero --ideas 0 | head -1
echo "--- Model A and Model B"
ib import --kommune Greve "$SHARED/data/greve-agendas/dagsorden/55490cd5-c0a9-465c-9b10-4c85da773fc4.json.gz" >/dev/null
COLUMNS=100 ib search plejeboliger --kommune Greve
# the two models of 23-003614 and the bus-route saving, by their titles (ids depend on
# what the classifier stores)
a=$(ib search plejeboliger --kommune Greve --csv | sed -n 's/^\([0-9]*\);.*(Model A).*/\1/p')
b=$(ib search plejeboliger --kommune Greve --csv | sed -n 's/^\([0-9]*\);.*(Model B).*/\1/p')
m=$(ib search Movias --kommune Greve --csv | sed -n 's/^\([0-9]*\);.*Besparelser på Movias.*/\1/p')
ib basket add "$a" "$b" "$m" >/dev/null
COLUMNS=100 ib basket list --for Greve
ib basket export --csv --for Greve | tr -d '\r' | cut -d';' -f1,10,15,19-
echo "--- the CSVs name the source and its page"
ib search skærmbesøg --csv | tr -d '\r' | cut -d';' -f1,15-
ib search --kommune København --limit 2 --csv | tr -d '\r' | cut -d';' -f1,15-
printf '{"kommunekode":"329","budget_year":2030,"title":"Side 12","effect_kr":1000,"source":"https://example.dk/budget.pdf","page":12}\n' >paged.jsonl
ib import paged.jsonl >/dev/null
ib search --year 2030 --kommune Ringsted --csv | tr -d '\r' | cut -d';' -f1,15-
echo "--- room: what the kr. are scaled by, the rank, an own list by name"
ib room Ringsted --method list:Køge,Sorø --ideas 1 | sed -n '2p;/^Mulighedsrum/p;/^Rang/p;/^Daginstitutioner:/p'
ib room Ringsted --ideas 1 | grep -m1 "kr. om året  "
ib room Ringsted --method list:Køge,Sorø --csv | tr -d '\r' | sed -n '1p;2p' | awk -F';' '{ print $1 ";" $(NF-3) ";" $(NF-2) ";" $(NF-1) ";" $NF }'
