peers Ringsted --function 9.99.99
