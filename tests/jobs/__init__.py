"""Tests of the job queue and the event bus on a real Redis."""
