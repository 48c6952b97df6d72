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
# --agendas: its options checked before anything is downloaded; a municipality on
# another agenda system is named with it, not fetched (no network needed)
"$IB" --db "$SAMPLE" fetch --kommune Greve; echo "exit $?"
"$IB" --db "$SAMPLE" fetch --agendas --only greve; echo "exit $?"
"$IB" --db "$SAMPLE" fetch --agendas --from 2025-13-01; echo "exit $?"
"$IB" --db "$SAMPLE" fetch --agendas --from 2025-02-01 --to 2025-01-31; echo "exit $?"
"$IB" --db "$SAMPLE" fetch --agendas --hosts 0; echo "exit $?"
"$IB" --db "$SAMPLE" fetch --agendas --kommune Atlantis; echo "exit $?"
"$IB" --db "$SAMPLE" fetch --agendas --kommune København --kommune 183 --kommune Billund; echo "exit $?"
