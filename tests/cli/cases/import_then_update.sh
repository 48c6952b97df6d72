# Importing a feed twice stores it once; a changed proposal is updated in place.
printf '{"kommunekode":"329","budget_year":2030,"title":"Ny idé","effect_kr":1000,"source":"f.jsonl"}\n' >f.jsonl
"$IB" --db "$TMP/new.db" import "$DATA/kommuner.csv" "$DATA/folketal.csv" f.jsonl
"$IB" --db "$TMP/new.db" import f.jsonl
printf '{"kommunekode":"329","budget_year":2030,"title":"Ny idé","effect_kr":2000,"source":"f.jsonl"}\n' >f.jsonl
"$IB" --db "$TMP/new.db" import f.jsonl
"$IB" --db "$TMP/new.db" search --csv | tr -d '\r' | sed 's/^\xEF\xBB\xBF//'
