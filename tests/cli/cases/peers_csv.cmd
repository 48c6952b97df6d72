peers Greve --area "Ældre og sundhed" --method nearest --k 3 --weights 1,1,0,1,1 --csv
