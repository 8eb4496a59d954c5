"""Offline region edits: repaint only the masked pixels in the colour and texture the prompt
names, keeping the original's shading there so the piece still reads as one object."""

from __future__ import annotations

import hashlib
import io
import re

import numpy as np
from PIL import Image

from layerminder.providers.base import ProviderError
from layerminder.providers.local.arrays import FloatArray
from layerminder.providers.masks import MaskArea, composite, read_mask

# What a prompt word paints (0..1 RGB) and with which surface: grain, weave, veining or none.
_FINISHES: dict[str, tuple[tuple[float, float, float], str]] = {
    "walnut": ((0.36, 0.23, 0.15), "grain"),
    "oak": ((0.72, 0.56, 0.37), "grain"),
    "ash": ((0.84, 0.75, 0.60), "grain"),
    "teak": ((0.58, 0.38, 0.20), "grain"),
    "maple": ((0.88, 0.78, 0.62), "grain"),
    "cherry": ((0.60, 0.30, 0.20), "grain"),
    "rattan": ((0.80, 0.66, 0.42), "weave"),
    "cane": ((0.82, 0.70, 0.48), "weave"),
    "boucle": ((0.93, 0.90, 0.84), "weave"),
    "linen": ((0.86, 0.82, 0.74), "weave"),
    "wool": ((0.78, 0.74, 0.68), "weave"),
    "velvet": ((0.45, 0.20, 0.35), "weave"),
    "leather": ((0.52, 0.30, 0.18), "none"),
    "steel": ((0.55, 0.57, 0.60), "none"),
    "chrome": ((0.80, 0.82, 0.85), "none"),
    "brass": ((0.78, 0.62, 0.28), "none"),
    "copper": ((0.72, 0.42, 0.26), "none"),
    "aluminium": ((0.75, 0.77, 0.79), "none"),
    "aluminum": ((0.75, 0.77, 0.79), "none"),
    "marble": ((0.92, 0.91, 0.89), "veins"),
    "travertine": ((0.85, 0.78, 0.66), "veins"),
    "concrete": ((0.62, 0.61, 0.58), "veins"),
    "terrazzo": ((0.86, 0.84, 0.80), "veins"),
    "red": ((0.75, 0.16, 0.14), "none"),
    "terracotta": ((0.76, 0.40, 0.27), "none"),
    "orange": ((0.90, 0.50, 0.15), "none"),
    "yellow": ((0.92, 0.78, 0.20), "none"),
    "mustard": ((0.80, 0.62, 0.15), "none"),
    "green": ((0.22, 0.52, 0.28), "none"),
    "sage": ((0.60, 0.68, 0.55), "none"),
    "olive": ((0.45, 0.47, 0.22), "none"),
    "blue": ((0.18, 0.32, 0.70), "none"),
    "navy": ((0.12, 0.16, 0.35), "none"),
    "teal": ((0.10, 0.48, 0.50), "none"),
    "purple": ((0.45, 0.25, 0.58), "none"),
    "pink": ((0.90, 0.58, 0.66), "none"),
    "black": ((0.09, 0.09, 0.10), "none"),
    "white": ((0.95, 0.95, 0.93), "none"),
    "cream": ((0.94, 0.90, 0.80), "none"),
    "grey": ((0.55, 0.55, 0.55), "none"),
    "gray": ((0.55, 0.55, 0.55), "none"),
}
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def finish_for(prompt: str) -> tuple[tuple[float, float, float], str]:
    """The first finish the prompt names; an unnamed one still gets a stable colour of its own."""
    for word in re.findall(r"[a-z]+", prompt.lower()):
        if word in _FINISHES:
            return _FINISHES[word]
    digest = hashlib.sha256(prompt.encode()).digest()
    return (
        digest[0] / 255 * 0.7 + 0.15,
        digest[1] / 255 * 0.7 + 0.15,
        digest[2] / 255 * 0.7 + 0.15,
    ), "none"


def _surface(kind: str, shape: tuple[int, int], rng: np.random.Generator) -> FloatArray:
    """Zero-mean texture in about -1..1 for the finish's surface."""
    h, w = shape
    if kind == "grain":
        y = np.arange(h, dtype=np.float32)[:, None]
        x = np.arange(w, dtype=np.float32)[None, :]
        warp = rng.standard_normal((8, 8)).astype(np.float32)
        warp_big = np.asarray(
            Image.fromarray(warp, "F").resize((w, h), Image.Resampling.BICUBIC), dtype=np.float32
        )
        bands = np.sin(y * 2 * np.pi / float(rng.uniform(9, 16)) + 2.5 * warp_big + 0 * x)
        return bands.astype(np.float32)
    if kind == "weave":
        rows = np.arange(h)[:, None]
        cols = np.arange(w)[None, :]
        period = int(rng.integers(4, 7))
        checker = (((rows // period) + (cols // period)) % 2) * 2.0 - 1.0
        return (0.6 * checker + 0.4 * rng.standard_normal((h, w))).astype(np.float32)
    if kind == "veins":
        noise = rng.standard_normal((12, 12)).astype(np.float32)
        smooth = np.asarray(
            Image.fromarray(noise, "F").resize((w, h), Image.Resampling.BICUBIC), dtype=np.float32
        )
        veins: FloatArray = (1.0 - 2.0 * np.abs(np.sin(3.0 * smooth))).astype(np.float32)
        return veins
    return np.zeros((h, w), dtype=np.float32)


def repaint(original: Image.Image, mask: MaskArea, prompt: str, variant: int) -> Image.Image:
    """One variant of the edit: the masked pixels take the prompt's finish under the original's
    light and shade; every other pixel is the original's, exactly."""
    rgb = np.asarray(original.convert("RGB"), dtype=np.float32) / 255.0
    colour, kind = finish_for(prompt)
    seed = hashlib.sha256(
        rgb.tobytes()[:4096] + mask.area.tobytes() + prompt.encode() + bytes([variant])
    ).digest()
    rng = np.random.default_rng(int.from_bytes(seed[:8], "big"))
    # Four readings of the same finish: lighter, as named, deeper, and a warmer or cooler cast.
    tone = np.asarray(colour, dtype=np.float32) * (1.15, 1.0, 0.82, 1.0)[variant % 4]
    if variant % 4 == 3:
        tone = tone * np.asarray((1.06, 1.0, 0.92), dtype=np.float32)
    luminance = rgb @ _LUMA
    inside = luminance[mask.area]
    shading = luminance / max(float(inside.mean()), 1e-3)
    shading = 0.55 + 0.45 * np.clip(shading, 0.2, 1.8)
    texture = _surface(kind, luminance.shape, rng)
    painted = tone[None, None, :] * shading[:, :, None] * (1.0 + 0.08 * texture[:, :, None])
    repainted = Image.fromarray((np.clip(painted, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8), "RGB")
    return composite(original, repainted, mask)


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
