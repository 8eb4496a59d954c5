"""Buildability of a design model: a piece whose centre of mass hangs outside its footprint is
flagged, a floating leg fails, and an ordinary chair stands with a sensible tipping angle."""

from __future__ import annotations

from typing import Any

from layerminder.objects.model import build_model
from layerminder.objects.proxy import proxy_model
from layerminder.objects.service import analyse


def _box(
    lo: tuple[float, float, float], hi: tuple[float, float, float], material: str
) -> dict[str, Any]:
    (x0, y0, z0), (x1, y1, z1) = lo, hi
    ring = [(x0, z0), (x1, z0), (x1, z1), (x0, z1)]
    return {
        "material": material,
        "bottom": [[x, y0, z] for x, z in ring],
        "top": [[x, y1, z] for x, z in ring],
    }


MATERIALS = [
    {"slot": "frame", "name": "steel", "kind": "metal", "rgb": [0.3, 0.3, 0.3]},
    {"slot": "seat", "name": "marble", "kind": "stone", "rgb": [0.9, 0.9, 0.9]},
]


def test_a_seat_cantilevered_past_its_legs_is_flagged_as_falling_over() -> None:
    # Four thin legs under the left 20 cm, a 100 cm stone slab reaching far to the right.
    legs = [_box((x, 0, z), (x + 3, 42, z + 3), "frame") for x in (0.0, 17.0) for z in (0.0, 37.0)]
    slab = _box((0, 42, 0), (100, 46, 40), "seat")
    model = build_model(
        {"form": "bench", "materials": MATERIALS, "parts": [*legs, slab]}, source="test"
    )

    found = analyse(model)

    checks = {check.name: check for check in found.checks}
    assert found.stability.inside is False
    assert found.stability.centre_of_mass_cm[0] > 20.0  # over the slab, past the legs
    assert checks["stability"].status == "fail"
    assert found.stability.tipping_angle_deg == 0.0


def test_a_leg_that_stops_short_of_the_floor_fails() -> None:
    legs = [_box((x, 0, z), (x + 3, 42, z + 3), "frame") for x in (0.0, 37.0) for z in (0.0, 37.0)]
    legs[3]["name"] = "leg"
    for ring in (legs[3]["bottom"], legs[3]["top"]):
        for point in ring:
            point[1] += 3.0  # the fourth leg hangs 3 cm above the floor
    seat = _box((0, 42, 0), (40, 46, 40), "seat")
    model = build_model(
        {"form": "stool", "materials": MATERIALS, "parts": [*legs, seat]}, source="t"
    )

    checks = {check.name: check for check in analyse(model).checks}

    assert checks["legs_reach_floor"].status == "fail"
    assert "leg-" in checks["legs_reach_floor"].detail


def test_an_ordinary_chair_stands_and_its_seat_is_in_range() -> None:
    model = proxy_model("chair", 46, 52, 80, 45)

    found = analyse(model)

    checks = {check.name: check.status for check in found.checks}
    assert found.stability.inside is True
    assert 15.0 < found.stability.tipping_angle_deg < 45.0
    assert checks["stability"] == "ok" and checks["legs_reach_floor"] == "ok"
    assert checks["seat_height"] == "ok"
    assert 2.0 < found.weight_kg < 20.0


def test_a_column_standing_on_its_foot_reaches_the_floor_through_it() -> None:
    foot = {**_box((-20, 0, -20), (20, 2.5, 20), "frame"), "name": "foot"}
    column = {**_box((-4, 2.5, -4), (4, 42, 4), "frame"), "name": "column"}
    seat = _box((-20, 42, -20), (20, 46, 20), "seat")
    model = build_model(
        {"form": "stool", "materials": MATERIALS, "parts": [foot, column, seat]}, source="t"
    )

    checks = {check.name: check for check in analyse(model).checks}

    assert checks["legs_reach_floor"].status == "ok", checks["legs_reach_floor"].detail
    assert model.parts[1].role == "base"  # the column carries the seat down to its foot
