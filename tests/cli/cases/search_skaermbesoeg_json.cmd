search skærmbesøg --json
