# a basket of two ideas, listed with Idébanken's totals and projected onto Odense
ids=$("$IB" --db "$SAMPLE" search robot --csv | awk -F";" 'NR > 1 && $10 != "" { print $1 }')
"$IB" --db "$SAMPLE" basket add $ids
"$IB" --db "$SAMPLE" basket list --for Odense
"$IB" --db "$SAMPLE" basket export --csv | tr -d '\r'
"$IB" --db "$SAMPLE" basket add 99999; echo "exit $?"
"$IB" --db "$SAMPLE" basket clear
