"""The four seat forms (chair, stool, bench, lounge) built from parts and proportions."""

from __future__ import annotations

import math
from dataclasses import replace

from layerminder.providers.local.geometry import ACCENT, FRAME, RAIL, SEAT, Part, box, strut
from layerminder.providers.local.proportions import Proportions

SEAT_FORMS: tuple[str, ...] = ("chair", "stool", "bench", "lounge")


def _legs(
    xs: tuple[float, float],
    zs: tuple[float, float],
    height: float,
    p: Proportions,
    width: float,
    *,
    rear_height: float | None = None,
) -> list[Part]:
    legs = []
    spread = 5.0 * p.splay
    for x in xs:
        for z in zs:
            head_y = rear_height if (rear_height is not None and z < 0) else height
            foot = (x + math.copysign(spread, x), 0.0, z + math.copysign(spread, z))
            legs.append(
                strut(
                    foot,
                    (x, head_y, z),
                    width,
                    round_section=p.round_legs,
                    taper=0.7 if p.round_legs or p.splay > 0.3 else 1.0,
                )
            )
    return legs


def _stretchers(
    xs: tuple[float, float], zs: tuple[float, float], y: float, width: float
) -> list[Part]:
    thick = width * 0.7
    parts = []
    for z in zs:
        parts.append(
            box(
                (xs[0], y - thick / 2, z - thick / 2),
                (xs[1], y + thick / 2, z + thick / 2),
                sweep="x",
                radius=thick * 0.3,
                material=RAIL,
                layer=0,
            )
        )
    for x in xs:
        parts.append(
            box(
                (x - thick / 2, y - thick / 2, zs[0]),
                (x + thick / 2, y + thick / 2, zs[1]),
                sweep="z",
                radius=thick * 0.3,
                material=RAIL,
                layer=0,
            )
        )
    return parts


def _chair(p: Proportions, variant: int) -> list[Part]:
    width, depth = 46.0 * p.width, 46.0
    seat_top = 45.0 * p.height
    seat_t = 5.0 * p.thickness
    leg = 3.6 * p.leg
    back_top = seat_top + 38.0 * p.back
    inset = 1.5 + leg / 2
    xs = (-(width / 2 - inset), width / 2 - inset)
    zs = (-(depth / 2 - inset), depth / 2 - inset)
    parts = _legs(xs, zs, seat_top - seat_t, p, leg, rear_height=back_top)
    if p.stretchers:
        parts += _stretchers(xs, zs, seat_top * 0.3, leg)
    # The back panel sits on the front of the rear posts; the seat stops at the panel.
    back_t = 2.2 * max(p.thickness, 0.8)
    panel_z0 = zs[0] + leg / 2
    seat_r = p.roundness * min(width, depth) * 0.3 + 0.6
    back_r = p.roundness * 14.0 + 0.5
    back_lo = seat_top + (4.0 if variant % 2 else 14.0) * p.back
    parts.append(
        box(
            (-width / 2, back_lo, panel_z0),
            (width / 2, back_top, panel_z0 + back_t),
            sweep="z",
            radius=back_r,
            material=ACCENT,
            layer=1,
            tilt_deg=p.recline * 0.6,
            pivot=(0, seat_top, panel_z0),
        )
    )
    parts.append(
        box(
            (-width / 2, seat_top - seat_t, panel_z0 + back_t * 0.5),
            (width / 2, seat_top, depth / 2),
            sweep="y",
            radius=seat_r,
            material=SEAT,
            layer=2,
        )
    )
    return parts


def _stool(p: Proportions, variant: int) -> list[Part]:
    diameter = 36.0 * min(p.width, 1.3)
    seat_top = 46.0 * p.height
    seat_t = 4.5 * p.thickness
    leg = 3.4 * p.leg
    square = p.roundness < 0.08 or (variant % 2 == 1 and p.roundness < 0.3)
    radius = diameter * 0.08 if square else diameter / 2
    inset = diameter * 0.3
    xs, zs = (-inset, inset), (-inset, inset)
    parts = _legs(xs, zs, seat_top - seat_t, replace(p, splay=max(p.splay, 0.55)), leg)
    if p.stretchers or seat_top > 55 or variant % 2 == 1:
        parts += _stretchers(xs, zs, min(seat_top * 0.32, 26.0), leg * 0.8)
    parts.append(
        box(
            (-diameter / 2, seat_top - seat_t, -diameter / 2),
            (diameter / 2, seat_top, diameter / 2),
            sweep="y",
            radius=radius,
            material=SEAT,
            layer=2,
        )
    )
    return parts


