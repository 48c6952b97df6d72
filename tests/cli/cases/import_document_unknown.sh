# a text document in no known template and with no table of yearly amounts is refused
# and nothing is stored; a table that only counts things is no costed table either
printf 'Referat fra mødet\nIngen forslag her.\n' > "$TMP/referat.txt"
"$IB" --db "$SAMPLE" import "$TMP/referat.txt"
echo "exit $?"
printf 'Venteliste\n\nAntal\t2024\t2025\nAntal borgere på venteliste\t19\t22\n' > "$TMP/venteliste.txt"
"$IB" --db "$SAMPLE" import "$TMP/venteliste.txt"
echo "exit $?"
"$IB" --db "$SAMPLE" stats | sed -n 4p
