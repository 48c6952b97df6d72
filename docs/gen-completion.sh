#!/bin/sh
# gen-completion.sh TOOL KOMMUNER.CSV < ideabank.bash.in > ideabank.bash
# Fills the completion template: the commands from `TOOL --help`, each command's options
# from `TOOL help CMD`, the municipality names from the registry's second column.
set -eu
tool=$1
kommuner=$2
commands=$("$tool" --help | awk '/^commands:/ { on = 1; next } on && NF == 0 { exit } on { print $1 }')
options=$(for c in $commands; do
	printf '\t%s) echo "%s" ;;\n' "$c" \
		"$("$tool" help "$c" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u | tr '\n' ' ' | sed 's/ $//')"
done)
names=$(awk -F';' 'NR > 1 { print $2 }' "$kommuner" | sort)
awk -v commands="$(echo $commands)" -v options="$options" -v names="$names" '
	{ gsub(/@COMMANDS@/, commands); gsub(/@KOMMUNER@/, names) }
	/^@OPTIONS@$/ { print options; next }
	{ print }'
