peers Ringsted --area "Ældre og sundhed" --method lower:5 --ideas --no-chart
