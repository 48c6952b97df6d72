# fetch: bad option values, an unreadable or wrong config and an unknown source fail
# before anything is downloaded (no case gets as far as the network)
"$IB" --db "$SAMPLE" fetch --timeout=x; echo "exit $?"
"$IB" --db "$SAMPLE" fetch --retries -1; echo "exit $?"
"$IB" --db "$SAMPLE" fetch --config /nonexistent/sources.json; echo "exit $?"
"$IB" --db "$SAMPLE" fetch --only nope; echo "exit $?"
printf '{"sources": [{"name": "x", "statbank": "FOLK1A", "use": "population",
  "select": {"Tid": "2024"}}]}' >bad.json
"$IB" --db "$SAMPLE" fetch --config bad.json; echo "exit $?"
"$IB" --db "$SAMPLE" fetch --print-config | head -3
