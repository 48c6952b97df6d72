# --population (inhabitants in the proposal's budget year) and --effect (yearly kr.):
# open ends, Danish notation, one number is exactly that (the web page's range syntax),
# and the facets count the filtered set.
"$IB" --db "$SAMPLE" search --population 20.000..60.000 --effect 200000.. --facets
echo "exit: $?"
"$IB" --db "$SAMPLE" search hjemmepleje --population 500.000.. --effect ..1.000.000 --csv | tr -d '\r' | sed 's/^\xEF\xBB\xBF//' | cut -d';' -f1-7
echo "exit: $?"
"$IB" --db "$SAMPLE" search --effect ..0
echo "exit: $?"
"$IB" --db "$SAMPLE" search --effect 50.000.000..
echo "exit: $?"
"$IB" --db "$SAMPLE" search --population 60000..20000; echo "exit: $?"
"$IB" --db "$SAMPLE" search --population 34.847; echo "exit: $?"
"$IB" --db "$SAMPLE" search --population=..; echo "exit: $?"
"$IB" --db "$SAMPLE" search --effect mange..; echo "exit: $?"
"$IB" --db "$SAMPLE" search --effect; echo "exit: $?"
