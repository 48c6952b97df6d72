peers København --function 3.22.01 --method nearest --no-chart
