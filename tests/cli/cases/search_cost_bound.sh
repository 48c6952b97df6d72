# Every search has a cost bound: a word given 300 times is searched once (this took
# 30-78 s in snippet()), more than 32 words or 1,000 bytes is a usage error (exit 2).
q=$(i=0; while [ $i -lt 300 ]; do printf 'og '; i=$((i + 1)); done)
"$IB" --db "$SAMPLE" search "$q" --json >out.json
echo "300 x og: exit $?"
grep -c '"snippet"' out.json
"$IB" --db "$SAMPLE" search "a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 a17 a18 a19 a20 a21 a22 a23 a24 a25 a26 a27 a28 a29 a30 a31 a32 a33"
echo "33 words: exit $?"
"$IB" --db "$SAMPLE" search "$(printf '%01001d' 0)"
echo "1001 bytes: exit $?"
