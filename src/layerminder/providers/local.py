"""Offline `local` providers: procedural seat renders and a pixel-derived story, deterministic."""

from __future__ import annotations

import asyncio
import colorsys
import functools
import hashlib
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from layerminder.providers.base import (
    DESIGN_COUNT,
    DESIGN_SIZE,
    KEYWORD_COUNT,
    DesignBatch,
    Dimensions,
    InputImage,
    ProviderError,
    Story,
    StoryResult,
    normalise_keywords,
)

# float32 in practice; typed loosely because numpy's arithmetic promotes in the stubs.
FloatArray = npt.NDArray[np.floating[Any]]

SEAT_FORMS: tuple[str, ...] = ("chair", "stool", "bench", "lounge")
JPEG_QUALITY = 90
# Drawing happens at this multiple of the output size, then a box filter gives anti-aliased edges.
_SUPERSAMPLE = 2

# --------------------------------------------------------------------------------------------
# Reading the inputs: palette and texture
# --------------------------------------------------------------------------------------------

_THUMB = 64
# Side of the texture patch taken from each input; it repeats every 1/8th of a design.
_TEXTURE_TILE = 128


@dataclass(frozen=True)
class _Swatch:
    rgb: tuple[float, float, float]  # 0..1
    weight: float

    @property
    def hls(self) -> tuple[float, float, float]:
        return colorsys.rgb_to_hls(*self.rgb)


@dataclass(frozen=True)
class _InputLook:
    """What every design of one batch borrows from the inputs."""

    swatches: tuple[_Swatch, ...]  # most prominent first
    details: tuple[FloatArray, ...]  # zero-mean, unit-std luminance detail tiles, one per input


def _decode(data: bytes, max_side: int) -> Image.Image:
    try:
        opened = Image.open(io.BytesIO(data))
        # JPEG can decode at 1/2..1/8 scale directly, which makes large uploads cheap to read.
        opened.draft("RGB", (max_side * 2, max_side * 2))
        image = opened.convert("RGB")
    except Exception as exc:  # Pillow raises many types for corrupt data
        raise ProviderError(f"cannot read input image: {exc}", retryable=False) from exc
    image.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
    return image


