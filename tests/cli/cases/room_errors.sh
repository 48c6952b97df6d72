# room: usage and data errors, each one line and its exit code
"$IB" --db "$SAMPLE" room; echo "exit $?"
"$IB" --db "$SAMPLE" room Ringstedt; echo "exit $?"
"$IB" --db "$SAMPLE" room Ringsted Køge; echo "exit $?"
"$IB" --db "$SAMPLE" room Ringsted --method lowest:5; echo "exit $?"
"$IB" --db "$SAMPLE" room Ringsted --benchmark max; echo "exit $?"
"$IB" --db "$SAMPLE" room Ringsted --measure persons; echo "exit $?"
"$IB" --db "$SAMPLE" room Ringsted --target-group "90+ år"; echo "exit $?"
"$IB" --db "$SAMPLE" room Ringsted --year 2015; echo "exit $?"
"$IB" --db "$SAMPLE" room Ringsted --ideas -1; echo "exit $?"
"$IB" --db "$SAMPLE" room Ringsted --method list:Ringsted; echo "exit $?"
"$IB" --db "$SAMPLE" room Ringsted --funtions; echo "exit $?"
# per person of the target group without population by age: every area stays per
# inhabitant (the sample holds no ages), and says so in its heading
"$IB" --db "$SAMPLE" room Ringsted --measure target --ideas 0 | head -3; echo "exit $?"
