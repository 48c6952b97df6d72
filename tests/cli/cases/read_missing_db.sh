# Read commands open the database read-only: a mistyped --db is an error naming the
# path (exit 4), and nothing is created, neither the folder nor the file.  Only writes
# create the database, and only when they succeed.
for cmd in "search robot" "show 1" "stats" "export" "peers Ringsted --area Ældre" "basket list" \
	"basket export --csv" "serve --render /"; do
	# shellcheck disable=SC2086
	"$IB" --db "$TMP/nodir/x.db" $cmd
	echo "$cmd: exit $?"
done 2>&1 | sed "s|$TMP|TMP|"
ls "$TMP"
# a write names a folder that must exist: it is not made (only the per-user default
# database's folder is)
"$IB" --db "$TMP/nodir/x.db" basket add 1 2>err.txt
echo "basket add: exit $?"
sed "s|$TMP|TMP|g" err.txt
ls "$TMP/nodir" 2>/dev/null || echo "nodir not created"
# a write that fails on a new database leaves none behind: 'basket add 1' on a new
# path is exit 3, and there is no file (it was a seeded 2,3 MB database)
mkdir "$TMP/dir"
"$IB" --db "$TMP/dir/x.db" basket add 1
echo "basket add in an existing folder: exit $?"
ls -A "$TMP/dir"
echo "dir holds $(ls -A "$TMP/dir" | wc -l) files"
