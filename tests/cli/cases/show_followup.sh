# SU04 from the 2026 proposals carries the status report's follow-up
id=$("$IB" --db "$SAMPLE" search kunstig intelligens --csv | awk -F";" '$5 == "SU04" { print $1 }')
"$IB" --db "$SAMPLE" show "$id" | sed -n '/^Opfølgning/,/^  Kilde/p'
