# On a terminal, an import of 1.000 proposals or more and any rebuild of the search
# index draw a progress bar on stderr (one redraw per percent, cleared at the end);
# elsewhere nothing is drawn.
awk 'BEGIN { for (i = 1; i <= 1500; i++)
	printf "{\"kommunekode\":\"329\",\"budget_year\":2030,\"title\":\"Idé %d\",\"source\":\"big.jsonl\"}\n", i }' >big.jsonl
bars() { tr '\r' '\n' | sed 's/\x1b\[K//g' | grep '\] '; }
script -qec "'$IB' --db '$TMP/p.db' import big.jsonl" /dev/null >tty.txt
bars <tty.txt | head -2
bars <tty.txt | tail -1
echo "redraws: $(bars <tty.txt | wc -l)"
tr '\r' '\n' <tty.txt | sed 's/\x1b\[K//g' | grep imported
echo "--- not a terminal"
"$IB" --db "$TMP/q.db" import big.jsonl 2>err.txt
wc -c <err.txt
echo "--- a rebuild (the word list changed)"
IDEABANK_WORDLIST=/nonexistent "$IB" --db "$TMP/w.db" import "$DATA/kommuner.csv" "$DATA/proposals.jsonl" >/dev/null
script -qec "'$IB' --db '$TMP/w.db' basket clear" /dev/null >tty.txt
bars <tty.txt | tail -1
tr '\r' '\n' <tty.txt | grep -v '\] ' | sed 's/\x1b\[K//g'
