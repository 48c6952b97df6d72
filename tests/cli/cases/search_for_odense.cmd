search hjemmepleje --for Odense --sort projected --limit 5
