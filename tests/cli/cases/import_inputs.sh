# Each input is opened once (issue 22, F7): a named pipe is read (before: the import
# read the file again and never returned), a folder is named as one (before: a folder
# named x.jsonl got 'an agenda answer does not name its municipality').
p='"kommunekode":"329","budget_year":2030,"source":"f"'
mkfifo pipe.jsonl
printf '{%s,"title":"Fra et rør"}\n' "$p" >pipe.jsonl &
timeout 20 "$IB" --db "$SAMPLE" import ./pipe.jsonl
echo "pipe: exit $?"
wait
"$IB" --db "$SAMPLE" search "Fra et rør" --json | grep -c '"title":	"Fra et rør"'
mkdir x.jsonl y.csv z.pdf
"$IB" --db "$SAMPLE" import x.jsonl; echo "x.jsonl: exit $?"
"$IB" --db "$SAMPLE" import y.csv; echo "y.csv: exit $?"
"$IB" --db "$SAMPLE" import z.pdf; echo "z.pdf: exit $?"
