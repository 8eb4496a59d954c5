"""End-to-end tests of a scaled deployment: several processes on real services."""
