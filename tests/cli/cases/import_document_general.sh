# a document of unknown layout with a table of yearly amounts (cells separated by TABs,
# as a browser's copy gives) is read by the general extractor: one proposal per table,
# titled by the heading above it, what had to be assumed as flags
printf 'Greve Kommune\n\nLukning af filial\n\nTabel 1. Effekt (mio. kr.)\n\t2025 (fra 1. juli)\t2026\t2027\nLøn\t-0,5\t-1,0\t-1,0\nHusleje\t-0,2\t-0,4\t-0,4\nI alt\t-0,7\t-1,4\t-1,4\n' > "$TMP/filial.txt"
"$IB" --db "$SAMPLE" import "$TMP/filial.txt"
echo "exit $?"
id=$("$IB" --db "$SAMPLE" search filial --csv | awk -F";" 'NR == 2 { print $1 }')
"$IB" --db "$SAMPLE" show "$id"
