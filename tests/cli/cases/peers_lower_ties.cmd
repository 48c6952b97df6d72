peers Greve --function 3.32.50 --method lower:2 --no-chart
