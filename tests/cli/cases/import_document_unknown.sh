# a text document in no known template and with no table of yearly amounts is refused
# and nothing is stored; a table that only counts things is no costed table either; a
# costed table in a document that names no municipality is refused too
printf 'Referat fra mødet\nIngen forslag her.\n' > "$TMP/referat.txt"
"$IB" --db "$SAMPLE" import "$TMP/referat.txt"
echo "exit $?"
printf 'Venteliste\n\nAntal\t2024\t2025\nAntal borgere på venteliste\t19\t22\n' > "$TMP/venteliste.txt"
"$IB" --db "$SAMPLE" import "$TMP/venteliste.txt"
echo "exit $?"
printf 'Tabel 1 (1.000 kr.)\nForslag\t2025\t2026\nMindre udgift\t-100\t-200\n' > "$TMP/uden-kommune.txt"
"$IB" --db "$SAMPLE" import "$TMP/uden-kommune.txt"
echo "exit $?"
"$IB" --db "$SAMPLE" stats | sed -n 4p
