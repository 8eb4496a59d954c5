"""Protection for a server on the internet: secrets, tokens, addresses, rate limits, headers."""
