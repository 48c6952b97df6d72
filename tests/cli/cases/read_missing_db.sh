# Read commands open the database read-only: a mistyped --db is an error naming the
# path (exit 4), and nothing is created, neither the folder nor the file.  Only writes
# create the database.
for cmd in "search robot" "show 1" "stats" "export" "peers Ringsted --area Ældre" "basket list" \
	"basket export --csv" "serve --render /"; do
	# shellcheck disable=SC2086
	"$IB" --db "$TMP/nodir/x.db" $cmd
	echo "$cmd: exit $?"
done 2>&1 | sed "s|$TMP|TMP|"
ls "$TMP"
"$IB" --db "$TMP/nodir/x.db" basket add 1 2>err.txt
echo "basket add: exit $?"
sed "s|$TMP|TMP|" err.txt
ls "$TMP/nodir"