def _bench(p: Proportions, variant: int) -> list[Part]:
    width, depth = 118.0 * p.width, 40.0
    seat_top = 44.0 * min(p.height, 1.15)
    seat_t = 5.5 * p.thickness
    leg = 4.0 * p.leg
    parts: list[Part] = []
    if p.slab_legs or p.leg > 1.7:
        for side in (-1, 1):
            x = side * (width / 2 - 12.0)
            parts.append(
                box(
                    (x - leg / 2, 0.0, -depth / 2 + 2.0),
                    (x + leg / 2, seat_top - seat_t, depth / 2 - 2.0),
                    sweep="x",
                    radius=p.roundness * 6.0,
                    material=FRAME,
                    layer=0,
                )
            )
    else:
        inset = 6.0 + leg / 2
        xs = (-(width / 2 - inset), width / 2 - inset)
        zs = (-(depth / 2 - 3.0 - leg / 2), depth / 2 - 3.0 - leg / 2)
        parts += _legs(xs, zs, seat_top - seat_t, p, leg)
        if p.stretchers or variant % 2 == 1:
            parts += _stretchers(xs, zs, seat_top * 0.25, leg)[:2]
    radius = p.roundness * depth * 0.35 + 0.5
    parts.append(
        box(
            (-width / 2, seat_top - seat_t, -depth / 2),
            (width / 2, seat_top, depth / 2),
            sweep="y",
            radius=radius,
            material=SEAT,
            layer=2,
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
            )
        )
    return parts


def _lounge(p: Proportions, variant: int) -> list[Part]:
    width, depth = 82.0 * p.width, 80.0
    base_y = 14.0 * min(p.height, 1.2)
    seat_top = 40.0 * min(p.height, 1.2)
    arm_w = 11.0 * min(max(p.leg, 0.7), 1.8)
    arm_top = seat_top + 20.0 * p.back**0.5
    back_top = seat_top + 36.0 * p.back
    back_d = 16.0 * min(max(p.thickness, 0.8), 1.4)
    soft = 3.0 + p.roundness * 12.0
    leg = 3.6 * min(p.leg, 1.6)
    parts: list[Part] = []
    if p.slab_legs or p.leg > 2.0:
        parts.append(
            box(
                (-width / 2 + 3, 0.0, -depth / 2 + 3),
                (width / 2 - 3, base_y, depth / 2 - 3),
                sweep="y",
                radius=p.roundness * 10.0 + 0.5,
                material=RAIL,
                layer=0,
            )
        )
    else:
        inset = 4.0 + leg / 2
        xs = (-(width / 2 - inset), width / 2 - inset)
        zs = (-(depth / 2 - inset), depth / 2 - inset)
        parts += _legs(xs, zs, base_y, p, leg)
    # Base frame the cushions sit on.
    frame_top = base_y + 8.0
    parts.append(
        box(
            (-width / 2, base_y, -depth / 2),
            (width / 2, frame_top, depth / 2),
            sweep="x",
            radius=2.0 + p.roundness * 4.0,
            material=RAIL,
            layer=1,
        )
    )
    arms = [
        box(
            (side * width / 2 - (arm_w if side > 0 else 0), frame_top, -depth / 2),
            (side * width / 2 + (0 if side > 0 else arm_w), arm_top, depth / 2),
            sweep="x",
            radius=soft,
            material=ACCENT,
            layer=layer,
        )
        for side, layer in ((-1, 2), (1, 6))
    ]
    has_arms = variant % 2 == 0 or p.roundness > 0.6
    inner = width / 2 - (arm_w if has_arms else 0.0)
    if has_arms:
        parts.append(arms[0])
    parts.append(
        box(
            (-inner, frame_top, -depth / 2),
            (inner, back_top, -depth / 2 + back_d),
            sweep="x",
            radius=soft,
            material=SEAT,
            layer=3,
            tilt_deg=8.0 + p.recline,
            pivot=(0, frame_top, -depth / 2 + back_d),
        )
    )
    parts.append(
        box(
            (-inner, frame_top, -depth / 2 + back_d),
            (inner, seat_top, depth / 2),
            sweep="x",
            radius=soft * 0.8,
            material=SEAT,
            layer=4,
        )
    )
    if has_arms:
        parts.append(arms[1])
    return parts


FORM_BUILDERS = {"chair": _chair, "stool": _stool, "bench": _bench, "lounge": _lounge}
