# On a terminal the matched words of --snippets are bold; NO_COLOR (not empty) turns
# that off and brackets them, as when the output is not a terminal.
script -qec "'$IB' --db '$SAMPLE' search skærmbesøg --snippets --limit 1" /dev/null |
	tr -d '\r' | sed -n 3p | sed 's/\x1b/ESC/g'
script -qec "NO_COLOR=1 '$IB' --db '$SAMPLE' search skærmbesøg --snippets --limit 1" /dev/null |
	tr -d '\r' | sed -n 3p | sed 's/\x1b/ESC/g'
script -qec "NO_COLOR= '$IB' --db '$SAMPLE' search skærmbesøg --snippets --limit 1" /dev/null |
	tr -d '\r' | sed -n 3p | sed 's/\x1b/ESC/g'
"$IB" --db "$SAMPLE" search skærmbesøg --snippets --limit 1 | sed -n 3p
