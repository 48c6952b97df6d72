# The lean `ideabank` links none of the libraries of import, fetch and serve (each would
# load its dependencies on every search), prints their help itself, and hands them to
# ideabank-full with the arguments and environment unchanged, exit code included; a
# missing ideabank-full is one line and exit 4.
readelf -d "$IB" | awk '/NEEDED/ { print $NF }' >needed.txt
grep -E 'curl|xml2|microhttpd|gnutls|icu' needed.txt || echo "lean: no curl, libxml2, libmicrohttpd"
full=$(dirname "$IB")/ideabank-full
for c in import fetch serve convert-dst; do
	"$IB" help "$c" >lean.txt; echo "help $c exit: $?"
	"$full" help "$c" >full.txt
	cmp lean.txt full.txt && echo "help $c: same as ideabank-full's"
done
IDEABANK_EXEC_PATH="$TMP/none" "$IB" help import | head -1
IDEABANK_EXEC_PATH="$TMP/none" "$IB" import -h | head -1
IDEABANK_EXEC_PATH="$TMP/none" "$IB" --db "$SAMPLE" import "$DATA/kommuner.csv" 2>err.txt
echo "exit: $?"; sed "s|$TMP|TMP|" err.txt
mkdir fake
cat >fake/ideabank-full <<'EOF'
#!/bin/sh
printf 'ideabank-full:'; printf ' [%s]' "$@"; printf '\nIDEABANK_DB=%s\n' "$IDEABANK_DB"
exit 7
EOF
chmod +x fake/ideabank-full
IDEABANK_EXEC_PATH="$TMP/fake" IDEABANK_DB=env.db "$IB" fetch --db 'a b.db' --only 'x y' -- -z
echo "exit: $?"
IDEABANK_EXEC_PATH="$TMP/fake" "$IB" serve --help | head -1
