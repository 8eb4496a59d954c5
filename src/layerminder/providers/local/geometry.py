"""Furniture parts as rings of points swept to a second ring: boxes, cushions and legs.

A design's geometry is explicit: every part has its rings (positions and sizes in cm, y up,
the floor at y = 0), a material slot and a name, so the render, the story's dimensions and any
export read the same model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from layerminder.providers.local.arrays import FloatArray

# Material slots a part can use; each design fills them from the input palette. Rails are the
# frame's material with the grain running along them instead of up the legs.
FRAME, SEAT, ACCENT, RAIL = 0, 1, 2, 3


@dataclass(frozen=True)
class Part:
    bottom: FloatArray  # (n, 3) ring
    top: FloatArray  # (n, 3) ring, same order
    material: int
    # Parts are painted layer by layer, far to near within a layer.
    layer: int
    # What the part is (seat, back, arm, leg, plinth, runner, top …), for stories and exports.
    name: str = ""

    @property
    def points(self) -> FloatArray:
        return np.concatenate([self.bottom, self.top])


@dataclass(frozen=True)
class Geometry:
    """One design's parts, and the height one sits at (None for a table)."""

    parts: tuple[Part, ...]
    seat_height: float | None

    def extent(self) -> tuple[float, float, float]:
        """Width (x), depth (z) and height (y) of the whole piece, in cm."""
        points = np.concatenate([part.points for part in self.parts])
        size = points.max(axis=0) - points.min(axis=0)
        return float(size[0]), float(size[2]), float(points[:, 1].max())


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


def box(
    lo: Sequence[float],
    hi: Sequence[float],
    *,
    sweep: str,
    radius: float = 0.0,
    material: int,
    layer: int,
    tilt_deg: float = 0.0,
    pivot: Sequence[float] | None = None,
    name: str = "",
) -> Part:
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
    return Part(bottom, top, material, layer, name)


def _tilt(points: FloatArray, degrees: float, origin: FloatArray) -> FloatArray:
    angle = math.radians(degrees)
    c, s = math.cos(angle), math.sin(angle)
    moved = points - origin
    y = moved[:, 1] * c + moved[:, 2] * s
    z = -moved[:, 1] * s + moved[:, 2] * c
    return (np.stack([moved[:, 0], y, z], axis=1) + origin).astype(np.float32)


def strut(
    foot: Sequence[float],
    head: Sequence[float],
    width: float,
    *,
    round_section: bool,
    taper: float = 1.0,
    material: int = FRAME,
    layer: int = 0,
    name: str = "leg",
) -> Part:
    """A leg from `foot` to `head` with a horizontal cross-section (flat on the floor)."""
    half = width / 2
    ring2d = _rounded_rect(half, half, half if round_section else width * 0.08, segments=5)
    foot_a = np.asarray(foot, dtype=np.float32)
    head_a = np.asarray(head, dtype=np.float32)
    bottom = np.stack([ring2d[:, 0] * taper, np.zeros(len(ring2d)), ring2d[:, 1] * taper], axis=1)
    top = np.stack([ring2d[:, 0], np.zeros(len(ring2d)), ring2d[:, 1]], axis=1)
    # The ring is laid out in (x, z) counter-clockwise seen from below; flip to sweep upwards.
    bottom, top = bottom[::-1], top[::-1]
    return Part(
        (bottom + foot_a).astype(np.float32),
        (top + head_a).astype(np.float32),
        material,
        layer,
        name,
    )
