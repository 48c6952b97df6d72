room Ringsted
