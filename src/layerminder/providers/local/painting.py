"""Camera, studio lighting and painting: seat parts become an anti-aliased, textured image."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from layerminder.providers.local.arrays import FloatArray
from layerminder.providers.local.geometry import Part

# Drawing happens at this multiple of the output size, then a box filter gives anti-aliased edges.
_SUPERSAMPLE = 2


def _camera(yaw_deg: float, pitch_deg: float) -> FloatArray:
    yaw, pitch = math.radians(yaw_deg), math.radians(pitch_deg)
    turn = np.array(
        [[math.cos(yaw), 0, math.sin(yaw)], [0, 1, 0], [-math.sin(yaw), 0, math.cos(yaw)]]
    )
    tip = np.array(
        [[1, 0, 0], [0, math.cos(pitch), -math.sin(pitch)], [0, math.sin(pitch), math.cos(pitch)]]
    )
    rotation: FloatArray = (tip @ turn).astype(np.float32)
    return rotation


def projected_aspect(parts: Sequence[Part], yaw_deg: float, pitch_deg: float) -> float:
    """Width over height of the parts' outline as the camera sees them: what a silhouette fit
    compares with a reference's, without painting anything."""
    points = np.concatenate([np.concatenate([p.bottom, p.top]) for p in parts])
    projected = points @ _camera(yaw_deg, pitch_deg).T
    extent = projected[:, :2].max(axis=0) - projected[:, :2].min(axis=0)
    return float(extent[0]) / max(float(extent[1]), 1e-3)


# Key light from the upper left, slightly in front, like a softbox in a product studio.
_LIGHT = np.array([-0.55, 0.85, 0.45], dtype=np.float32) / np.linalg.norm([-0.55, 0.85, 0.45])
_SHADE_SCALE = 200.0  # shade map value 200 = lit at 1.0, leaving headroom for highlights


@dataclass(frozen=True)
class _Face:
    points: FloatArray  # (k, 3) world
    normal: FloatArray  # (3,) world, outward


def _faces(part: Part) -> list[_Face]:
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
class Material:
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
    grain: FloatArray = (np.sign(bands) * np.abs(bands) ** 0.6).astype(np.float32)
    return grain


# How far a render goes: the outline in one flat tone, lit faces in flat colours, or the finished
# surfaces with their textures. The first two are the live previews' passes, drawn small.
Finish = Literal["silhouette", "shaded", "textured"]


def paint(
    parts: list[Part],
    materials: Sequence[Material],
    tint: tuple[float, float, float],
    size: int,
    rng: np.random.Generator,
    yaw_deg: float,
    finish: Finish = "textured",
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
    # The silhouette pass: the whole piece in one dark tone of its own colours.
    silhouette_tone = 0.45 * np.mean([_flat(m.rgb) for m in materials], axis=0)
    for index, alpha in coverage.items():
        rows = np.flatnonzero(alpha.any(axis=1))
        cols = np.flatnonzero(alpha.any(axis=0))
        if not len(rows):
            continue
        window = (slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1))
        if finish == "textured":
            colour = _surface(materials[index], lit[window], size, rng)
        elif finish == "shaded":
            colour = _flat(materials[index].rgb)[None, None, :] * lit[window][:, :, None]
        else:
            colour = np.broadcast_to(silhouette_tone, (*alpha[window].shape, 3))
        out[window] += colour * alpha[window][:, :, None]
    canvas.paste(
        Image.fromarray(np.clip(out * 255 + 0.5, 0, 255).astype(np.uint8), "RGB"), (x0, y0)
    )
    return canvas


def _flat(rgb: tuple[float, float, float]) -> FloatArray:
    return np.asarray(rgb, dtype=np.float32)


def _surface(
    material: Material, lit: FloatArray, size: int, rng: np.random.Generator
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
