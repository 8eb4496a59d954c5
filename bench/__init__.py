"""Benchmarks: each script prints figures a reader can compare across machines and changes."""
