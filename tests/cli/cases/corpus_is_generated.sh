# data/proposals.jsonl is exactly what the document importer makes from data/seeds
"$IB" --db "$TMP/c.db" import "$DATA/kommuner.csv" "$DATA"/seeds/*.txt | sed "s|$DATA/||g"
"$IB" --db "$TMP/c.db" export > "$TMP/proposals.jsonl"
cmp "$TMP/proposals.jsonl" "$DATA/proposals.jsonl" && echo "data/proposals.jsonl is up to date"
