# ideabank check: SQLite's integrity_check, the foreign keys and FTS5's integrity-check
# of the search index with ideabank's tokenizer (the sqlite3 shell cannot load it);
# it reads only.  A database in a read-only folder (no WAL file beside it) can be
# searched and checked: before, 'attempt to write a readonly database' (exit 4), as a
# WAL reader needs a shared-memory file beside the database.
"$IB" --db "$SAMPLE" check | sed "s|$TMP|TMP|"
"$IB" --db "$SAMPLE" check >/dev/null
echo "exit $?"
"$IB" --db "$SAMPLE" check --full
echo "exit $?"
"$IB" --db "$TMP/none.db" check 2>&1 | sed "s|$TMP|TMP|"
"$IB" check --help | head -1
# the read-only folder: as another user when run as root (root may write anyway)
ro=$(mktemp -d /tmp/ideabank-ro-XXXXXX)
chmod 755 "$ro"
cp "$SAMPLE" "$ro/bank.db"
chmod 444 "$ro/bank.db"
chmod 555 "$ro"
as_user=""
[ "$(id -u)" = 0 ] && as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
$as_user "$IB" --db "$ro/bank.db" search skærmbesøg --limit 1 2>&1 | sed "s|$ro|RO|"
echo "search exit $?"
$as_user "$IB" --db "$ro/bank.db" check 2>&1 | sed "s|$ro|RO|"
ls -A "$ro"
chmod 755 "$ro"
rm -rf "$ro"
