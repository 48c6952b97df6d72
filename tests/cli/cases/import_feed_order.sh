# One import takes a proposal once (issue 22, F5): the same proposal in a CSV and a
# JSON Lines file of one import is an error naming both places, whichever comes first
# (before: "1 new, 1 updated", the later file winning), and nothing is stored.  Given
# in two imports, the later import's version wins, whatever its format.
printf 'kommunekode;budget_year;title;effect_kr;source\n329;2030;Samme idé;1000;feed\n' >a.csv
printf '{"kommunekode":"329","budget_year":2030,"title":"Samme idé","effect_kr":2000,"source":"feed"}\n' >b.jsonl
"$IB" --db "$TMP/ab.db" import "$DATA/kommuner.csv" "$DATA/folketal.csv" a.csv b.jsonl
echo "exit $?"
"$IB" --db "$TMP/ab.db" import "$DATA/kommuner.csv" "$DATA/folketal.csv" b.jsonl a.csv
echo "exit $?"
ls "$TMP" | grep -c ab.db
"$IB" --db "$TMP/ab.db" import a.csv
"$IB" --db "$TMP/ab.db" import b.jsonl
"$IB" --db "$TMP/ab.db" search --csv | tr -d '\r' | cut -d';' -f6,10
"$IB" --db "$TMP/ba.db" import b.jsonl
"$IB" --db "$TMP/ba.db" import a.csv
"$IB" --db "$TMP/ba.db" search --csv | tr -d '\r' | cut -d';' -f6,10
