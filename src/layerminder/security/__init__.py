"""Protection for a server on the internet: client addresses, rate limits, response headers."""
