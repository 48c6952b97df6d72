peers Ringstedt --function 3.22.01
