# --weights takes five (S,G,V,Y,O) or four (S,G,Y,O) numbers, none negative.
"$IB" --db "$SAMPLE" peers Greve --function 3.22.01 --method nearest --weights 1,1,1; echo "exit: $?"
"$IB" --db "$SAMPLE" peers Greve --function 3.22.01 --method nearest --weights 1,-1,1,1,1; echo "exit: $?"
"$IB" --db "$SAMPLE" peers Greve --function 3.22.01 --method nearest --weights 1,1,1,1,1,1; echo "exit: $?"
"$IB" --db "$SAMPLE" peers Greve --function 3.22.01 --method nearest --weights 1,1,1,1x; echo "exit: $?"
