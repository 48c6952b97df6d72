# a document of a layout no rule row was written for (a Greve case text with two
# models, a summary table of both and a table of each, "Budget 2025" in its heading)
# imports as exactly its two models, titled by its heading, in budget 2025; --explain
# says which rule rows read each part
cp "$DATA/../tests/fixtures/unseen/visitationsstop.txt" "$TMP/"
cd "$TMP" && "$IB" --db "$SAMPLE" import --explain visitationsstop.txt
echo "exit $?"
"$IB" --db "$SAMPLE" search tomgangsleje Dahliahuset --csv | sed 1d | cut -d';' -f2-6 | sort
id=$("$IB" --db "$SAMPLE" search visitationsstop --csv | awk -F";" '/Model B/ { print $1 }')
"$IB" --db "$SAMPLE" show "$id" | sed -n '1,4p;/^Økonomi (/,/^Kilde (linje)/p'
