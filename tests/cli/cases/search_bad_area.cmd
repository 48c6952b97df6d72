search --area Sundhed
