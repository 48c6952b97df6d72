# A database written by a newer ideabank is refused with a clear message.
"$IB" --db "$TMP/x.db" import "$DATA/kommuner.csv" >/dev/null
# PRAGMA user_version lives in bytes 60-63 of the SQLite header: make it 99
printf '\000\000\000\143' | dd of="$TMP/x.db" bs=1 seek=60 conv=notrunc 2>/dev/null
"$IB" --db "$TMP/x.db" stats 2>err.txt
echo "stats exit: $?"
sed "s|$TMP|TMP|; s|program's ([0-9]*)|program's (N)|" err.txt
"$IB" --db "$TMP/x.db" import "$DATA/kommuner.csv" 2>err.txt
echo "import exit: $?"
sed "s|$TMP|TMP|; s|program's ([0-9]*)|program's (N)|" err.txt
