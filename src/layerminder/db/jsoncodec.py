"""How JSON columns are read back: orjson, with the standard library for what orjson refuses.

A history page of 50 records decodes ~550 JSON values (each record's keywords, brief, usage,
analysis, design slots, and its recommendations' tags); with `json.loads` that was the largest
cost left of reading the page once the record views were cached.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def loads(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        # `json.dumps` (how the columns are written) allows NaN, Infinity and integers wider
        # than 64 bits, which orjson does not read: such a value still reads as it was written.
        return json.loads(text)
