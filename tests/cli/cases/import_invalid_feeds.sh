# Nothing invalid is stored: a latin-1 line in a JSON Lines or CSV feed or a reference
# file, and a proposal given twice in one feed, are refused with file:line (exit 3),
# and the database is unchanged.
"$IB" --db "$SAMPLE" export >before.jsonl
printf '{"kommunekode":"329","budget_year":2030,"title":"Idé 1","source":"f"}\n' >latin1.jsonl
printf '{"kommunekode":"329","budget_year":2030,"title":"\346ldre","source":"f"}\n' >>latin1.jsonl
"$IB" --db "$SAMPLE" import latin1.jsonl
echo "jsonl exit: $?"
printf 'kommunekode;budget_year;title;source\n329;2030;\370konomi;f\n' >latin1.csv
"$IB" --db "$SAMPLE" import latin1.csv
echo "csv exit: $?"
printf 'kommunekode;aar;folketal;kilde\n329;2030;1000;K\370benhavn\n' >folketal.csv
"$IB" --db "$SAMPLE" import folketal.csv
echo "reference exit: $?"
printf '{"kommunekode":"329","budget_year":2030,"title":"Idé 1","source":"f"}\n' >dup.jsonl
printf '{"kommunekode":"329","budget_year":2030,"title":"Idé 2","source":"f"}\n' >>dup.jsonl
printf '{"kommunekode":"329","budget_year":2030,"title":"Idé 1","source":"f","effect_kr":5}\n' >>dup.jsonl
"$IB" --db "$SAMPLE" import dup.jsonl
echo "duplicate exit: $?"
printf '{"kommunekode":"329","budget_year":2030,"title":"Idé 1","source":"f","page":1e300}\n' >big.jsonl
"$IB" --db "$SAMPLE" import big.jsonl
echo "page 1e300 exit: $?"
"$IB" --db "$SAMPLE" export >after.jsonl
cmp before.jsonl after.jsonl && echo "database unchanged"
