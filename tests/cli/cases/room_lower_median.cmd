room Ringsted --method lower:5 --benchmark median --ideas 0
