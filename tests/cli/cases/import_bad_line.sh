# A malformed feed line is rejected with its line number and nothing is stored.
"$IB" --db "$SAMPLE" stats >before.txt
i=1
while [ $i -le 16 ]; do
	printf '{"kommunekode":"329","budget_year":2030,"title":"Idé %d","source":"feed.jsonl"}\n' $i
	i=$((i + 1))
done >feed.jsonl
printf '{"kommunekode":"329","budget_year":"20x1","title":"Idé 17","source":"feed.jsonl"}\n' >>feed.jsonl
"$IB" --db "$SAMPLE" import feed.jsonl
echo "import exit: $?"
"$IB" --db "$SAMPLE" stats >after.txt
cmp before.txt after.txt && echo "database unchanged"
