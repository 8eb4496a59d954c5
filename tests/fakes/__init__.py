"""Test doubles for outside systems that cannot run here."""
