search DigiRehab --for Ringsted --csv
