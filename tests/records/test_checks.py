"""Dimension checks on the record: each size against the range for its furniture type."""

from __future__ import annotations

import httpx

from tests.finished_records import MakeRecord
from tests.helpers import signup


async def test_a_60_cm_dining_chair_seat_is_flagged_and_45_cm_passes(
    studio: httpx.AsyncClient, make_record: MakeRecord
) -> None:
    account = await signup(studio)
    high = await make_record(account, keyword="seat 60")
    low = await make_record(account, keyword="seat 45")

    assert high["furniture_type"] == low["furniture_type"] == "chair"
    high_seat = {c["dimension"]: c for c in high["checks"]}["seat_height_cm"]
    low_seat = {c["dimension"]: c for c in low["checks"]}["seat_height_cm"]
    assert high_seat == {
        "dimension": "seat_height_cm",
        "value_cm": 60,
        "min_cm": 42,
        "max_cm": 48,
        "status": "warn",
    }
    assert low_seat["value_cm"] == 45 and low_seat["status"] == "ok"
    # The other sizes of this chair are ordinary: only the seat is flagged.
    assert [c["dimension"] for c in high["checks"] if c["status"] == "warn"] == ["seat_height_cm"]
    assert high["dimensions"]["seat_height_cm"] == 60
