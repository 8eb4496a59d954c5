"""Curated furniture styles a brief can start from."""
