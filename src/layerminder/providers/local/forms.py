"""The furniture types (dining chair, stool, bench, lounge chair, sofa, side table) built from
parts on any base (bases.py), in proportions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from layerminder.providers.local.bases import Footprint, base_parts
from layerminder.providers.local.geometry import ACCENT, RAIL, SEAT, Geometry, Part, box
from layerminder.providers.local.proportions import Proportions

# The four archetypes a brief that names no type (or says "mix") is drawn in, in this order.
SEAT_FORMS: tuple[str, ...] = ("chair", "stool", "bench", "lounge")
FURNITURE_KINDS: tuple[str, ...] = (*SEAT_FORMS, "sofa", "side_table")
# Each type's bases, position by position, when nothing in the brief picks one.
DEFAULT_BASES: dict[str, tuple[str, ...]] = {
    "chair": ("four_legs", "splayed", "sled", "cantilever"),
    "stool": ("splayed", "four_legs", "pedestal", "sled"),
    "bench": ("four_legs", "plinth", "sled", "splayed"),
    "lounge": ("splayed", "plinth", "four_legs", "sled"),
    "sofa": ("four_legs", "plinth", "splayed", "sled"),
    "side_table": ("pedestal", "four_legs", "plinth", "splayed"),
}


@dataclass(frozen=True)
class Build:
    """How one design is built: its type, base and the choices within the type."""

    kind: str
    base: str
    variant: int = 0
    arms: bool = True  # lounge chairs and sofas
    modules: int = 1  # seat cushions side by side (a modular sofa has 2-4)


def _chair(p: Proportions, b: Build) -> Geometry:
    width, depth = 46.0 * p.width, 46.0
    seat_top = 45.0 * p.height
    seat_t = 5.0 * p.thickness
    leg = 3.6 * p.leg
    back_top = seat_top + 38.0 * p.back
    back_t = 2.2 * max(p.thickness, 0.8)
    panel_z0 = -depth / 2 + 1.5 + leg
    # Legs and sleds carry the backrest on their rear posts; other bases hold it off the seat.
    rear = back_top if b.base in {"four_legs", "splayed", "sled", "cantilever"} else None
    foot = Footprint(width / 2, depth / 2, seat_top - seat_t, leg, rear_top=rear)
    parts = base_parts(b.base, foot, p)
    back_lo = seat_top + (4.0 if b.variant % 2 else 14.0) * p.back
    back_r = p.roundness * 14.0 + 0.5
    if b.variant % 3 == 2:
        # A ladder back: three rails between the posts instead of a panel.
        step = (back_top - back_lo) / 3
        for rung in range(3):
            y0 = back_lo + rung * step + step * 0.35
            parts.append(
                box(
                    (-width / 2, y0, panel_z0),
                    (width / 2, y0 + step * 0.6, panel_z0 + back_t),
                    sweep="z",
                    radius=back_r * 0.3,
                    material=ACCENT,
                    layer=1,
                    name="back rail",
                    tilt_deg=p.recline * 0.6,
                    pivot=(0, seat_top, panel_z0),
                )
            )
    else:
        parts.append(
            box(
                (-width / 2, back_lo, panel_z0),
                (width / 2, back_top, panel_z0 + back_t),
                sweep="z",
                radius=back_r,
                material=ACCENT,
                layer=1,
                name="back",
                tilt_deg=p.recline * 0.6,
                pivot=(0, seat_top, panel_z0),
            )
        )
    parts.append(
        box(
            (-width / 2, seat_top - seat_t, panel_z0 + back_t * 0.5),
            (width / 2, seat_top, depth / 2),
            sweep="y",
            radius=p.roundness * min(width, depth) * 0.3 + 0.6,
            material=SEAT,
            layer=2,
            name="seat",
        )
    )
    return Geometry(tuple(parts), seat_top)


def _stool(p: Proportions, b: Build) -> Geometry:
    diameter = 36.0 * min(p.width, 1.3)
    seat_top = 46.0 * p.height
    seat_t = 4.5 * p.thickness
    square = p.roundness < 0.08 or (b.variant % 2 == 1 and p.roundness < 0.3)
    radius = diameter * 0.08 if square else diameter / 2
    foot = Footprint(diameter * 0.42, diameter * 0.42, seat_top - seat_t, 3.4 * p.leg)
    parts = base_parts(b.base, foot, p)
    parts.append(
        box(
            (-diameter / 2, seat_top - seat_t, -diameter / 2),
            (diameter / 2, seat_top, diameter / 2),
            sweep="y",
            radius=radius,
            material=SEAT,
            layer=2,
            name="seat",
        )
    )
    return Geometry(tuple(parts), seat_top)


def _bench(p: Proportions, b: Build) -> Geometry:
    width, depth = 118.0 * p.width, 40.0
    seat_top = 44.0 * min(p.height, 1.15)
    seat_t = 5.5 * p.thickness
    foot = Footprint(width / 2 - 6.0, depth / 2 - 1.0, seat_top - seat_t, 4.0 * p.leg)
    parts = base_parts(b.base, foot, p)
    parts.append(
        box(
            (-width / 2, seat_top - seat_t, -depth / 2),
            (width / 2, seat_top, depth / 2),
            sweep="y",
            radius=p.roundness * depth * 0.35 + 0.5,
            material=SEAT,
            layer=2,
            name="seat",
        )
    )
    if p.thickness > 1.3 or p.roundness > 0.7:
        # Soft benches get a cushion on the board.
        pad = 4.0 * p.thickness
        parts.append(
            box(
                (-width / 2 + 3, seat_top, -depth / 2 + 3),
                (width / 2 - 3, seat_top + pad, depth / 2 - 3),
                sweep="z",
                radius=pad * 0.5 * (0.4 + p.roundness),
                material=ACCENT,
                layer=3,
                name="cushion",
            )
        )
        seat_top += pad
    return Geometry(tuple(parts), seat_top)


def _upholstered(p: Proportions, b: Build, width: float, depth: float) -> Geometry:
    """A lounge chair or a sofa: a base, a frame, seat and back cushions (one per module),
    and arms."""
    base_y = 14.0 * min(p.height, 1.2)
    seat_top = 40.0 * min(p.height, 1.2)
    arm_w = 11.0 * min(max(p.leg, 0.7), 1.8)
    arm_top = seat_top + 20.0 * p.back**0.5
    back_top = seat_top + 36.0 * p.back
    back_d = 16.0 * min(max(p.thickness, 0.8), 1.4)
    soft = 3.0 + p.roundness * 12.0
    foot = Footprint(width / 2 - 3.0, depth / 2 - 3.0, base_y, 3.6 * min(p.leg, 1.6))
    parts = base_parts(b.base, foot, p)
    frame_top = base_y + 8.0
    parts.append(
        box(
            (-width / 2, base_y, -depth / 2),
            (width / 2, frame_top, depth / 2),
            sweep="x",
            radius=2.0 + p.roundness * 4.0,
            material=RAIL,
            layer=1,
            name="frame",
        )
    )
    inner = width / 2 - (arm_w if b.arms else 0.0)
    if b.arms:
        parts.append(_arm(-1, width, depth, arm_w, frame_top, arm_top, soft, layer=2))
    module_w = 2 * inner / max(b.modules, 1)
    # A modular piece shows a seam between its cushions; one module is one deep cushion.
    gap = 0.8 if b.modules > 1 else 0.0
    for index in range(max(b.modules, 1)):
        x0 = -inner + index * module_w + gap
        x1 = x0 + module_w - 2 * gap
        parts.append(
            box(
                (x0, frame_top, -depth / 2),
                (x1, back_top, -depth / 2 + back_d),
                sweep="x",
                radius=soft,
                material=SEAT,
                layer=3,
                name="back cushion",
                tilt_deg=8.0 + p.recline,
                pivot=(0, frame_top, -depth / 2 + back_d),
            )
        )
    for index in range(max(b.modules, 1)):
        x0 = -inner + index * module_w + gap
        x1 = x0 + module_w - 2 * gap
        parts.append(
            box(
                (x0, frame_top, -depth / 2 + back_d),
                (x1, seat_top, depth / 2),
                sweep="x",
                radius=soft * 0.8,
                material=SEAT,
                layer=4,
                name="seat cushion",
            )
        )
    if b.arms:
        parts.append(_arm(1, width, depth, arm_w, frame_top, arm_top, soft, layer=6))
    return Geometry(tuple(parts), seat_top)


def _arm(
    side: int,
    width: float,
    depth: float,
    arm_w: float,
    y0: float,
    y1: float,
    soft: float,
    *,
    layer: int,
) -> Part:
    x0 = side * width / 2 - (arm_w if side > 0 else 0)
    x1 = side * width / 2 + (0 if side > 0 else arm_w)
    return box(
        (x0, y0, -depth / 2),
        (x1, y1, depth / 2),
        sweep="x",
        radius=soft,
        material=ACCENT,
        layer=layer,
        name="arm",
    )


def _lounge(p: Proportions, b: Build) -> Geometry:
    return _upholstered(p, b, 82.0 * p.width, 80.0)


def _sofa(p: Proportions, b: Build) -> Geometry:
    modules = b.modules if b.modules > 1 else 3
    return _upholstered(p, replace(b, modules=modules), 64.0 * modules * p.width + 22.0, 88.0)


def _side_table(p: Proportions, b: Build) -> Geometry:
    side = 48.0 * min(p.width, 1.3)
    top_y = 52.0 * min(p.height, 1.2)
    top_t = 3.0 * p.thickness
    round_top = p.roundness >= 0.3 or b.variant % 2 == 0
    foot = Footprint(side * 0.42, side * 0.42, top_y - top_t, 3.2 * p.leg)
    parts = base_parts(b.base, foot, p)
    parts.append(
        box(
            (-side / 2, top_y - top_t, -side / 2),
            (side / 2, top_y, side / 2),
            sweep="y",
            radius=side / 2 if round_top else 2.0,
            material=SEAT,
            layer=2,
            name="top",
        )
    )
    return Geometry(tuple(parts), None)


FORM_BUILDERS: dict[str, Callable[[Proportions, Build], Geometry]] = {
    "chair": _chair,
    "stool": _stool,
    "bench": _bench,
    "lounge": _lounge,
    "sofa": _sofa,
    "side_table": _side_table,
}


def build(p: Proportions, b: Build) -> Geometry:
    """The geometry of one design."""
    if b.kind not in FORM_BUILDERS:
        raise ValueError(f"unknown furniture type {b.kind!r}; expected one of {FURNITURE_KINDS}")
    return FORM_BUILDERS[b.kind](p, b)
