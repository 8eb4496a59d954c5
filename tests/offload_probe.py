"""Runs inside offload worker processes for tests/test_offload.py: it imports nothing of ours,
so what it sees loaded there was loaded by the worker itself."""

from __future__ import annotations

import sys


def loaded(module: str) -> bool:
    return module in sys.modules
