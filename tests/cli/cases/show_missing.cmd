show 99999
