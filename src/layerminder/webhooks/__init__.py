"""Webhooks: signed POSTs to a user's URLs when a record ends, retried for a day, logged."""
