# Ringsted 101: the detail page prints the net effect with reversed signs; show says so
id=$("$IB" --db "$SAMPLE" search sygefravær --csv | awk -F";" '$5 == "101" { print $1 }')
"$IB" --db "$SAMPLE" show "$id" | sed -n '/^Økonomi/,/^Tekst:/p'
