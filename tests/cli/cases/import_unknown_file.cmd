import missing.jsonl
