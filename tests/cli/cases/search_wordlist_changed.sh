# An index built without the word list (no compound parts) is rebuilt by the next
# process that writes with it, so "robot" finds the compounds and FTS5's integrity
# check holds.  A read command only notes the change: it never rewrites the index.
IDEABANK_WORDLIST=/nonexistent "$IB" --db "$TMP/w.db" import "$DATA/kommuner.csv" "$DATA/proposals.jsonl" | tail -1
IDEABANK_WORDLIST=/nonexistent "$IB" --db "$TMP/w.db" search robot --csv | cut -d';' -f6
echo "--- with the word list, read-only"
"$IB" --db "$TMP/w.db" search robot --csv | cut -d';' -f6
echo "--- after a write"
"$IB" --db "$TMP/w.db" basket clear
"$IB" --db "$TMP/w.db" search robot --csv | cut -d';' -f6
"$IB" --db "$TMP/w.db" stats | head -1
