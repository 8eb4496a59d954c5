"""Tests of the object storage backends."""
