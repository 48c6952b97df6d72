room Ringsted --csv --ideas 0
