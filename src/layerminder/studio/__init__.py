"""The studio: search across all of a user's records, and favourites."""
