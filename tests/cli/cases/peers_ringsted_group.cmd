peers Ringsted --function 3.22.01 --method group --chart
