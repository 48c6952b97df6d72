# a text document in no known template is refused and nothing is stored
printf 'Referat fra mødet\nIngen forslag her.\n' > "$TMP/referat.txt"
"$IB" --db "$SAMPLE" import "$TMP/referat.txt"
echo "exit $?"
"$IB" --db "$SAMPLE" stats | sed -n 4p
