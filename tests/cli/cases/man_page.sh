# The man page renders without a warning and documents every command, every option of
# every command's option table (what `ideabank CMD --completion-helper` lists, the
# table --help and the completion script are made from too), and every environment
# variable the tool reads.
man="$DATA/../docs/ideabank.1"
groff -man -Tutf8 -ww -z "$man" 2>&1 && echo "renders"
for c in $("$IB" --help | awk '/^commands:/ { on = 1; next } on && NF == 0 { exit } on { print $1 }'); do
	grep -q "^\.SS $(echo "$c" | sed 's/-/\\\\-/g')\b" "$man" || echo "command '$c' is not in the man page"
	for o in $("$IB" "$c" --completion-helper | awk '$1 != "operands" { print $1 }'); do
		grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')\b" "$man" || echo "$c $o is not in the man page"
	done
done
for v in IDEABANK_DB IDEABANK_SOURCES IDEABANK_WORDLIST IDEABANK_EXEC_PATH NO_COLOR; do
	grep -q "^\.B $v$" "$man" || echo "$v is not in the man page"
done
for x in 0 1 2 3 4 5; do
	grep -A1 '^\.SH EXIT STATUS' "$man" >/dev/null && grep -q "^\.B $x$" "$man" || echo "exit code $x missing"
done
echo checked
