# An index built without the word list (no compound parts) is rebuilt when the next
# process has it, so "robot" finds the compounds and FTS5's integrity check holds.
IDEABANK_WORDLIST=/nonexistent "$IB" --db "$TMP/w.db" import "$DATA/kommuner.csv" "$DATA/proposals.jsonl" | tail -1
IDEABANK_WORDLIST=/nonexistent "$IB" --db "$TMP/w.db" search robot --csv | cut -d';' -f6
echo "--- with the word list"
"$IB" --db "$TMP/w.db" search robot --csv | cut -d';' -f6
"$IB" --db "$TMP/w.db" stats | head -1
