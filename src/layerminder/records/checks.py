"""Dimension checks: a record's sizes against the ergonomic ranges for its furniture type."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from layerminder.providers.base import FurnitureType


class CheckStatus(StrEnum):
    ok = "ok"
    warn = "warn"


@dataclass(frozen=True)
class Range:
    min_cm: int
    max_cm: int


# Usual ranges from furniture-design references (e.g. Neufert, BS EN 1729 / BIFMA seating
# guidance): wide enough for real products, narrow enough to catch a seat no one can use.
ERGONOMIC_RANGES: dict[FurnitureType, dict[str, Range]] = {
    FurnitureType.chair: {
        "seat_height_cm": Range(42, 48),
        "width_cm": Range(40, 65),
        "depth_cm": Range(45, 65),
        "height_cm": Range(75, 110),
    },
    FurnitureType.lounge_chair: {
        "seat_height_cm": Range(33, 45),
        "width_cm": Range(60, 110),
        "depth_cm": Range(65, 110),
        "height_cm": Range(60, 110),
    },
    FurnitureType.stool: {
        "seat_height_cm": Range(40, 50),
        "width_cm": Range(28, 55),
        "depth_cm": Range(28, 55),
    },
    FurnitureType.bar_stool: {
        "seat_height_cm": Range(60, 82),
        "width_cm": Range(30, 55),
        "depth_cm": Range(30, 55),
    },
    FurnitureType.bench: {
        "seat_height_cm": Range(40, 48),
        "width_cm": Range(80, 240),
        "depth_cm": Range(28, 60),
    },
    FurnitureType.sofa: {
        "seat_height_cm": Range(38, 48),
        "width_cm": Range(140, 300),
        "depth_cm": Range(75, 110),
        "height_cm": Range(65, 100),
    },
    FurnitureType.table: {
        "height_cm": Range(70, 78),
        "width_cm": Range(70, 300),
        "depth_cm": Range(60, 120),
    },
}

# The order a spec sheet lists them in.
DIMENSIONS = ("seat_height_cm", "width_cm", "depth_cm", "height_cm")


@dataclass(frozen=True)
class DimensionCheck:
    dimension: str
    value_cm: int
    min_cm: int
    max_cm: int
    status: CheckStatus


def dimension_checks(
    furniture_type: str | None, sizes: dict[str, int | None]
) -> list[DimensionCheck]:
    """One check per known dimension that has a range for this type; none for an unknown type."""
    try:
        ranges = ERGONOMIC_RANGES.get(FurnitureType(furniture_type or FurnitureType.other), {})
    except ValueError:
        return []
    checks = []
    for dimension in DIMENSIONS:
        allowed, value = ranges.get(dimension), sizes.get(dimension)
        if allowed is None or value is None:
            continue
        status = CheckStatus.ok if allowed.min_cm <= value <= allowed.max_cm else CheckStatus.warn
        checks.append(DimensionCheck(dimension, value, allowed.min_cm, allowed.max_cm, status))
    return checks
