"""Offline region edits: inside the mask, the piece takes the colour and material the prompt
names (English or Korean) while keeping its own light, shade and texture scale; the edge is
feathered, the studio backdrop inside the brush stays as it was, and every pixel outside the
mask is the original's, exactly."""

from __future__ import annotations

import colorsys
import hashlib
import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from layerminder.providers.base import ProviderError
from layerminder.providers.local.arrays import FloatArray
from layerminder.providers.local.inputs import object_mask
from layerminder.providers.local.materials import (
    MATERIALS,
    NamedMaterial,
    material_tile,
    named_materials,
)
from layerminder.providers.local.vocabulary_brief import (
    COLOUR_WORDS,
    COLOURS,
    MATERIAL_WORDS_KO,
    PART_WORDS,
    find_first,
)
from layerminder.providers.masks import MaskArea, composite, read_mask

_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)
# How far an edit may move the region's mean lightness, by at most this much and this factor:
# further would wash out the shading that makes it read as the same object (a dark walnut seat
# asked to be mustard becomes a deep mustard, its folds and shadows where they were).
_MAX_LIGHTNESS_SHIFT = 0.25
_MAX_LIGHTNESS_FACTOR = 1.8
# The named material's own surface, this strong over the kept shading: enough to read as
# bouclé or grain, too faint to hide the original's structure.
_TEXTURE_STRENGTH = 0.025
# Four readings of the same finish: a little lighter, as named, deeper, and a warmer cast.
_TONES = (1.1, 1.0, 0.88, 1.0)


@dataclass(frozen=True)
class EditTarget:
    """What an edit prompt asks for: a colour (0..1 RGB), a material and the part, as named."""

    colour: tuple[float, float, float]
    colour_word: str | None
    material: NamedMaterial | None
    part: str | None  # seat | frame | accent


def edit_target(prompt: str | None) -> EditTarget:
    """The prompt's colour (a named colour, else the named material's own), material and part.
    A prompt that names neither still gets a stable colour of its own."""
    text = prompt or ""
    korean = find_first(text, MATERIAL_WORDS_KO)
    materials = named_materials(text)
    material = materials[0] if materials else (MATERIALS.get(korean) if korean else None)
    word = find_first(text, COLOUR_WORDS)
    if word is not None:
        colour = tuple(c / 255 for c in COLOURS[word])
    elif material is not None:
        colour = material.colour
    else:
        digest = hashlib.sha256(text.encode()).digest()
        colour = tuple(digest[i] / 255 * 0.7 + 0.15 for i in range(3))
    return EditTarget(colour, word, material, find_first(text, PART_WORDS))  # type: ignore[arg-type]


