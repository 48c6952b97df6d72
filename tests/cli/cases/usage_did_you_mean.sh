# A mistyped command or option gets the nearest one suggested; a word far from every
# command or option gets the pointer to --help.
"$IB" --db "$TMP/x.db" serach robot; echo "exit: $?"
"$IB" --db "$TMP/x.db" pers Greve; echo "exit: $?"
"$IB" --db "$TMP/x.db" --versoin; echo "exit: $?"
"$IB" --db "$TMP/x.db" search robot --sortt effect; echo "exit: $?"
"$IB" --db "$TMP/x.db" search robot --limt=3; echo "exit: $?"
"$IB" --db "$TMP/x.db" search robot --populaton 20000..; echo "exit: $?"
"$IB" --db "$TMP/x.db" peers Greve --metod group; echo "exit: $?"
"$IB" --db "$TMP/x.db" basket list --nam x; echo "exit: $?"
"$IB" --db "$TMP/x.db" show 1 --jsn; echo "exit: $?"
"$IB" --db "$TMP/x.db" fetch --dryrun; echo "exit: $?"
"$IB" --db "$TMP/x.db" export --with-id; echo "exit: $?"
"$IB" --db "$TMP/x.db" import --frobnicate; echo "exit: $?"
"$IB" --db "$TMP/x.db" frobnicate; echo "exit: $?"
# nothing was created by any of them
ls "$TMP"
