search --kommune Ringstd
