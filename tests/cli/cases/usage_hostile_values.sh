# Values no option can hold are usage errors with a message (exit 2): an ID beyond
# 64 bits (it was read as 9223372036854775807), an empty basket name (exit 2 with no
# message), weights that are not finite numbers (accepted), a query over 1,000 bytes
# (exit 3).
"$IB" --db "$SAMPLE" show 99999999999999999999
echo "show: exit $?"
"$IB" --db "$SAMPLE" basket add 1 99999999999999999999
echo "basket add: exit $?"
"$IB" --db "$SAMPLE" basket list --name ''
echo "basket list --name '': exit $?"
for w in nan,inf,1,1 1,1,1,inf -1,1,1,1 1,1,1 1,1,1,1x; do
	"$IB" --db "$SAMPLE" peers Ringsted --area "Ældre og sundhed" --method nearest --weights "$w"
	echo "peers --weights $w: exit $?"
done
"$IB" --db "$SAMPLE" search "$(printf '%01001d' 0)"
echo "search 1001 bytes: exit $?"
