"""What a piece stands on: four legs, splayed legs, a plinth, sled runners, a pedestal or a
cantilevered tube. Every base fills the same footprint up to the same height, so any type
can stand on any base."""

from __future__ import annotations

import math
from dataclasses import dataclass

from layerminder.providers.local.geometry import FRAME, RAIL, Part, box, strut
from layerminder.providers.local.proportions import Proportions

# Bases that keep the floor visible under the piece (the story says "lifted" for these).
LIFTED_BASES = frozenset({"four_legs", "splayed", "sled", "pedestal", "cantilever"})


@dataclass(frozen=True)
class Footprint:
    """Where a base goes: half width (x) and half depth (z) of the piece, in cm, and the height
    its top carries the piece at."""

    half_width: float
    half_depth: float
    top: float
    leg: float  # leg or tube thickness, cm
    # For chairs: the rear legs run on up to the backrest's top.
    rear_top: float | None = None


def _legs(f: Footprint, p: Proportions, splay: float, inset: float) -> list[Part]:
    xs = (-(f.half_width - inset), f.half_width - inset)
    zs = (-(f.half_depth - inset), f.half_depth - inset)
    spread = 5.0 * splay
    legs = []
    for x in xs:
        for z in zs:
            head = f.rear_top if (f.rear_top is not None and z < 0) else f.top
            foot = (x + math.copysign(spread, x), 0.0, z + math.copysign(spread, z))
            legs.append(
                strut(
                    foot,
                    (x, head, z),
                    f.leg,
                    round_section=p.round_legs or splay > 0.3,
                    taper=0.7 if p.round_legs or splay > 0.3 else 1.0,
                )
            )
    if p.stretchers:
        legs += stretchers(xs, zs, min(f.top * 0.3, 26.0), f.leg)
    return legs


def stretchers(
    xs: tuple[float, float], zs: tuple[float, float], y: float, width: float
) -> list[Part]:
    """Rails between the legs, low down: two along x, two along z."""
    thick = width * 0.7
    rails = [
        box(
            (xs[0], y - thick / 2, z - thick / 2),
            (xs[1], y + thick / 2, z + thick / 2),
            sweep="x",
            radius=thick * 0.3,
            material=RAIL,
            layer=0,
            name="stretcher",
        )
        for z in zs
    ]
    rails += [
        box(
            (x - thick / 2, y - thick / 2, zs[0]),
            (x + thick / 2, y + thick / 2, zs[1]),
            sweep="z",
            radius=thick * 0.3,
            material=RAIL,
            layer=0,
            name="stretcher",
        )
        for x in xs
    ]
    return rails


def _plinth(f: Footprint, p: Proportions) -> list[Part]:
    inset = min(3.0, f.half_width * 0.1)
    toe = min(2.5, f.top * 0.2)
    # A recessed toe kick under the block: the plinth floats a finger's width off the floor.
    return [
        box(
            (-f.half_width + inset + 2.0, 0.0, -f.half_depth + inset + 2.0),
            (f.half_width - inset - 2.0, toe, f.half_depth - inset - 2.0),
            sweep="y",
            radius=p.roundness * 6.0,
            material=RAIL,
            layer=0,
            name="toe kick",
        ),
        box(
            (-f.half_width + inset, toe, -f.half_depth + inset),
            (f.half_width - inset, f.top, f.half_depth - inset),
            sweep="y",
            radius=p.roundness * min(f.half_width, f.half_depth) * 0.5 + 0.5,
            material=FRAME,
            layer=0,
            name="plinth",
        ),
    ]


def _sled(f: Footprint, p: Proportions) -> list[Part]:
    tube = max(2.2, f.leg * 0.8)
    parts: list[Part] = []
    for side in (-1, 1):
        x = side * (f.half_width - tube)
        z0, z1 = -f.half_depth + tube, f.half_depth - tube
        parts.append(
            box(
                (x - tube / 2, 0.0, z0 - tube),
                (x + tube / 2, tube, z1 + tube),
                sweep="z",
                radius=tube / 2,
                material=FRAME,
                layer=0,
                name="runner",
            )
        )
        for z in (z0, z1):
            head = f.rear_top if (f.rear_top is not None and z < 0) else f.top
            parts.append(
                strut((x, tube / 2, z), (x, head, z), tube, round_section=True, name="upright")
            )
    return parts


def _pedestal(f: Footprint, p: Proportions) -> list[Part]:
    # A heavy brief thickens the column, but it stays a column, not a drum.
    column = min(max(5.0, 6.0 * p.leg), 0.3 * min(f.half_width, f.half_depth) * 2)
    foot_r = min(f.half_width, f.half_depth) * 0.8
    # A long piece stands on two pedestals, one under each end.
    xs = (
        (0.0,)
        if f.half_width < 1.4 * f.half_depth + 10
        else (-f.half_width * 0.55, f.half_width * 0.55)
    )
    parts: list[Part] = []
    for x in xs:
        parts.append(
            box(
                (x - foot_r, 0.0, -foot_r),
                (x + foot_r, 2.5, foot_r),
                sweep="y",
                radius=foot_r,
                material=RAIL,
                layer=0,
                name="foot",
            )
        )
        parts.append(
            strut((x, 2.5, 0.0), (x, f.top, 0.0), column, round_section=True, name="column")
        )
    return parts


def _cantilever(f: Footprint, p: Proportions) -> list[Part]:
    tube = max(2.2, f.leg * 0.75)
    front, back = f.half_depth - tube, -f.half_depth + tube * 2
    parts: list[Part] = []
    for side in (-1, 1):
        x = side * (f.half_width - tube)
        # Floor tube from the front to the back, the front upright, and the top tube running back
        # under the seat: nothing holds the back of the seat up but the bend.
        parts.append(
            box(
                (x - tube / 2, 0.0, back),
                (x + tube / 2, tube, front + tube / 2),
                sweep="z",
                radius=tube / 2,
                material=FRAME,
                layer=0,
                name="runner",
            )
        )
        parts.append(
            strut((x, tube / 2, front), (x, f.top, front), tube, round_section=True, name="upright")
        )
        parts.append(
            box(
                (x - tube / 2, f.top - tube, back),
                (x + tube / 2, f.top, front + tube / 2),
                sweep="z",
                radius=tube / 2,
                material=FRAME,
                layer=0,
                name="top tube",
            )
        )
        if f.rear_top is not None:
            parts.append(
                strut(
                    (x, f.top, back),
                    (x, f.rear_top, back - 2.0),
                    tube,
                    round_section=True,
                    name="back tube",
                )
            )
    return parts


def base_parts(base: str, f: Footprint, p: Proportions) -> list[Part]:
    """The parts of `base` (one of vocabulary_brief.BASES) under footprint `f`."""
    if base == "plinth":
        return _plinth(f, p)
    if base == "sled":
        return _sled(f, p)
    if base == "pedestal":
        return _pedestal(f, p)
    if base == "cantilever":
        return _cantilever(f, p)
    if base == "splayed":
        return _legs(f, p, splay=max(p.splay, 0.7), inset=1.5 + f.leg / 2 + 3.0)
    return _legs(f, p, splay=0.0, inset=1.5 + f.leg / 2)
