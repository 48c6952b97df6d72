# Ringsted 101: the detail page prints the net effect with reversed signs; show says so,
# and the effect follows the rows and the overview (a saving of 815.000 kr.)
id=$("$IB" --db "$SAMPLE" search sygefravær --csv | awk -F";" '$5 == "101" { print $1 }')
"$IB" --db "$SAMPLE" show "$id" | sed -n -e '/^Effekt:/p' -e '/^Økonomi/,/^Tekst:/p'