def _objectness(pixels: FloatArray, area: MaskArea) -> FloatArray:
    """1 on the piece, 0 on the backdrop and the shadows cast on it, soft at the outline: a
    brush that spills onto the wall or the floor repaints the piece, not the studio. When
    hardly any of the brush lands on what reads as the piece (a grey piece reads like its
    own shadow), whatever differs from the backdrop counts."""
    piece = object_mask(pixels)
    if piece[area.area].mean() < 0.2:
        margin = max(2, pixels.shape[1] // 14)
        edges = np.concatenate([pixels[:, :margin], pixels[:, -margin:]], axis=1)
        distance = np.abs(pixels - np.median(edges, axis=1)[:, None, :]).max(axis=2)
        piece = distance > 0.06
    soft = Image.fromarray(piece.astype(np.uint8) * 255, "L").filter(ImageFilter.GaussianBlur(1))
    weight: FloatArray = np.asarray(soft, dtype=np.float32) / 255
    return weight


def _feather(mask: MaskArea) -> FloatArray:
    """1 well inside the mask, falling smoothly to 0 at its edge (never beyond it)."""
    height, width = mask.area.shape
    radius = max(1.5, min(height, width) / 200)
    image = Image.fromarray(mask.area.astype(np.uint8) * 255, "L")
    blurred = np.asarray(image.filter(ImageFilter.GaussianBlur(radius)), dtype=np.float32) / 255
    return (np.clip(2.0 * blurred - 1.0, 0.0, 1.0) * mask.area).astype(np.float32)


def _texture(material: NamedMaterial, shape: tuple[int, int], seed: int) -> FloatArray:
    """The material's surface at the renderer's scale: its tile repeats every eighth of the
    image, as on a design."""
    height, width = shape
    side = max(16, max(height, width) // 8)
    tile = Image.fromarray(material_tile(material, seed), "F").resize((side, side))
    reps = (height // side + 1, width // side + 1)
    tiled: FloatArray = np.tile(np.asarray(tile, dtype=np.float32), reps)[:height, :width]
    return tiled


def repaint(original: Image.Image, mask: MaskArea, prompt: str, variant: int) -> Image.Image:
    """One variant of the edit. Inside the mask each pixel keeps its lightness relative to the
    region (so shading, folds and grain survive) and takes the target's hue and saturation;
    the region's mean lightness moves towards the target's, at most _MAX_LIGHTNESS_SHIFT."""
    rgb = np.asarray(original.convert("RGB"), dtype=np.float32) / 255.0
    target = edit_target(prompt)
    tone = np.asarray(target.colour, dtype=np.float32) * _TONES[variant % len(_TONES)]
    if variant % len(_TONES) == 3:
        tone = tone * np.asarray((1.05, 1.0, 0.93), dtype=np.float32)
    tone = np.clip(tone, 0.02, 1.0)
    luminance = rgb @ _LUMA
    weight = _feather(mask) * _objectness(rgb, mask)
    region = weight > 0.5
    if not region.any():
        region = mask.area
    region_mean = float(luminance[region].mean())
    tone_luminance = float(tone @ _LUMA)
    goal = min(
        max(tone_luminance, region_mean / _MAX_LIGHTNESS_FACTOR),
        region_mean * _MAX_LIGHTNESS_FACTOR,
    )
    shift = float(np.clip(goal - region_mean, -_MAX_LIGHTNESS_SHIFT, _MAX_LIGHTNESS_SHIFT))
    lightness = luminance + shift
    if target.material is not None:
        seed = int.from_bytes(
            hashlib.sha256(prompt.encode() + bytes([variant])).digest()[:4], "big"
        )
        # No stronger than the surface's own fine detail: a smooth render gets a whisper of
        # the new material, a woven one its full texture, and neither loses its structure.
        blurred = np.asarray(
            Image.fromarray(np.clip(luminance * 255, 0, 255).astype(np.uint8), "L").filter(
                ImageFilter.BoxBlur(2)
            ),
            dtype=np.float32,
        )
        detail = float(np.abs(luminance * 255 - blurred)[region].mean()) / 255
        strength = min(_TEXTURE_STRENGTH, detail / max(region_mean, 0.05))
        lightness = lightness * (1.0 + strength * _texture(target.material, luminance.shape, seed))
    # Scaling the tone keeps its hue and saturation exactly; only its lightness follows the pixel.
    painted = tone[None, None, :] * (lightness / max(tone_luminance, 1e-3))[:, :, None]
    blended = rgb * (1.0 - weight[:, :, None]) + np.clip(painted, 0.0, 1.0) * weight[:, :, None]
    repainted = Image.fromarray((np.clip(blended, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8), "RGB")
    return composite(original, repainted, mask)


def hue_of(rgb: tuple[float, float, float]) -> float:
    """A colour's hue in degrees."""
    return colorsys.rgb_to_hls(*rgb)[0] * 360.0


def edit_region(image: bytes, mask: bytes, prompt: str, count: int) -> list[bytes]:
    """`count` PNG variants (lossless, so the pixels outside the mask survive storage).

    Blocking and CPU-bound: call it from a worker thread. Deterministic for the same inputs."""
    try:
        with Image.open(io.BytesIO(image)) as opened:
            original = opened.convert("RGB")
    except Exception as exc:  # Pillow raises many types for corrupt data
        raise ProviderError(f"cannot read the image to edit: {exc}") from exc
    area = read_mask(mask, original.size)
    results = []
    for variant in range(count):
        buffer = io.BytesIO()
        repaint(original, area, prompt, variant).save(buffer, format="PNG")
        results.append(buffer.getvalue())
    return results
