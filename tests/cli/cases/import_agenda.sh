# saved agenda answers: a meeting of Greve's Byråd (6 March 2023) read from the recorded
# answer, every item's outcome, reason code and what decided it listed, the costed cases
# stored with their appearances (a table's, and one read from the recommendation's text
# whose flag carries the sentence); then the usage errors (no municipality; --kommune
# with another file)
M="$SHARED/data/greve-agendas/dagsorden/9bc22f7f-1f4f-4d2b-8f57-ecbd62e2bd43.json.gz"
"$IB" --db "$SAMPLE" import --kommune Greve --explain "$M"
echo "exit $?"
"$IB" --db "$SAMPLE" import --kommune 253 "$M"
echo "exit $?"
id=$("$IB" --db "$SAMPLE" search Freyas --csv | awk -F";" 'NR == 2 { print $1 }')
"$IB" --db "$SAMPLE" show "$id" | sed -n '1,22p'
id=$("$IB" --db "$SAMPLE" search Waves --csv | awk -F";" 'NR == 2 { print $1 }')
"$IB" --db "$SAMPLE" show "$id" | sed -n '/^Økonomi (/,/^Tekst:/p'
{ "$IB" --db "$SAMPLE" import "$M"; echo "exit $?"; } 2>&1 | sed "s|$SHARED|SHARED|"
{ "$IB" --db "$SAMPLE" import --kommune Greve "$DATA/kommuner.csv"; echo "exit $?"; } 2>&1 |
	sed "s|$DATA|DATA|"
"$IB" --db "$SAMPLE" import --kommune Atlantis "$M"
