# Feeds are stored in the order given, streamed (JSON Lines) or read whole (CSV): the
# later file's version of a proposal wins, whatever its format.
printf 'kommunekode;budget_year;title;effect_kr;source\n329;2030;Samme idé;1000;feed\n' >a.csv
printf '{"kommunekode":"329","budget_year":2030,"title":"Samme idé","effect_kr":2000,"source":"feed"}\n' >b.jsonl
"$IB" --db "$TMP/ab.db" import "$DATA/kommuner.csv" "$DATA/folketal.csv" a.csv b.jsonl
"$IB" --db "$TMP/ab.db" search --csv | tr -d '\r' | cut -d';' -f6,10
"$IB" --db "$TMP/ba.db" import "$DATA/kommuner.csv" "$DATA/folketal.csv" b.jsonl a.csv
"$IB" --db "$TMP/ba.db" search --csv | tr -d '\r' | cut -d';' -f6,10
