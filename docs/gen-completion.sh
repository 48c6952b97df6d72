#!/bin/sh
# gen-completion.sh TOOL KOMMUNER.CSV < ideabank.bash.in > ideabank.bash
# Fills the completion template from the tool's own option tables: the commands from
# `TOOL --help`, each command's options, how their values complete and what its
# operands are from `TOOL CMD --completion-helper` (src/opt.h), ideabank's own options
# from `TOOL --completion-helper`, the municipality names from the registry's second
# column.
set -eu
tool=$1
kommuner=$2
commands=$("$tool" --help | awk '/^commands:/ { on = 1; next } on && NF == 0 { exit } on { print $1 }')
# "CMD NAME SPEC" for every line of every table ("" for ideabank's own)
tables=$({
	"$tool" --completion-helper | sed 's/^/- /'
	for c in $commands; do
		"$tool" "$c" --completion-helper | sed "s/^/$c /"
	done
})
# _ideabank_options: a command's options
options=$(echo "$tables" | awk '$2 != "operands" { o[$1] = o[$1] (o[$1] == "" ? "" : " ") $2 }
	END { for (c in o) printf "\t%s) echo \"%s\" ;;\n", c == "-" ? "\"\"" : c, o[c] }' | sort)
# _ideabank_values: how the value of a command's option completes
values=$(echo "$tables" | awk '$2 != "operands" && $3 != "-" {
	c = $1 == "-" ? "" : $1; v = $0; sub(/^[^ ]+ [^ ]+ /, "", v)
	printf "\t\"%s %s\") echo \"%s\" ;;\n", c, $2, v }')
# _ideabank_operands: what a command's operands are
operands=$(echo "$tables" | awk '$2 == "operands" && $1 != "-" {
	v = $0; sub(/^[^ ]+ [^ ]+ /, "", v); printf "\t%s) echo \"%s\" ;;\n", $1, v }')
names=$(awk -F';' 'NR > 1 { print $2 }' "$kommuner" | sort)
awk -v commands="$(echo $commands)" -v options="$options" -v values="$values" \
	-v operands="$operands" -v names="$names" '
	{ gsub(/@COMMANDS@/, commands); gsub(/@KOMMUNER@/, names) }
	/^@OPTIONS@$/ { print options; next }
	/^@VALUES@$/ { print values; next }
	/^@OPERANDS@$/ { print operands; next }
	{ print }'
