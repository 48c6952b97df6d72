# What a first-time user found (each once wrong): an unknown region is refused like an
# unknown area; a second add of the same idea says so; the years peers lists for an
# area are those it can compare; a dry run creates no database; /forslag/N is a page.
"$IB" --db "$SAMPLE" search --region Jylland; echo "exit $?"
"$IB" --db "$SAMPLE" basket add 29 8
"$IB" --db "$SAMPLE" basket add 29 3
"$IB" --db "$SAMPLE" basket list | tail -1
"$IB" --db "$SAMPLE" basket clear
"$IB" --db "$SAMPLE" peers Ringsted --area "Ældre og sundhed" --year 2016; echo "exit $?"
printf '{"sources": [{"name": "lokal", "feed": "http://127.0.0.1:1/forslag.jsonl"}]}' >dry.json
"$IB" --db "$TMP/new.db" fetch --config dry.json --dry-run --retries 0 >/dev/null 2>&1
echo "fetch --dry-run: exit $?"
ls "$TMP" | grep -c "new.db"
"$IB" --db "$SAMPLE" serve --render /forslag/8 | grep -o '<h2[^>]*>[^<]*</h2>\|href="/forslag/8?kurv=8#f8"'
