# A new database is seeded with the built-in reference data (98 municipalities,
# population, REGK31), so a document imports, searches scale and peers compare at once.
"$IB" --db "$TMP/new.db" import "$DATA/seeds/000_23be4988dae89e7a.txt" | tail -2
"$IB" --db "$TMP/new.db" stats | head -4
"$IB" --db "$TMP/new.db" search robot --for Greve
"$IB" --db "$TMP/new.db" peers Greve --area "Ældre og sundhed" | tail -4
# on a terminal, the seeding is said once, when the database is made
script -qec "'$IB' --db '$TMP/tty.db' import '$DATA/seeds/000_23be4988dae89e7a.txt'" /dev/null |
	tr -d '\r' | grep -v '^note:'
echo "second:"
script -qec "'$IB' --db '$TMP/tty.db' import '$DATA/seeds/000_23be4988dae89e7a.txt'" /dev/null |
	tr -d '\r' | grep -v '^note:'
# a read of a missing database creates nothing, so seeds nothing
"$IB" --db "$TMP/none.db" stats 2>/dev/null; echo "stats exit: $?"
test -e "$TMP/none.db" || echo "none.db not created"
