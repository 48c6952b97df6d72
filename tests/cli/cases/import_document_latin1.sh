# a document that is not UTF-8 is refused with the line of the first bad byte
printf 'Udvalg\n\346ldre\n' > "$TMP/latin1.txt"
"$IB" --db "$SAMPLE" import "$TMP/latin1.txt"