def _kmeans(pixels: FloatArray, k: int, iterations: int = 12) -> tuple[FloatArray, FloatArray]:
    """Small deterministic k-means: centres start at luminance quantiles, so no RNG is needed."""
    luminance = pixels @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    order = np.argsort(luminance, kind="stable")
    picks = order[((np.arange(k) + 0.5) / k * len(order)).astype(int)]
    centres = pixels[picks].copy()
    labels = np.zeros(len(pixels), dtype=np.int64)
    for _ in range(iterations):
        distances = ((pixels[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        labels = distances.argmin(axis=1)
        for index in range(k):
            members = pixels[labels == index]
            if len(members):
                centres[index] = members.mean(axis=0)
    weights = np.bincount(labels, minlength=k).astype(np.float32) / max(len(pixels), 1)
    return centres, weights


def _detail_tile(image: Image.Image) -> FloatArray:
    """A seamless luminance detail map (zero mean, unit std) from the middle of an input."""
    # Half the short side: close enough to show the material's grain, not the whole scene.
    side = max(8, min(image.size) // 2)
    left = (image.width - side) // 2
    top = (image.height - side) // 2
    square = image.crop((left, top, left + side, top + side)).convert("L")
    square = square.resize((_TEXTURE_TILE, _TEXTURE_TILE), Image.Resampling.BILINEAR)
    fine = np.asarray(square, dtype=np.float32)
    coarse = np.asarray(square.filter(ImageFilter.GaussianBlur(2)), dtype=np.float32)
    # Clipping keeps hard edges in a photo (a table edge, a colour block) from drawing lines.
    spread = float((fine - coarse).std()) + 1e-6
    detail = np.clip(fine - coarse, -2.0 * spread, 2.0 * spread)
    # Cross-fading with a half-turn copy makes the tile wrap without seams (mirroring would
    # print a visible plaid of symmetric crosses).
    rolled = np.roll(detail, (detail.shape[0] // 2, detail.shape[1] // 2), axis=(0, 1))
    ramp = 1.0 - np.abs(np.linspace(-1.0, 1.0, detail.shape[0], dtype=np.float32))
    weight = np.minimum.outer(ramp, ramp)
    detail = detail * weight + rolled * (1.0 - weight)
    std = float(detail.std())
    if std < 0.8:
        # A flat input has no texture to give; amplifying its noise would only add speckle.
        return np.zeros_like(detail, dtype=np.float32)
    return ((detail - detail.mean()) / std).astype(np.float32)


def _read_inputs(images: Sequence[bytes]) -> _InputLook:
    if not images:
        raise ProviderError("at least one input image is needed", retryable=False)
    thumbs = [_decode(data, _THUMB * 4) for data in images]
    samples = [
        np.asarray(thumb.resize((_THUMB, _THUMB), Image.Resampling.BILINEAR), dtype=np.float32)
        for thumb in thumbs
    ]
    pixels = np.concatenate([s.reshape(-1, 3) for s in samples]) / 255.0
    centres, weights = _kmeans(pixels.astype(np.float32), k=5)
    swatches = [
        _Swatch((float(c[0]), float(c[1]), float(c[2])), float(w))
        for c, w in zip(centres, weights, strict=True)
        if w > 0.01
    ]
    swatches.sort(key=lambda s: (-s.weight, s.rgb))
    return _InputLook(tuple(swatches), tuple(_detail_tile(thumb) for thumb in thumbs))


# --------------------------------------------------------------------------------------------
# Keyword → proportions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proportions:
    """How a keyword shapes a seat: multipliers around a balanced default."""

    leg: float = 1.0  # leg and frame thickness
    roundness: float = 0.25  # 0 = crisp boxes, 1 = pillowy
    height: float = 1.0
    width: float = 1.0
    thickness: float = 1.0  # seat and cushion thickness
    splay: float = 0.0  # 0..1 outward lean of legs
    back: float = 1.0  # backrest height
    recline: float = 0.0  # degrees of backrest lean
    round_legs: bool = False
    slab_legs: bool = False
    metal_frame: bool = False
    stretchers: bool = False


_KEYWORD_RULES: dict[str, dict[str, float | bool]] = {
    "minimal": {"leg": 0.65, "thickness": 0.75, "roundness": 0.1},
    "minimalist": {"leg": 0.65, "thickness": 0.75, "roundness": 0.1},
    "slim": {"leg": 0.55, "thickness": 0.7},
    "slender": {"leg": 0.55, "thickness": 0.7, "height": 1.05},
    "thin": {"leg": 0.5, "thickness": 0.65},
    "delicate": {"leg": 0.5, "thickness": 0.7, "round_legs": True},
    "light": {"leg": 0.7, "thickness": 0.8},
    "airy": {"leg": 0.6, "thickness": 0.75, "splay": 0.4},
    "scandinavian": {"leg": 0.8, "round_legs": True, "splay": 0.5, "roundness": 0.35},
    "nordic": {"leg": 0.8, "round_legs": True, "splay": 0.5, "roundness": 0.35},
    "japanese": {"leg": 0.75, "thickness": 0.8, "roundness": 0.05, "height": 0.92},
    "wabi": {"leg": 0.9, "roundness": 0.3, "height": 0.9},
    "elegant": {"leg": 0.65, "round_legs": True, "height": 1.05, "back": 1.1},
    "chunky": {"leg": 2.1, "thickness": 1.7, "roundness": 0.3},
    "brutalist": {"leg": 2.6, "thickness": 1.9, "roundness": 0.0, "slab_legs": True},
    "brutal": {"leg": 2.4, "thickness": 1.8, "roundness": 0.0, "slab_legs": True},
    "bold": {"leg": 1.8, "thickness": 1.5},
    "heavy": {"leg": 2.2, "thickness": 1.7},
    "massive": {"leg": 2.5, "thickness": 1.9, "slab_legs": True},
    "monolithic": {"leg": 2.6, "thickness": 2.0, "roundness": 0.0, "slab_legs": True},
    "solid": {"leg": 1.9, "thickness": 1.5},
    "block": {"leg": 2.4, "thickness": 1.8, "roundness": 0.0},
    "concrete": {"leg": 2.4, "thickness": 1.8, "roundness": 0.05, "slab_legs": True},
    "organic": {"roundness": 0.95, "round_legs": True, "leg": 1.2},
    "soft": {"roundness": 0.9, "thickness": 1.3, "round_legs": True},
    "curved": {"roundness": 0.85, "round_legs": True, "splay": 0.3},
    "round": {"roundness": 1.0, "round_legs": True},
    "rounded": {"roundness": 0.85, "round_legs": True},
    "cloud": {"roundness": 1.0, "thickness": 1.6, "round_legs": True, "leg": 1.4},
    "bubble": {"roundness": 1.0, "thickness": 1.5, "round_legs": True},
    "plush": {"roundness": 0.8, "thickness": 1.6},
    "cozy": {"roundness": 0.75, "thickness": 1.4, "height": 0.92},
    "cosy": {"roundness": 0.75, "thickness": 1.4, "height": 0.92},
    "fluid": {"roundness": 0.9, "round_legs": True, "splay": 0.35},
    "biomorphic": {"roundness": 1.0, "round_legs": True, "leg": 1.3},
    "tall": {"height": 1.35, "back": 1.2},
    "high": {"height": 1.3},
    "bar": {"height": 1.5, "stretchers": True},
    "counter": {"height": 1.35, "stretchers": True},
    "low": {"height": 0.8, "back": 0.85},
    "lounge": {"height": 0.85, "recline": 12.0, "thickness": 1.3},
    "relaxed": {"recline": 14.0, "height": 0.9},
    "wide": {"width": 1.25},
    "long": {"width": 1.3},
    "generous": {"width": 1.2, "thickness": 1.3},
    "compact": {"width": 0.85},
    "industrial": {"metal_frame": True, "leg": 0.8, "stretchers": True, "roundness": 0.05},
    "metal": {"metal_frame": True, "leg": 0.7},
    "steel": {"metal_frame": True, "leg": 0.7},
    "chrome": {"metal_frame": True, "leg": 0.6, "round_legs": True},
    "midcentury": {"round_legs": True, "splay": 0.8, "leg": 0.9, "roundness": 0.35},
    "retro": {"round_legs": True, "splay": 0.7, "roundness": 0.5},
    "vintage": {"round_legs": True, "splay": 0.5, "roundness": 0.4},
    "rustic": {"leg": 1.5, "thickness": 1.3, "stretchers": True, "roundness": 0.15},
    "farmhouse": {"leg": 1.4, "stretchers": True},
    "geometric": {"roundness": 0.0, "round_legs": False},
    "angular": {"roundness": 0.0, "round_legs": False},
    "bauhaus": {"roundness": 0.05, "metal_frame": True, "leg": 0.7},
    "cubist": {"roundness": 0.0, "leg": 1.6, "thickness": 1.4},
    "modern": {"leg": 0.85, "roundness": 0.2},
    "contemporary": {"leg": 0.9, "roundness": 0.3},
    "classic": {"stretchers": True, "back": 1.15, "roundness": 0.2},
    "luxury": {"thickness": 1.35, "roundness": 0.6, "round_legs": True},
    "playful": {"roundness": 0.9, "leg": 1.4, "splay": 0.4},
}


def _unit_floats(text: str, count: int) -> list[float]:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return [digest[i] / 255.0 for i in range(count)]


def keyword_proportions(keyword: str | None) -> Proportions:
    """Map a style keyword to proportions; unknown words hash into a stable variation."""
    if not keyword or not keyword.strip():
        return Proportions()
    tokens = re.split(r"[^a-z0-9]+", keyword.lower().replace("mid-century", "midcentury"))
    multipliers: dict[str, float] = {}
    levels: dict[str, list[float]] = {}
    flags: dict[str, bool] = {}
    for token in filter(None, tokens):
        rule = _KEYWORD_RULES.get(token)
        if rule is None:
            u = _unit_floats(token, 8)
            rule = {
                "leg": 0.7 + 1.1 * u[0],
                "roundness": u[1] * 0.9,
                "height": 0.92 + 0.2 * u[2],
                "thickness": 0.8 + 0.7 * u[3],
                "splay": max(0.0, u[4] - 0.4),
                "round_legs": u[5] > 0.5,
                "recline": 10.0 * u[6],
                "stretchers": u[7] > 0.7,
            }
        for key, value in rule.items():
            if isinstance(value, bool):
                flags[key] = flags.get(key, False) or value
            elif key in {"roundness", "splay", "recline"}:
                levels.setdefault(key, []).append(float(value))
            else:
                multipliers[key] = multipliers.get(key, 1.0) * float(value)
    values: dict[str, float | bool] = {
        **{key: min(max(value, 0.4), 3.0) for key, value in multipliers.items()},
        **{key: sum(found) / len(found) for key, found in levels.items()},
        **flags,
    }
    return replace(Proportions(), **values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Geometry: every part is a ring of points swept to a second ring (boxes, cushions, legs)
# --------------------------------------------------------------------------------------------

# Material slots a part can use; each design fills them from the input palette. Rails are the
# frame's material with the grain running along them instead of up the legs.
_FRAME, _SEAT, _ACCENT, _RAIL = 0, 1, 2, 3


@dataclass(frozen=True)
class _Part:
    bottom: FloatArray  # (n, 3) ring
    top: FloatArray  # (n, 3) ring, same order
    material: int
    # Parts are painted layer by layer, far to near within a layer.
    layer: int


def _rounded_rect(half_u: float, half_v: float, radius: float, segments: int = 6) -> FloatArray:
    """A counter-clockwise rounded rectangle; radius clipped so a full radius gives a stadium."""
    radius = max(0.0, min(radius, half_u, half_v))
    if radius < 1e-3:
        corners = [(half_u, -half_v), (half_u, half_v), (-half_u, half_v), (-half_u, -half_v)]
        return np.array(corners, dtype=np.float32)
    points: list[tuple[float, float]] = []
    centres = [
        (half_u - radius, -half_v + radius, -90.0),
        (half_u - radius, half_v - radius, 0.0),
        (-half_u + radius, half_v - radius, 90.0),
        (-half_u + radius, -half_v + radius, 180.0),
    ]
    for cu, cv, start in centres:
        for step in range(segments + 1):
            angle = math.radians(start + 90.0 * step / segments)
            points.append((cu + radius * math.cos(angle), cv + radius * math.sin(angle)))
    ring = np.array(points, dtype=np.float32)
    # Neighbouring arcs share end points when the radius is full; drop the duplicates.
    keep = np.ones(len(ring), dtype=bool)
    keep[1:] = np.linalg.norm(np.diff(ring, axis=0), axis=1) > 1e-4
    return ring[keep]


_AXES = {"x": 0, "y": 1, "z": 2}


def _box(
    lo: Sequence[float],
    hi: Sequence[float],
    *,
    sweep: str,
    radius: float = 0.0,
    material: int,
    layer: int,
    tilt_deg: float = 0.0,
    pivot: Sequence[float] | None = None,
) -> _Part:
    """An axis-aligned box swept along `sweep`, its cross-section rounded by `radius` (cm).

    `tilt_deg` leans it backwards about the x axis through `pivot` (a reclined backrest).
    """
    lo_a = np.asarray(lo, dtype=np.float32)
    hi_a = np.asarray(hi, dtype=np.float32)
    centre = (lo_a + hi_a) / 2
    half = (hi_a - lo_a) / 2
    axis = _AXES[sweep]
    u_axis, v_axis = [(1, 2), (2, 0), (0, 1)][axis]
    ring2d = _rounded_rect(float(half[u_axis]), float(half[v_axis]), radius)
    ring = np.repeat(centre[None, :], len(ring2d), axis=0)
    ring[:, u_axis] += ring2d[:, 0]
    ring[:, v_axis] += ring2d[:, 1]
    bottom: FloatArray = ring.copy()
    top: FloatArray = ring.copy()
    bottom[:, axis] -= half[axis]
    top[:, axis] += half[axis]
    if tilt_deg:
        origin = np.asarray(pivot if pivot is not None else centre, dtype=np.float32)
        bottom = _tilt(bottom, tilt_deg, origin)
        top = _tilt(top, tilt_deg, origin)
    return _Part(bottom, top, material, layer)


def _tilt(points: FloatArray, degrees: float, origin: FloatArray) -> FloatArray:
    angle = math.radians(degrees)
    c, s = math.cos(angle), math.sin(angle)
    moved = points - origin
    y = moved[:, 1] * c + moved[:, 2] * s
    z = -moved[:, 1] * s + moved[:, 2] * c
    return (np.stack([moved[:, 0], y, z], axis=1) + origin).astype(np.float32)


def _strut(
    foot: Sequence[float],
    head: Sequence[float],
    width: float,
    *,
    round_section: bool,
    taper: float = 1.0,
    material: int = _FRAME,
    layer: int = 0,
) -> _Part:
    """A leg from `foot` to `head` with a horizontal cross-section (flat on the floor)."""
    half = width / 2
    ring2d = _rounded_rect(half, half, half if round_section else width * 0.08, segments=5)
    foot_a = np.asarray(foot, dtype=np.float32)
    head_a = np.asarray(head, dtype=np.float32)
    bottom = np.stack([ring2d[:, 0] * taper, np.zeros(len(ring2d)), ring2d[:, 1] * taper], axis=1)
    top = np.stack([ring2d[:, 0], np.zeros(len(ring2d)), ring2d[:, 1]], axis=1)
    # The ring is laid out in (x, z) counter-clockwise seen from below; flip to sweep upwards.
    bottom, top = bottom[::-1], top[::-1]
    return _Part(
        (bottom + foot_a).astype(np.float32), (top + head_a).astype(np.float32), material, layer
    )


# --------------------------------------------------------------------------------------------
# The four forms
# --------------------------------------------------------------------------------------------


def _legs(
    xs: tuple[float, float],
    zs: tuple[float, float],
    height: float,
    p: Proportions,
    width: float,
    *,
    rear_height: float | None = None,
) -> list[_Part]:
    legs = []
    spread = 5.0 * p.splay
    for x in xs:
        for z in zs:
            head_y = rear_height if (rear_height is not None and z < 0) else height
            foot = (x + math.copysign(spread, x), 0.0, z + math.copysign(spread, z))
            legs.append(
                _strut(
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
) -> list[_Part]:
    thick = width * 0.7
    parts = []
    for z in zs:
        parts.append(
            _box(
                (xs[0], y - thick / 2, z - thick / 2),
                (xs[1], y + thick / 2, z + thick / 2),
                sweep="x",
                radius=thick * 0.3,
                material=_RAIL,
                layer=0,
            )
        )
    for x in xs:
        parts.append(
            _box(
                (x - thick / 2, y - thick / 2, zs[0]),
                (x + thick / 2, y + thick / 2, zs[1]),
                sweep="z",
                radius=thick * 0.3,
                material=_RAIL,
                layer=0,
            )
        )
    return parts


def _chair(p: Proportions, variant: int) -> list[_Part]:
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
        _box(
            (-width / 2, back_lo, panel_z0),
            (width / 2, back_top, panel_z0 + back_t),
            sweep="z",
            radius=back_r,
            material=_ACCENT,
            layer=1,
            tilt_deg=p.recline * 0.6,
            pivot=(0, seat_top, panel_z0),
        )
    )
    parts.append(
        _box(
            (-width / 2, seat_top - seat_t, panel_z0 + back_t * 0.5),
            (width / 2, seat_top, depth / 2),
            sweep="y",
            radius=seat_r,
            material=_SEAT,
            layer=2,
        )
    )
    return parts


def _stool(p: Proportions, variant: int) -> list[_Part]:
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
        _box(
            (-diameter / 2, seat_top - seat_t, -diameter / 2),
            (diameter / 2, seat_top, diameter / 2),
            sweep="y",
            radius=radius,
            material=_SEAT,
            layer=2,
        )
    )
    return parts


def _bench(p: Proportions, variant: int) -> list[_Part]:
    width, depth = 118.0 * p.width, 40.0
    seat_top = 44.0 * min(p.height, 1.15)
    seat_t = 5.5 * p.thickness
    leg = 4.0 * p.leg
    parts: list[_Part] = []
    if p.slab_legs or p.leg > 1.7:
        for side in (-1, 1):
            x = side * (width / 2 - 12.0)
            parts.append(
                _box(
                    (x - leg / 2, 0.0, -depth / 2 + 2.0),
                    (x + leg / 2, seat_top - seat_t, depth / 2 - 2.0),
                    sweep="x",
                    radius=p.roundness * 6.0,
                    material=_FRAME,
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
        _box(
            (-width / 2, seat_top - seat_t, -depth / 2),
            (width / 2, seat_top, depth / 2),
            sweep="y",
            radius=radius,
            material=_SEAT,
            layer=2,
        )
    )
    if p.thickness > 1.3 or p.roundness > 0.7:
        # Soft benches get a cushion on the board.
        pad = 4.0 * p.thickness
        parts.append(
            _box(
                (-width / 2 + 3, seat_top, -depth / 2 + 3),
                (width / 2 - 3, seat_top + pad, depth / 2 - 3),
                sweep="z",
                radius=pad * 0.5 * (0.4 + p.roundness),
                material=_ACCENT,
                layer=3,
            )
        )
    return parts


def _lounge(p: Proportions, variant: int) -> list[_Part]:
    width, depth = 82.0 * p.width, 80.0
    base_y = 14.0 * min(p.height, 1.2)
    seat_top = 40.0 * min(p.height, 1.2)
    arm_w = 11.0 * min(max(p.leg, 0.7), 1.8)
    arm_top = seat_top + 20.0 * p.back**0.5
    back_top = seat_top + 36.0 * p.back
    back_d = 16.0 * min(max(p.thickness, 0.8), 1.4)
    soft = 3.0 + p.roundness * 12.0
    leg = 3.6 * min(p.leg, 1.6)
    parts: list[_Part] = []
    if p.slab_legs or p.leg > 2.0:
        parts.append(
            _box(
                (-width / 2 + 3, 0.0, -depth / 2 + 3),
                (width / 2 - 3, base_y, depth / 2 - 3),
                sweep="y",
                radius=p.roundness * 10.0 + 0.5,
                material=_RAIL,
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
        _box(
            (-width / 2, base_y, -depth / 2),
            (width / 2, frame_top, depth / 2),
            sweep="x",
            radius=2.0 + p.roundness * 4.0,
            material=_RAIL,
            layer=1,
        )
    )
    arms = [
        _box(
            (side * width / 2 - (arm_w if side > 0 else 0), frame_top, -depth / 2),
            (side * width / 2 + (0 if side > 0 else arm_w), arm_top, depth / 2),
            sweep="x",
            radius=soft,
            material=_ACCENT,
            layer=layer,
        )
        for side, layer in ((-1, 2), (1, 6))
    ]
    has_arms = variant % 2 == 0 or p.roundness > 0.6
    inner = width / 2 - (arm_w if has_arms else 0.0)
    if has_arms:
        parts.append(arms[0])
    parts.append(
        _box(
            (-inner, frame_top, -depth / 2),
            (inner, back_top, -depth / 2 + back_d),
            sweep="x",
            radius=soft,
            material=_SEAT,
            layer=3,
            tilt_deg=8.0 + p.recline,
            pivot=(0, frame_top, -depth / 2 + back_d),
        )
    )
    parts.append(
        _box(
            (-inner, frame_top, -depth / 2 + back_d),
            (inner, seat_top, depth / 2),
            sweep="x",
            radius=soft * 0.8,
            material=_SEAT,
            layer=4,
        )
    )
    if has_arms:
        parts.append(arms[1])
    return parts


_FORM_BUILDERS = {"chair": _chair, "stool": _stool, "bench": _bench, "lounge": _lounge}


# --------------------------------------------------------------------------------------------
# Camera, lighting and painting
# --------------------------------------------------------------------------------------------


def _camera(yaw_deg: float, pitch_deg: float) -> FloatArray:
    yaw, pitch = math.radians(yaw_deg), math.radians(pitch_deg)
    turn = np.array(
        [[math.cos(yaw), 0, math.sin(yaw)], [0, 1, 0], [-math.sin(yaw), 0, math.cos(yaw)]]
    )
    tip = np.array(
        [[1, 0, 0], [0, math.cos(pitch), -math.sin(pitch)], [0, math.sin(pitch), math.cos(pitch)]]
    )
    return (tip @ turn).astype(np.float32)


# Key light from the upper left, slightly in front, like a softbox in a product studio.
_LIGHT = np.array([-0.55, 0.85, 0.45], dtype=np.float32) / np.linalg.norm([-0.55, 0.85, 0.45])
_SHADE_SCALE = 200.0  # shade map value 200 = lit at 1.0, leaving headroom for highlights


@dataclass(frozen=True)
class _Face:
    points: FloatArray  # (k, 3) world
    normal: FloatArray  # (3,) world, outward


def _faces(part: _Part) -> list[_Face]:
    bottom, top = part.bottom, part.top
    sweep = (top - bottom).mean(axis=0)
    # Orient the ring counter-clockwise about the sweep so side normals point outwards.
    area = np.cross(bottom, np.roll(bottom, -1, axis=0)).sum(axis=0)
    if float(area @ sweep) < 0:
        bottom, top = bottom[::-1], top[::-1]
    faces: list[_Face] = []
    axis = sweep / max(float(np.linalg.norm(sweep)), 1e-6)
    faces.append(_Face(bottom[::-1], -axis))
    faces.append(_Face(top, axis))
    nxt_bottom, nxt_top = np.roll(bottom, -1, axis=0), np.roll(top, -1, axis=0)
    edges = nxt_bottom - bottom
    normals = np.cross(edges, (top + nxt_top) / 2 - (bottom + nxt_bottom) / 2)
    lengths = np.linalg.norm(normals, axis=1)
    for index in range(len(bottom)):
        if lengths[index] < 1e-6:
            continue
        quad = np.stack([bottom[index], nxt_bottom[index], nxt_top[index], top[index]])
        faces.append(_Face(quad, normals[index] / lengths[index]))
    return faces


def _shade(normal: FloatArray) -> float:
    diffuse = max(0.0, float(normal @ _LIGHT))
    # Sky fill: faces pointing up catch more of the studio's ambient light.
    sky = 0.5 + 0.5 * float(normal[1])
    return 0.34 + 0.62 * diffuse + 0.16 * sky


@dataclass(frozen=True)
class _Material:
    rgb: tuple[float, float, float]  # 0..1
    kind: str  # fabric | wood | metal | lacquer
    detail: FloatArray  # seamless tile from an input
    vertical_grain: bool = True


def _scaled_tile(tile: FloatArray, size: int) -> FloatArray:
    """The detail tile at the scale it should repeat on a `size` canvas (every 1/8th)."""
    side = max(16, size // 8)
    if tile.shape[0] == side:
        return tile
    resized = Image.fromarray(tile, "F").resize((side, side), Image.Resampling.BILINEAR)
    return np.asarray(resized, dtype=np.float32)


def _convex_hull(points: FloatArray) -> FloatArray:
    pts = sorted({(round(float(x), 2), round(float(y), 2)) for x, y in points})
    if len(pts) < 3:
        return np.array(pts, dtype=np.float32)

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for pt in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], pt) <= 0:
            lower.pop()
        lower.append(pt)
    upper: list[tuple[float, float]] = []
    for pt in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], pt) <= 0:
            upper.pop()
        upper.append(pt)
    return np.array(lower[:-1] + upper[:-1], dtype=np.float32)


# A batch shares one tint; a few entries cover concurrent batches without holding much memory.
@functools.lru_cache(maxsize=4)
def _background(size: int, tint: tuple[float, float, float]) -> Image.Image:
    """A studio sweep: light wall fading into a slightly darker floor, with a soft vignette."""
    small = 96
    y = (np.arange(small, dtype=np.float32) + 0.5) / small
    x = (np.arange(small, dtype=np.float32) + 0.5) / small
    tint_a = np.asarray(tint, dtype=np.float32)
    wall = 0.55 * tint_a + 0.45
    floor = 0.62 * tint_a + 0.30
    blend = np.clip((y - 0.5) / 0.45, 0, 1)
    blend = blend * blend * (3 - 2 * blend)
    column = wall[None, :] * (1 - blend[:, None]) + floor[None, :] * blend[:, None]
    radial = ((x[None, :] - 0.5) ** 2 + (y[:, None] - 0.45) ** 2) ** 0.5
    vignette = 1.0 - 0.16 * np.clip(radial / 0.75, 0, 1) ** 2
    image = column[:, None, :] * vignette[:, :, None]
    pil = Image.fromarray(np.clip(image * 255, 0, 255).astype(np.uint8), "RGB")
    return pil.resize((size, size), Image.Resampling.BICUBIC)


def _grain(shape: tuple[int, int], rng: np.random.Generator, vertical: bool) -> FloatArray:
    """Wood-like grain: stretched noise bands warped by low-frequency noise."""
    h, w = shape
    warp_small = rng.standard_normal((6, 6)).astype(np.float32)
    warp = np.asarray(
        Image.fromarray(warp_small, "F").resize((w, h), Image.Resampling.BICUBIC), dtype=np.float32
    )
    along = np.arange(w if not vertical else h, dtype=np.float32)
    across = np.arange(h if not vertical else w, dtype=np.float32)
    freq = 2 * math.pi / (7.0 + 5.0 * float(rng.random()))
    if vertical:
        base = across[None, :] * freq + 0.0 * along[:, None]
    else:
        base = across[:, None] * freq + 0.0 * along[None, :]
    bands = np.sin(base + 2.2 * warp)
    return (np.sign(bands) * np.abs(bands) ** 0.6).astype(np.float32)


def _paint(
    parts: list[_Part],
    materials: Sequence[_Material],
    tint: tuple[float, float, float],
    size: int,
    rng: np.random.Generator,
    yaw_deg: float,
) -> Image.Image:
    cam = _camera(yaw_deg, 17.0)
    all_points = np.concatenate([np.concatenate([p.bottom, p.top]) for p in parts])
    projected = all_points @ cam.T
    min_xy, max_xy = projected[:, :2].min(axis=0), projected[:, :2].max(axis=0)
    extent = max_xy - min_xy
    scale = min(0.70 * size / float(extent[0]), 0.64 * size / float(extent[1]))
    centre_x = size / 2 - scale * float(min_xy[0] + max_xy[0]) / 2
    centre_y = size * 0.52 + scale * float(min_xy[1] + max_xy[1]) / 2

    def to_screen(points: FloatArray, factor: float = 1.0) -> list[tuple[float, float]]:
        cam_points = points @ cam.T
        xs = (centre_x + scale * cam_points[:, 0]) * factor
        ys = (centre_y - scale * cam_points[:, 1]) * factor
        return list(zip(xs.tolist(), ys.tolist(), strict=True))

    # Floor shadow: parts projected along the light onto the floor, blurred, plus contact darkening.
    shadow_size = size // 4
    shadow = Image.new("L", (shadow_size, shadow_size), 0)
    contact = Image.new("L", (shadow_size, shadow_size), 0)
    shadow_draw, contact_draw = ImageDraw.Draw(shadow), ImageDraw.Draw(contact)
    for part in parts:
        points = np.concatenate([part.bottom, part.top])
        cast = points - _LIGHT[None, :] * (points[:, 1:2] / _LIGHT[1])
        cast[:, 1] = 0
        hull = _convex_hull(np.array(to_screen(cast, 0.25), dtype=np.float32))
        if len(hull) >= 3:
            shadow_draw.polygon([tuple(pt) for pt in hull.tolist()], fill=255)
        low = points[points[:, 1] < 12.0]
        if len(low):
            flat = low.copy()
            flat[:, 1] = 0
            hull = _convex_hull(np.array(to_screen(flat, 0.25), dtype=np.float32))
            if len(hull) >= 3:
                contact_draw.polygon([tuple(pt) for pt in hull.tolist()], fill=255)
    footprint = np.concatenate([p.bottom for p in parts])
    footprint = footprint.copy()
    footprint[:, 1] = 0
    spread = np.array(to_screen(footprint, 0.25), dtype=np.float32)
    (fx0, fy0), (fx1, fy1) = spread.min(axis=0), spread.max(axis=0)
    pad_x, pad_y = (fx1 - fx0) * 0.12, (fy1 - fy0) * 0.2 + 2
    ambient = Image.new("L", (shadow_size, shadow_size), 0)
    ImageDraw.Draw(ambient).ellipse((fx0 - pad_x, fy0 - pad_y, fx1 + pad_x, fy1 + pad_y), fill=255)
    blur = shadow_size / 64
    shade_total = (
        np.asarray(shadow.filter(ImageFilter.GaussianBlur(blur * 1.6)), dtype=np.float32) * 0.30
        + np.asarray(contact.filter(ImageFilter.GaussianBlur(blur * 0.5)), dtype=np.float32) * 0.35
        + np.asarray(ambient.filter(ImageFilter.GaussianBlur(blur * 3.0)), dtype=np.float32) * 0.16
    )
    # Multiplying by the inverted shadow darkens the background where the shadow falls.
    shadow_img = Image.fromarray(np.clip(255 - shade_total, 0, 255).astype(np.uint8), "L")
    shadow_rgb = shadow_img.resize((size, size), Image.Resampling.BILINEAR).convert("RGB")
    canvas = ImageChops.multiply(_background(size, tint), shadow_rgb)

    # Object: a shade map and one coverage mask per material, drawn supersampled.
    big = size * _SUPERSAMPLE
    shade_map = Image.new("L", (big, big), 0)
    masks = {index: Image.new("L", (big, big), 0) for index in sorted({p.material for p in parts})}
    shade_draw = ImageDraw.Draw(shade_map)
    mask_draws = {index: ImageDraw.Draw(mask) for index, mask in masks.items()}
    view = cam[2]  # direction towards the camera, in world coordinates
    ordered = sorted(
        parts,
        key=lambda part: (
            part.layer,
            float((np.concatenate([part.bottom, part.top]) @ view).mean()),
        ),
    )
    for part in ordered:
        faces = [face for face in _faces(part) if float(face.normal @ view) > 1e-4]
        faces.sort(key=lambda face: float((face.points @ view).mean()))
        for face in faces:
            polygon = to_screen(face.points, _SUPERSAMPLE)
            value = int(min(255, max(0, round(_shade(face.normal) * _SHADE_SCALE))))
            shade_draw.polygon(polygon, fill=value)
            for index, mask_draw in mask_draws.items():
                mask_draw.polygon(polygon, fill=255 if index == part.material else 0)

    object_box = shade_map.getbbox()
    if object_box is None:
        return canvas
    ss = _SUPERSAMPLE
    x0, y0 = object_box[0] // ss, object_box[1] // ss
    x1, y1 = -(-object_box[2] // ss), -(-object_box[3] // ss)
    big_box = (x0 * ss, y0 * ss, x1 * ss, y1 * ss)

    def reduced(image: Image.Image) -> FloatArray:
        return np.asarray(image.crop(big_box).reduce(ss), dtype=np.float32)

    coverage = {index: reduced(mask) / 255.0 for index, mask in masks.items()}
    total = np.sum(list(coverage.values()), axis=0)
    # The shade map is averaged with black outside the object; undo that at anti-aliased edges.
    lit = reduced(shade_map) / _SHADE_SCALE / np.clip(total, 1e-3, None)
    # Ambient occlusion towards the floor: lower parts of the object sit in shadow.
    heights = np.linspace(0.0, 1.0, y1 - y0, dtype=np.float32)[:, None]
    lit *= 1.0 - 0.16 * heights**2
    out = np.asarray(canvas.crop((x0, y0, x1, y1)), dtype=np.float32) / 255.0
    out *= (1.0 - total)[:, :, None]
    for index, alpha in coverage.items():
        rows = np.flatnonzero(alpha.any(axis=1))
        cols = np.flatnonzero(alpha.any(axis=0))
        if not len(rows):
            continue
        window = (slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1))
        out[window] += (
            _surface(materials[index], lit[window], size, rng) * alpha[window][:, :, None]
        )
    canvas.paste(
        Image.fromarray(np.clip(out * 255 + 0.5, 0, 255).astype(np.uint8), "RGB"), (x0, y0)
    )
    return canvas


def _surface(
    material: _Material, lit: FloatArray, size: int, rng: np.random.Generator
) -> FloatArray:
    """The lit colour of a material over a window: base colour x texture x shading."""
    h, w = lit.shape
    tile = _scaled_tile(material.detail, size)
    reps = (h // tile.shape[0] + 2, w // tile.shape[1] + 2)
    offset_y, offset_x = int(rng.integers(0, tile.shape[0])), int(rng.integers(0, tile.shape[1]))
    detail = np.tile(tile, reps)[offset_y : offset_y + h, offset_x : offset_x + w]
    if material.kind == "wood":
        texture = 0.16 * _grain((h, w), rng, vertical=material.vertical_grain) + 0.04 * detail
    elif material.kind == "fabric":
        texture = 0.07 * detail
    elif material.kind == "metal":
        texture = 0.03 * detail
    else:
        texture = 0.05 * detail
    shaded = (1.0 + texture) * lit
    colour = np.asarray(material.rgb, dtype=np.float32)[None, None, :] * shaded[:, :, None]
    if material.kind in {"metal", "lacquer"}:
        # A glossy surface throws a whiter highlight where the light hits it squarely.
        gloss = np.clip(lit - 0.92, 0, None) * (2.2 if material.kind == "metal" else 1.2)
        colour += gloss[:, :, None]
    return colour


# --------------------------------------------------------------------------------------------
# Designs
# --------------------------------------------------------------------------------------------

# Each form is shown from the angle that reads best for it.
_YAW = {"chair": -38.0, "stool": -30.0, "bench": -24.0, "lounge": -34.0}


def _clamp_lightness(
    rgb: tuple[float, float, float], low: float, high: float
) -> tuple[float, float, float]:
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    return colorsys.hls_to_rgb(hue, min(max(lightness, low), high), saturation)


def _frame_kind(rgb: tuple[float, float, float], p: Proportions) -> str:
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    if p.metal_frame or (saturation < 0.12 and lightness < 0.5):
        return "metal"
    if 0.03 <= hue <= 0.14 and saturation > 0.15 and 0.15 < lightness < 0.75:
        return "wood"
    return "lacquer"


def _materials(
    look: _InputLook, p: Proportions, position: int, rng: np.random.Generator
) -> list[_Material]:
    swatches = list(look.swatches)
    # Rotating the roles gives each design of a batch its own reading of the same palette.
    shift = position % len(swatches)
    roles = swatches[shift:] + swatches[:shift]
    seat = roles[0]
    by_contrast = sorted(
        roles[1:] or roles,
        key=lambda s: -(abs(s.hls[1] - seat.hls[1]) + 0.3 * s.weight),
    )
    frame = by_contrast[0]
    accent = roles[2] if len(roles) > 2 else (roles[1] if len(roles) > 1 else seat)
    frame_rgb = _clamp_lightness(frame.rgb, 0.1, 0.7)
    frame_kind = _frame_kind(frame_rgb, p)
    if frame_kind == "metal":
        frame_rgb = _clamp_lightness(frame_rgb, 0.14, 0.55)
    detail_count = len(look.details)
    detail = look.details[(position + int(rng.integers(0, detail_count))) % detail_count]
    seat_rgb = _clamp_lightness(seat.rgb, 0.14, 0.86)
    accent_rgb = _clamp_lightness(accent.rgb, 0.14, 0.86)
    return [
        _Material(frame_rgb, frame_kind, detail),
        _Material(seat_rgb, "fabric", _with_weave(detail, rng)),
        _Material(
            accent_rgb, "fabric", _with_weave(look.details[(position + 1) % detail_count], rng)
        ),
        _Material(frame_rgb, frame_kind, detail, vertical_grain=False),
    ]


def _with_weave(detail: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Fabric reads as fabric with a fine, even weave under whatever the input contributes."""
    weave = rng.standard_normal(detail.shape).astype(np.float32)
    # A wrap-around 3x3 average keeps the tile seamless while taking the edge off JPEG blocks.
    softened = (
        sum(
            np.roll(np.roll(detail, dy, axis=0), dx, axis=1)
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
        )
        / 9.0
    )
    return (softened + 0.45 * weave).astype(np.float32)


def _seed(images: Sequence[bytes], keyword: str | None, *extra: object) -> int:
    digest = hashlib.sha256()
    for data in images:
        digest.update(hashlib.sha256(data).digest())
    digest.update(b"\0" + (keyword or "").strip().lower().encode("utf-8"))
    for item in extra:
        digest.update(b"\0" + str(item).encode("utf-8"))
    return int.from_bytes(digest.digest()[:8], "big")


def _render(
    look: _InputLook,
    images: Sequence[bytes],
    keyword: str | None,
    form: str,
    position: int,
    size: int,
) -> bytes:
    if form not in _FORM_BUILDERS:
        raise ValueError(f"unknown seat form {form!r}; expected one of {SEAT_FORMS}")
    rng = np.random.default_rng(_seed(images, keyword, form, position))
    proportions = keyword_proportions(keyword)
    parts = _FORM_BUILDERS[form](proportions, position // len(SEAT_FORMS) + int(rng.integers(0, 2)))
    materials = _materials(look, proportions, position, rng)
    lightest = max(look.swatches, key=lambda s: s.hls[1])
    tint = tuple(0.35 * c + 0.65 * 0.93 for c in lightest.rgb)
    yaw = _YAW[form] + float(rng.uniform(-4.0, 4.0))
    image = _paint(parts, materials, (tint[0], tint[1], tint[2]), size, rng, yaw)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=False)
    return buffer.getvalue()


def render_seat(
    images: Sequence[bytes],
    keyword: str | None,
    form: str,
    *,
    size: int = DESIGN_SIZE,
    variant: int = 0,
) -> bytes:
    """Render one seat of `form` (see SEAT_FORMS) as JPEG bytes, coloured from `images`."""
    return _render(
        _read_inputs(images),
        images,
        keyword,
        form,
        variant * len(SEAT_FORMS) + SEAT_FORMS.index(form),
        size,
    )


def render_designs(
    images: Sequence[bytes],
    keyword: str | None,
    count: int = DESIGN_COUNT,
    *,
    size: int = DESIGN_SIZE,
) -> list[bytes]:
    """Render `count` distinct seat designs (chair, stool, bench, lounge, then variations).

    Blocking and CPU-bound: call it from a worker thread. Same inputs and keyword give
    byte-identical JPEGs.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    look = _read_inputs(images)
    return [
        _render(look, images, keyword, SEAT_FORMS[position % len(SEAT_FORMS)], position, size)
        for position in range(count)
    ]


class LocalImageProvider:
    """Offline image provider: procedural renders that take their palette from the inputs."""

    name = "local"
    model = "procedural-v1"

    async def generate_designs(
        self, inputs: Sequence[InputImage], keyword: str | None, count: int = DESIGN_COUNT
    ) -> DesignBatch:
        images = [item.data for item in inputs]
        designs = await asyncio.to_thread(render_designs, images, keyword, count)
        return DesignBatch(images=designs, provider=self.name, model=self.model)


# --------------------------------------------------------------------------------------------
# Reading a design back from its pixels (story provider)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DesignReading:
    """What the pixels of one design say about it."""

    form: str  # one of SEAT_FORMS
    aspect: float  # object bounding box width / height
    fill: float  # object pixels / bounding box area
    top_mass: float  # share of object pixels in the upper 35% of the box
    base_fill: float  # how solid the lowest 20% of the box is (legs vs plinth)
    angularity: float  # 0 = edges in every direction (curved), 1 = a few dominant directions
    texture: float  # mean local contrast on the object
    colours: tuple[
        tuple[tuple[float, float, float], float], ...
    ]  # (rgb 0..1, share), largest first


def _row_background(pixels: FloatArray) -> FloatArray:
    """Per-row background colour from the left and right margins (studio sweeps vary by row).

    Of the two margins the lighter one wins: a cast shadow reaching one edge only darkens.
    """
    width = pixels.shape[1]
    margin = max(2, width // 14)
    left = np.median(pixels[:, :margin], axis=1)
    right = np.median(pixels[:, -margin:], axis=1)
    return np.where((left.sum(axis=1) >= right.sum(axis=1))[:, None], left, right)


def read_design(jpeg: bytes) -> DesignReading:
    """Measure a design image: object silhouette, palette, edge directions and texture."""
    image = _decode(jpeg, 192)
    pixels = np.asarray(image, dtype=np.float32) / 255.0
    height, width = pixels.shape[:2]
    background = _row_background(pixels)[:, None, :]
    distance = np.abs(pixels - background).max(axis=2)
    lum = pixels @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    bg_lum = background[..., 0] * 0.299 + background[..., 1] * 0.587 + background[..., 2] * 0.114
    ratio = lum / np.clip(bg_lum, 1e-3, None)
    chroma_shift = np.abs(
        (pixels - lum[..., None]) - (background - bg_lum[..., None]) * ratio[..., None]
    ).max(axis=2)
    # A floor shadow (or vignette) is the background darker or lighter without a change of hue;
    # it is not the object.
    shadow = (ratio > 0.55) & (ratio < 1.1) & (chroma_shift < 0.035)
    mask = (distance > 0.09) & ~shadow
    if mask.mean() < 0.02:
        mask = distance > 0.05
    if mask.mean() < 0.005:
        mask = np.ones_like(mask)
    # Columns first, with a height threshold: a flat shadow blob beside the object is only a few
    # pixels tall, while legs and panels run tall. Rows then count only inside those columns.
    cols = np.flatnonzero(mask.sum(axis=0) >= max(3, height // 32))
    if len(cols):
        rows = np.flatnonzero(mask[:, cols[0] : cols[-1] + 1].sum(axis=1) >= max(2, width // 100))
    if not len(cols) or not len(rows):
        rows, cols = np.arange(height), np.arange(width)
    y0, y1, x0, x1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    box = mask[y0:y1, x0:x1]
    box_h, box_w = box.shape
    total = max(int(box.sum()), 1)
    aspect = box_w / max(box_h, 1)
    fill = total / max(box.size, 1)
    top_mass = float(box[: max(1, int(box_h * 0.35))].sum()) / total
    base_fill = float(box[int(box_h * 0.8) :].mean()) if box_h >= 5 else fill

    gray = lum[y0:y1, x0:x1]
    gx = np.zeros_like(gray)
    gy = np.zeros_like(gray)
    gx[:, 1:-1] = gray[:, 2:] - gray[:, :-2]
    gy[1:-1, :] = gray[2:, :] - gray[:-2, :]
    magnitude = np.hypot(gx, gy)
    strong = magnitude > 0.06
    if strong.sum() >= 20:
        angles = np.mod(np.arctan2(gy[strong], gx[strong]), math.pi)
        histogram, _ = np.histogram(angles, bins=18, range=(0, math.pi), weights=magnitude[strong])
        share = histogram / max(float(histogram.sum()), 1e-6)
        entropy = -float((share[share > 0] * np.log(share[share > 0])).sum()) / math.log(18)
        angularity = float(np.clip(1.0 - entropy, 0.0, 1.0) * 2.5)
    else:
        angularity = 0.0
    laplacian = np.abs(
        4 * gray[1:-1, 1:-1] - gray[:-2, 1:-1] - gray[2:, 1:-1] - gray[1:-1, :-2] - gray[1:-1, 2:]
    )
    inner = box[1:-1, 1:-1]
    texture = float(laplacian[inner].mean()) if inner.any() else 0.0

    object_pixels = pixels[y0:y1, x0:x1][box]
    stride = max(1, len(object_pixels) // 4000)
    centres, weights = _kmeans(object_pixels[::stride].astype(np.float32), k=4)
    colours = sorted(
        (
            ((float(c[0]), float(c[1]), float(c[2])), float(w))
            for c, w in zip(centres, weights, strict=True)
            if w > 0.03
        ),
        key=lambda item: (-item[1], item[0]),
    )
    return DesignReading(
        form=_guess_form(aspect, top_mass),
        aspect=aspect,
        fill=fill,
        top_mass=top_mass,
        base_fill=base_fill,
        angularity=min(angularity, 1.0),
        texture=texture,
        colours=tuple(colours),
    )


def _guess_form(aspect: float, top_mass: float) -> str:
    # Thresholds measured on this module's own renders; other images only need a rough reading.
    if aspect >= 1.45:
        return "bench"
    if aspect >= 0.95:
        return "lounge"
    return "stool" if aspect + 0.3 * top_mass >= 0.8 else "chair"


# --------------------------------------------------------------------------------------------
# Writing the story
# --------------------------------------------------------------------------------------------

_OBJECT_NAMES = {
    "chair": "Side Chair",
    "stool": "Stool",
    "bench": "Bench",
    "lounge": "Lounge Chair",
}
_NAME_WORDS = (
    "Halden", "Sora", "Arco", "Mira", "Tern", "Koa", "Lumen", "Oren", "Vale", "Noor", "Sable",
    "Fjell", "Haru", "Duna", "Maren", "Ilse", "Talo", "Riva", "Onda", "Seon", "Baram", "Namu",
    "Dal", "Kestrel", "Alba", "Juni",
)  # fmt: skip


def colour_name(rgb: tuple[float, float, float]) -> str:
    """A designer's name for a colour (0..1 RGB): 'terracotta', 'sage', 'charcoal' …"""
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    degrees = hue * 360.0
    if lightness < 0.12:
        return "ink black"
    if lightness > 0.86 and saturation < 0.35:
        return "ivory"
    if saturation < 0.12 or (lightness < 0.2 and saturation < 0.25):
        if lightness < 0.3:
            return "charcoal"
        if lightness < 0.5:
            return "graphite"
        return "stone grey" if lightness < 0.72 else "pale grey"
    dark, light = lightness < 0.3, lightness > 0.68
    if degrees < 12 or degrees >= 345:
        return "oxblood" if dark else "blush" if light else "red"
    if degrees < 25:
        return "rust" if dark else "peach" if light else "terracotta"
    if degrees < 45:
        if saturation < 0.35 or dark:
            return "chocolate" if dark else "sand" if light else "tan"
        return "apricot" if light else "caramel"
    if degrees < 68:
        return (
            "bronze" if dark else "butter" if light else "mustard" if saturation > 0.45 else "khaki"
        )
    if degrees < 100:
        return "moss" if dark else "pistachio" if light else "olive"
    if degrees < 160:
        return (
            "forest green" if dark else "mint" if light else "sage" if saturation < 0.4 else "green"
        )
    if degrees < 200:
        return "deep teal" if dark else "aqua" if light else "teal"
    if degrees < 250:
        return (
            "navy"
            if dark
            else "powder blue"
            if light
            else "slate blue"
            if saturation < 0.4
            else "cobalt"
        )
    if degrees < 290:
        return "indigo" if dark else "lavender" if light else "violet"
    return "plum" if dark else "pink" if light else "rose"


@dataclass(frozen=True)
class _MaterialWord:
    phrase: str  # for the Material line
    word: str  # single keyword
    family: str  # wood | metal | stone | soft


def _frame_material(rgb: tuple[float, float, float], texture: float) -> _MaterialWord:
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    degrees = hue * 360.0
    if 12 <= degrees < 50 and saturation > 0.15 and 0.12 < lightness < 0.8:
        if lightness < 0.3:
            return _MaterialWord("oiled walnut", "walnut", "wood")
        if lightness < 0.45:
            return _MaterialWord("smoked oak", "oak", "wood")
        if lightness < 0.62:
            return _MaterialWord("solid oak", "oak", "wood")
        return _MaterialWord("white-oiled ash", "ash", "wood")
    if 40 <= degrees < 65 and saturation > 0.4:
        return _MaterialWord("brushed brass", "brass", "metal")
    if saturation < 0.14:
        if lightness > 0.78:
            return _MaterialWord("honed marble", "marble", "stone")
        if lightness > 0.5:
            if texture > 0.1:
                return _MaterialWord("board-formed concrete", "concrete", "stone")
            return _MaterialWord("brushed aluminium", "aluminium", "metal")
        if lightness > 0.25:
            return _MaterialWord("powder-coated steel", "steel", "metal")
        return _MaterialWord("blackened steel", "steel", "metal")
    if lightness > 0.75 and saturation < 0.4:
        return _MaterialWord("travertine", "travertine", "stone")
    return _MaterialWord("lacquered beech", "lacquer", "wood")


def _soft_material(rgb: tuple[float, float, float], texture: float) -> _MaterialWord:
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    degrees = hue * 360.0
    if 10 <= degrees < 40 and 0.18 < lightness < 0.55 and saturation > 0.25:
        return _MaterialWord("vegetable-tanned leather", "leather", "soft")
    if lightness < 0.16:
        return _MaterialWord("black leather", "leather", "soft")
    if saturation > 0.38 and lightness < 0.62:
        return _MaterialWord("cotton velvet", "velvet", "soft")
    if lightness > 0.7 and texture > 0.07:
        return _MaterialWord("wool bouclé", "boucle", "soft")
    if lightness > 0.55:
        return _MaterialWord("washed linen", "linen", "soft")
    return _MaterialWord("felted wool", "wool", "soft")


# Where a design's character comes from, by what it is made of; the lines are the Story's first
# paragraph, so they speak of culture and craft rather than of pixels.
_INSPIRATION = {
    "wood": (
        "It draws on Scandinavian cabinetmaking, where a chair is judged by how honestly its "
        "joints meet and how warmly its timber ages",
        "Its roots are in the Shaker workshops and Korean soban tables alike: modest furniture "
        "made to be used daily and handed down",
    ),
    "metal": (
        "It descends from the Bauhaus workshops, where bent steel first made furniture light "
        "enough to move and honest enough to show its structure",
        "It borrows the language of industrial ateliers, where a frame is drawn like a line and "
        "nothing is added that does not carry weight",
    ),
    "stone": (
        "It recalls the monolithic benches of Roman courtyards and the brutalist plazas of the "
        "1960s, where mass itself became a kind of shelter",
        "It looks to Italian postwar design, which treated stone and plaster as soft, sculptable "
        "matter rather than cold surfaces",
    ),
    "soft": (
        "It takes its cue from the salon furniture of 1930s Paris, where upholstery was tailored "
        "as carefully as a coat",
        "It is inspired by the layered textiles of Korean bojagi, in which humble cloth is folded "
        "into something protective and quietly festive",
    ),
}
_CURVED_INSPIRATION = (
    "Its rounded volumes echo the Joseon moon jar, whose slightly imperfect fullness is "
    "prized over geometric precision"
)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _seeded_choice(options: Sequence[str], seed: int, salt: int) -> str:
    return options[(seed >> (salt * 5)) % len(options)]


def _dimensions(reading: DesignReading, form: str) -> Dimensions:
    aspect = reading.aspect
    if form == "chair":
        height = 80.0 * min(max((0.64 / max(aspect, 0.3)) ** 0.5, 0.88), 1.2)
        width, depth = 48.0 * min(max(aspect / 0.64, 0.9), 1.2), 52.0
    elif form == "stool":
        height = 46.0 * min(max((0.8 / max(aspect, 0.3)) ** 1.5, 0.9), 1.65)
        width = depth = 38.0
    elif form == "bench":
        width = 120.0 * min(max(aspect / 1.8, 0.75), 1.5)
        height, depth = 45.0, 40.0
    else:
        width = 82.0 * min(max(aspect / 1.14, 0.85), 1.35)
        height, depth = 74.0, 84.0
    return Dimensions(width_cm=round(width), depth_cm=round(depth), height_cm=round(height))


def _form_words(reading: DesignReading, form: str) -> list[str]:
    words: list[str] = []
    if reading.angularity >= 0.68:
        words += ["angular", "rectilinear"]
    elif reading.angularity <= 0.45:
        words += ["curved", "rounded"]
    else:
        words += ["softened", "geometric"]
    if reading.fill < 0.33:
        words += ["slender", "open"]
    elif reading.fill > 0.58:
        words += ["solid", "enveloping" if form == "lounge" else "monolithic"]
    else:
        words += ["balanced"]
    if reading.base_fill > 0.4:
        words.append("grounded")
    if len(reading.colours) >= 3 or form == "lounge":
        words.append("layered")
    words += {
        "chair": ["upright", "framed"],
        "stool": ["compact", "splayed"],
        "bench": ["linear", "elongated"],
        "lounge": ["low", "generous"],
    }[form]
    words.append("smooth" if reading.texture < 0.05 else "textured")
    return words


def _style_words(frame: _MaterialWord, soft: _MaterialWord, reading: DesignReading) -> list[str]:
    words: list[str] = []
    words += {
        "oak": ["scandinavian", "natural"],
        "ash": ["nordic", "airy"],
        "walnut": ["midcentury", "crafted"],
        "lacquer": ["playful", "graphic"],
        "steel": ["industrial", "modernist"],
        "aluminium": ["technical", "modernist"],
        "brass": ["deco", "refined"],
        "marble": ["classical", "refined"],
        "travertine": ["mediterranean", "serene"],
        "concrete": ["brutalist", "architectural"],
    }.get(frame.word, ["contemporary"])
    words += {
        "velvet": ["luxurious"],
        "leather": ["tailored"],
        "boucle": ["cosy"],
        "linen": ["relaxed"],
        "wool": ["warm"],
    }.get(soft.word, [])
    words.append("sculptural" if reading.angularity < 0.5 else "minimal")
    words += ["contemporary", "timeless", "handcrafted", "modern"]
    return words


def write_story(design: bytes, keyword: str | None, form_hint: str | None = None) -> Story:
    """Write the Story for a design from its pixels alone (any JPEG works). Blocking."""
    reading = read_design(design)
    form = form_hint if form_hint in _FORM_BUILDERS else reading.form
    seed = _seed([design], keyword)
    colours = list(reading.colours) or [((0.5, 0.5, 0.5), 1.0)]
    main_rgb = colours[0][0]
    # The frame is the colour that differs most in lightness from the main surface.
    frame_rgb = max(
        (rgb for rgb, _ in colours[1:]),
        key=lambda rgb: abs(colorsys.rgb_to_hls(*rgb)[1] - colorsys.rgb_to_hls(*main_rgb)[1]),
        default=main_rgb,
    )
    frame = _frame_material(frame_rgb, reading.texture)
    soft = _soft_material(main_rgb, reading.texture)
    main_colour, frame_colour = colour_name(main_rgb), colour_name(frame_rgb)
    object_name = _OBJECT_NAMES[form]
    dims = _dimensions(reading, form)
    if form == "stool" and dims.height_cm >= 62:
        object_name = "Bar Stool"
    form_words = _form_words(reading, form)
    style_words = _style_words(frame, soft, reading)
    material_words = [
        frame.word,
        soft.word,
        *{
            "wood": ["timber", "joinery"],
            "metal": ["metal", "welded"],
            "stone": ["stone", "mineral"],
        }.get(frame.family, []),
        "upholstery",
        "fabric",
        "wood",
    ]
    user_words = normalise_keywords((keyword or "").split())[:2] if keyword else []
    keywords = _twelve_keywords(user_words, style_words, form_words, material_words)

    name = f"{_seeded_choice(_NAME_WORDS, seed, 0)} {object_name}"
    lead_form = form_words[0]
    title = _seeded_choice(
        (
            f"The {lead_form.capitalize()} {object_name} in {main_colour.title()} and "
            f"{frame.word.capitalize()}",
            f"{_article(lead_form).capitalize()} {lead_form.capitalize()} {object_name} of "
            f"{frame.phrase.title()} and {soft.word.capitalize()}",
            f"{main_colour.title()} {object_name}: {_article(lead_form)} {lead_form} study in "
            f"{frame.word}",
        ),
        seed,
        1,
    )
    keyword_note = (
        f" The brief's keyword, \u201c{keyword.strip()}\u201d, sets its mood."
        if keyword and keyword.strip()
        else ""
    )
    inspiration = (
        _CURVED_INSPIRATION
        if reading.angularity <= 0.45 and _seeded_choice(("a", "b"), seed, 2) == "a"
        else _seeded_choice(_INSPIRATION[frame.family], seed, 3)
    )
    # Timber is named by its species; other frames by their colour too.
    frame_desc = frame.phrase if frame.family == "wood" else f"{frame_colour} {frame.phrase}"
    first = (
        f"The {name} is {_article(lead_form)} {lead_form}, {form_words[2]} "
        f"{object_name.lower()} in {main_colour} {soft.word} over {_article(frame_desc)} "
        f"{frame_desc} frame. {inspiration}.{keyword_note}"
    )
    support = {
        "chair": "four legs rise into a framed back that meets the spine where it needs support",
        "stool": "splayed legs gather under a single seat, steady on any floor",
        "bench": "a long seat rests on spaced supports, inviting one sitter or three",
        "lounge": "a low base carries deep cushions, with arms and back that enclose the sitter",
    }[form]
    grounded = (
        "Its weight sits close to the ground, so it reads as permanent, like a threshold stone."
        if reading.base_fill > 0.4
        else "Lifted on legs, it lets light and floor run underneath, so the room stays open."
    )
    second = (
        f"Functionally, {support}; at {dims.height_cm} cm high and {dims.width_cm} cm wide it "
        f"suits {'dining and desks' if form in {'chair', 'stool'} else 'halls and living rooms'}. "
        f"{grounded} The {main_colour} surface stands for warmth and welcome, while the "
        f"{frame_desc} frame is its quiet discipline."
    )
    material = f"{frame.phrase.capitalize()} frame; {soft.phrase} seat in {main_colour}"
    return Story(
        name=name,
        dimensions=dims,
        material=material,
        title=title,
        story=f"{first}\n\n{second}",
        keywords=keywords,
    )


def _twelve_keywords(user: list[str], *pools: list[str]) -> list[str]:
    """User words first, then style, form and material words in turn, without repeats."""
    chosen: list[str] = []
    for word in user:
        if word not in chosen:
            chosen.append(word)
    queues = [normalise_keywords(pool) for pool in pools]
    while len(chosen) < KEYWORD_COUNT and any(queues):
        for queue in queues:
            while queue and queue[0] in chosen:
                queue.pop(0)
            if queue and len(chosen) < KEYWORD_COUNT:
                chosen.append(queue.pop(0))
    for spare in ("design", "furniture", "seating", "studio", "object", "interior"):
        if len(chosen) >= KEYWORD_COUNT:
            break
        if spare not in chosen:
            chosen.append(spare)
    return chosen[:KEYWORD_COUNT]


class LocalStoryProvider:
    """Offline story provider: materials, colours and form words measured from the pixels."""

    name = "local"
    model = "descriptor-v1"

    async def write_story(self, design: bytes, keyword: str | None) -> StoryResult:
        story = await asyncio.to_thread(write_story, design, keyword)
        return StoryResult(story=story, provider=self.name, model=self.model)
