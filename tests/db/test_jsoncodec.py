"""JSON columns read back exactly what the standard library wrote, orjson or not."""

from __future__ import annotations

import json
import math

from layerminder.db.jsoncodec import loads


def test_ordinary_values_read_back() -> None:
    value = {"keywords": ["oak", "의자"], "usage": {"images": {"cost_microusd": 40000}}, "n": None}
    assert loads(json.dumps(value)) == value
    assert loads(json.dumps(value).encode()) == value


def test_values_orjson_refuses_still_read_back() -> None:
    written = json.dumps({"score": math.nan, "far": math.inf, "big": 2**70})
    back = loads(written)
    assert math.isnan(back["score"])
    assert back["far"] == math.inf
    assert back["big"] == 2**70
