"""Accounts: sign up, log in, who am I; argon2id hashes and HS256 JWTs."""
