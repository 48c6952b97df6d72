peers Ringsted --function 3.22.01 --year 2015
