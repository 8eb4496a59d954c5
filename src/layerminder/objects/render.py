"""Offline views of a design model: front, side, top and three-quarter, drawn orthographically
with one camera scale and one studio light, so the four agree exactly on every size."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw

from layerminder.objects.glb import part_mesh
from layerminder.objects.model import DesignModel

ViewAngle = Literal["front", "side", "top", "three_quarter"]
VIEW_ANGLES: tuple[ViewAngle, ...] = ("front", "side", "top", "three_quarter")
VIEW_SIZE = 768
BACKGROUND = (238, 236, 232)
# The piece fills this share of the frame along its largest extent in any of the four views.
_FILL = 0.82
_SUPERSAMPLE = 2
# Key light from the upper left front, in world coordinates, the same for every view.
_LIGHT = np.array([-0.45, 0.8, 0.55]) / np.linalg.norm([-0.45, 0.8, 0.55])

# (yaw, pitch) in degrees: yaw turns the piece about y, pitch tips the camera down. The side
# view looks from the piece's left (-x), its front to the right, as the drawings do.
_CAMERAS: dict[ViewAngle, tuple[float, float]] = {
    "front": (0.0, 0.0),
    "side": (90.0, 0.0),
    "top": (0.0, 90.0),
    "three_quarter": (-35.0, 20.0),
}


def camera(angle: ViewAngle) -> np.ndarray:
    """World to camera rotation: camera x right, y up, z towards the viewer."""
    yaw, pitch = (math.radians(v) for v in _CAMERAS[angle])
    turn = np.array(
        [[math.cos(yaw), 0, math.sin(yaw)], [0, 1, 0], [-math.sin(yaw), 0, math.cos(yaw)]]
    )
    tip = np.array(
        [[1, 0, 0], [0, math.cos(pitch), -math.sin(pitch)], [0, math.sin(pitch), math.cos(pitch)]]
    )
    rotation: np.ndarray = tip @ turn
    return rotation


@dataclass(frozen=True)
class ViewFrame:
    """Where a view puts the piece: one scale (px per cm) for all four views."""

    scale: float
    extents_cm: dict[ViewAngle, tuple[float, float]]  # (across, up) of each view's projection


def frame(model: DesignModel, size: int = VIEW_SIZE) -> ViewFrame:
    points = model.points()
    extents: dict[ViewAngle, tuple[float, float]] = {}
    for angle in VIEW_ANGLES:
        flat = points @ camera(angle).T
        span = flat[:, :2].max(axis=0) - flat[:, :2].min(axis=0)
        extents[angle] = (float(span[0]), float(span[1]))
    largest = max(max(extent) for extent in extents.values())
    return ViewFrame(scale=_FILL * size / largest, extents_cm=extents)


def render_view(
    model: DesignModel, angle: ViewAngle, size: int = VIEW_SIZE, view_frame: ViewFrame | None = None
) -> bytes:
    """One view as PNG: every part's faces lit by the studio light, far to near. Blocking."""
    view_frame = view_frame or frame(model, size)
    rotation = camera(angle)
    big = size * _SUPERSAMPLE
    scale = view_frame.scale * _SUPERSAMPLE
    every = model.points() @ rotation.T
    centre = (every[:, :2].max(axis=0) + every[:, :2].min(axis=0)) / 2
    triangles: list[tuple[float, list[tuple[float, float]], tuple[int, int, int]]] = []
    toward_viewer = rotation[2]
    for part in model.parts:
        mesh = part_mesh(part)
        rgb = np.asarray(model.material(part.material).rgb, dtype=float)
        for face, normal in zip(mesh.triangles, mesh.face_normals, strict=True):
            if float(normal @ toward_viewer) <= 1e-6:
                continue  # facing away
            shade = 0.38 + 0.55 * max(0.0, float(normal @ _LIGHT)) + 0.12 * (0.5 + 0.5 * normal[1])
            colour = tuple(int(min(255, c * 255 * shade)) for c in rgb)
            projected = face @ rotation.T
            screen = [
                (big / 2 + scale * (x - centre[0]), big / 2 - scale * (y - centre[1]))
                for x, y, _ in projected
            ]
            triangles.append((float(projected[:, 2].mean()), screen, colour))  # type: ignore[arg-type]
    image = Image.new("RGB", (big, big), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for _, screen, colour in sorted(triangles, key=lambda item: item[0]):
        draw.polygon(screen, fill=colour, outline=colour)
    out = io.BytesIO()
    image.resize((size, size), Image.Resampling.BOX).save(out, format="PNG", optimize=False)
    return out.getvalue()


def render_sheet(model: DesignModel, size: int = VIEW_SIZE) -> dict[ViewAngle, bytes]:
    """All four views with one frame. Blocking (a fraction of a second each)."""
    view_frame = frame(model, size)
    return {angle: render_view(model, angle, size, view_frame) for angle in VIEW_ANGLES}
