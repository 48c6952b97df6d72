# A database written by a newer ideabank is refused with a clear message.
"$IB" --db "$TMP/x.db" stats >/dev/null
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version=99'); c.commit()" "$TMP/x.db"
"$IB" --db "$TMP/x.db" stats 2>err.txt
echo "stats exit: $?"
sed "s|$TMP|TMP|; s|program's ([0-9]*)|program's (N)|" err.txt
