peers Ringsted --area "Ældre og sundhed" --method nearest --k 3 --weights 1,0,0,0 --json
