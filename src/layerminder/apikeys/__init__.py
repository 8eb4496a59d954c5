"""API keys: a user's programmatic credentials, shown once, stored hashed, limited by scope."""
