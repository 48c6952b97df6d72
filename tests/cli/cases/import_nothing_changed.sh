# Nothing a feed holds is changed without a word (issue 22): each of these was stored
# with exit 0, changed, before.  Each is now refused (exit 3) naming the file, line and
# what is wrong, and the database is unchanged.
"$IB" --db "$SAMPLE" export >before.jsonl
one() { # NAME TEXT: write TEXT to NAME, import it, say the exit code
	printf '%s' "$2" >"$1"
	"$IB" --db "$SAMPLE" import "$1"
	echo "$1: exit $?"
}
p='"kommunekode":"329","budget_year":2030,"source":"f"'
# F1: a NUL byte cut the text there ("Test\u0000forslag" was stored as "Test")
one nul_escape.jsonl "{$p,\"title\":\"Test\\u0000forslag\"}
"
printf '{%s,"title":"Test\000forslag"}\n' "$p" >nul_raw.jsonl
"$IB" --db "$SAMPLE" import nul_raw.jsonl; echo "nul_raw.jsonl: exit $?"
printf 'kommunekode;budget_year;title;source\n329;2030;Test\000forslag;f\n' >nul.csv
"$IB" --db "$SAMPLE" import nul.csv; echo "nul.csv: exit $?"
# control characters reach a terminal (F6): a text holds TAB and line feed, no other
one escape.jsonl "{$p,\"title\":\"Rød \\u001b[31mtekst\\u001b]0;pwned\\u0007\"}
"
one c1.jsonl "{$p,\"title\":\"CSI \\u009b31m\"}
"
printf 'kommunekode;budget_year;title;source\n329;2030;"Bell\a";f\n' >bell.csv
"$IB" --db "$SAMPLE" import bell.csv; echo "bell.csv: exit $?"
# F2: 1e309 is infinite to a double ('show' printed "inf kr", 'export' wrote null)
one inf.jsonl "{$p,\"title\":\"Uendelig\",\"effect_kr\":1e309}
"
one inf_years.jsonl "{$p,\"title\":\"Uendelig\",\"years\":[{\"year\":2030,\"net\":-1e400}]}
"
# F4: a key given twice: the first won ("kommunekode":"329","kommunekode":"101" -> 329)
one dupkey.jsonl '{"kommunekode":"329","kommunekode":"101","budget_year":2030,"title":"To","source":"f"}
'
one dupkey_year.jsonl "{$p,\"title\":\"To\",\"years\":[{\"year\":2030,\"net\":1,\"net\":2}]}
"
one dupcol.csv 'kommunekode;budget_year;title;title;source
329;2030;A;B;f
'
# F10: a number is no title ("title":123 was stored as "123"); "0101" (DAWA's
# four-digit kommunekode) is 101 and " 101" is refused, and so is "0329 " or "00101"
one title_number.jsonl '{"kommunekode":"329","budget_year":2030,"title":123,"source":"f"}
'
one space_code.jsonl '{"kommunekode":" 101","budget_year":2030,"title":"Mellemrum","source":"f"}
'
one zeros_code.jsonl '{"kommunekode":"00101","budget_year":2030,"title":"Nuller","source":"f"}
'
one zero_year.jsonl '{"kommunekode":"329","budget_year":"02030","title":"Nul år","source":"f"}
'
# a byte order mark past the start of a file: JSON Lines took it (cJSON skips one
# before each value), CSV refused it with a message that showed it invisibly
printf '{%s,"title":"A"}\n\357\273\277{%s,"title":"B"}\n' "$p" "$p" >bom.jsonl
"$IB" --db "$SAMPLE" import bom.jsonl; echo "bom.jsonl: exit $?"
printf 'kommunekode;budget_year;title;source\n329;2030;A;f\n\357\273\277329;2030;B;f\n' >bom.csv
"$IB" --db "$SAMPLE" import bom.csv; echo "bom.csv: exit $?"
# F5: the same proposal in two files of one import: the second overwrote the first
# ("1 new, 1 updated", exit 0), while two such lines in one file were refused
printf 'kommunekode;budget_year;title;effect_kr;source\n329;2030;Samme idé;1000;feed\n' >a.csv
printf '{"kommunekode":"329","budget_year":2030,"title":"Samme idé","effect_kr":2000,"source":"feed"}\n' >b.jsonl
printf '{"kommunekode":"329","budget_year":2030,"title":"Samme idé","effect_kr":3000,"source":"feed"}\n' >c.jsonl
"$IB" --db "$SAMPLE" import a.csv b.jsonl; echo "a.csv b.jsonl: exit $?"
"$IB" --db "$SAMPLE" import b.jsonl c.jsonl; echo "b.jsonl c.jsonl: exit $?"
"$IB" --db "$SAMPLE" export >after.jsonl
cmp before.jsonl after.jsonl && echo "database unchanged"
# what is taken: "0101" as 101, a whole number as a ref, -0 as 0 (F3: 0 is a stated
# effect of nothing, never 'unknown', which is null); a later import updates
printf '{"kommunekode":"0101","budget_year":2030,"ref":17,"title":"Firecifret","effect_kr":-0,"source":"f"}\n' >ok.jsonl
"$IB" --db "$SAMPLE" import ok.jsonl
"$IB" --db "$SAMPLE" export | tail -1 | grep -o '"kommunekode":"[0-9]*"\|"ref":"[0-9]*"\|"effect_kr":[^,]*' 
"$IB" --db "$SAMPLE" import a.csv
"$IB" --db "$SAMPLE" import b.jsonl
"$IB" --db "$SAMPLE" search "Samme idé" --csv | tr -d '\r' | cut -d';' -f6,10
