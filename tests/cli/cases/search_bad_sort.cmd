search skole --sort price
