"""Can it be built and sat on: tip-over stability (centre of mass over the footprint, and the
tipping angle), every leg reaching the floor, and the seat's height and depth in the ergonomic
ranges. A failure is reported as one, never smoothed over."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from layerminder.objects.hull import convex_hull
from layerminder.objects.model import FLOOR_TOLERANCE_CM, DesignModel
from layerminder.objects.parts import PartSize
from layerminder.providers.base import FurnitureType
from layerminder.records.checks import ERGONOMIC_RANGES, Range

# Under this tipping angle a piece tips too easily (a chair leant on, a stool knocked).
MIN_TIPPING_ANGLE_DEG = 10.0
# Seat depth, front edge to back (BS EN 1729 / BIFMA guidance, as the other ranges).
SEAT_DEPTH_RANGES: dict[FurnitureType, Range] = {
    FurnitureType.chair: Range(38, 50),
    FurnitureType.lounge_chair: Range(45, 70),
    FurnitureType.bench: Range(28, 55),
    FurnitureType.sofa: Range(50, 70),
}


class Verdict(StrEnum):
    ok = "ok"
    warn = "warn"
    fail = "fail"


@dataclass(frozen=True)
class Check:
    name: str  # stability | legs_reach_floor | seat_height | seat_depth
    status: Verdict
    detail: str
    value: float | None = None


@dataclass(frozen=True)
class Stability:
    centre_of_mass_cm: tuple[float, float, float]
    footprint_cm: list[tuple[float, float]]  # (x, z) hull of the floor contacts
    inside: bool
    margin_cm: float  # distance from the centre of mass (over the floor) to the nearest edge
    tipping_angle_deg: float  # tilt over the weakest edge at which it goes over; 0 if outside


def _hull(points: np.ndarray) -> list[tuple[float, float]]:
    return convex_hull(points, decimals=3)


def stability(model: DesignModel, sizes: list[PartSize]) -> Stability:
    masses = np.array([size.mass_kg for size in sizes])
    centres = np.array([size.centre_cm for size in sizes])
    com = (masses[:, None] * centres).sum(axis=0) / max(float(masses.sum()), 1e-9)
    points = model.points()
    contacts = points[points[:, 1] <= FLOOR_TOLERANCE_CM][:, [0, 2]]
    hull = _hull(contacts)
    ground = (float(com[0]), float(com[2]))
    if len(hull) < 3:
        # A point or a line on the floor: nothing to stand on.
        return Stability((float(com[0]), float(com[1]), float(com[2])), hull, False, 0.0, 0.0)
    # Counter-clockwise hull: a point is inside when it is left of every edge.
    signed = []
    for (ax, az), (bx, bz) in zip(hull, hull[1:] + hull[:1], strict=True):
        edge = math.hypot(bx - ax, bz - az)
        signed.append(((bx - ax) * (ground[1] - az) - (bz - az) * (ground[0] - ax)) / edge)
    margin = min(signed)
    inside = margin > 0
    height = max(float(com[1]), 1e-6)
    angle = math.degrees(math.atan2(margin, height)) if inside else 0.0
    return Stability(
        (float(com[0]), float(com[1]), float(com[2])),
        hull,
        inside,
        round(margin, 1),
        round(angle, 1),
    )


# A part sits on another when its underside is within this of the other's top.
_RESTING_CM = 1.0


def _grounded(model: DesignModel) -> set[str]:
    """The parts whose load reaches the floor: those on it, and (over and over) those standing
    on one of them, as a column on its foot or a plinth on its toe kick."""
    boxes = {}
    for part in model.parts:
        points = np.array([*part.bottom, *part.top], dtype=float)
        boxes[part.name] = (points.min(axis=0), points.max(axis=0))
    reached = {name for name, (lo, _) in boxes.items() if lo[1] <= FLOOR_TOLERANCE_CM}
    changed = True
    while changed:
        changed = False
        for name, (lo, hi) in boxes.items():
            if name in reached:
                continue
            for other in list(reached):
                below_lo, below_hi = boxes[other]
                overlaps = all(lo[i] < below_hi[i] and hi[i] > below_lo[i] for i in (0, 2))
                if overlaps and below_lo[1] <= lo[1] <= below_hi[1] + _RESTING_CM:
                    reached.add(name)
                    changed = True
                    break
    return reached


def _range_check(name: str, value: float | None, allowed: Range | None) -> Check | None:
    if value is None or allowed is None:
        return None
    ok = allowed.min_cm <= value <= allowed.max_cm
    return Check(
        name,
        Verdict.ok if ok else Verdict.warn,
        f"{value:.0f} cm; {allowed.min_cm}-{allowed.max_cm} cm is usual",
        round(value, 1),
    )


def checks(model: DesignModel, sizes: list[PartSize], stable: Stability) -> list[Check]:
    found = []
    if not stable.inside:
        found.append(
            Check(
                "stability",
                Verdict.fail,
                "the centre of mass is outside the footprint: it falls over",
                stable.tipping_angle_deg,
            )
        )
    else:
        weak = stable.tipping_angle_deg < MIN_TIPPING_ANGLE_DEG
        found.append(
            Check(
                "stability",
                Verdict.warn if weak else Verdict.ok,
                f"tips over when tilted {stable.tipping_angle_deg:.0f} degrees"
                f" ({stable.margin_cm:.0f} cm inside its footprint)",
                stable.tipping_angle_deg,
            )
        )
    standing = [s for s in sizes if s.part.role in ("leg", "base")]
    grounded = _grounded(model)
    floating = [s.part.name for s in standing if s.part.name not in grounded]
    if not standing or floating:
        detail = (
            f"off the floor: {', '.join(floating)}" if floating else "nothing stands on the floor"
        )
        found.append(Check("legs_reach_floor", Verdict.fail, detail, float(len(floating))))
    else:
        found.append(
            Check("legs_reach_floor", Verdict.ok, f"{len(standing)} on the floor", len(standing))
        )
    ranges = ERGONOMIC_RANGES.get(model.furniture_type, {})
    for check in (
        _range_check("seat_height", model.seat_height_cm, ranges.get("seat_height_cm")),
        _range_check(
            "seat_depth", model.seat_depth_cm, SEAT_DEPTH_RANGES.get(model.furniture_type)
        ),
    ):
        if check is not None:
            found.append(check)
    return found
