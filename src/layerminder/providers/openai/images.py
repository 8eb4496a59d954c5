"""Seat designs from the references with `images.edit`: model capabilities, prompt, output."""

from __future__ import annotations

import base64
import binascii
import functools
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openai import AsyncOpenAI
from openai.types import ImagesResponse
from PIL import Image, UnidentifiedImageError

from layerminder.config import Settings
from layerminder.providers.base import (
    DESIGN_COUNT,
    DESIGN_SIZE,
    Brief,
    DesignBatch,
    InputImage,
    ProviderError,
    edit_parts,
)
from layerminder.providers.openai.client import OpenAIProvider, add_usage, call_with_retries

log = logging.getLogger(__name__)

DESIGN_SIZE_PARAM = f"{DESIGN_SIZE}x{DESIGN_SIZE}"
# The seed's cost settings: JPEG at compression 50 keeps each design around 100 kB.
OUTPUT_FORMAT = "jpeg"
OUTPUT_COMPRESSION = 50
# What we re-encode to when a design comes back in another format or size.
STORED_JPEG_QUALITY = 85
DEFAULT_STYLE = "contemporary minimalist"


@dataclass(frozen=True)
class ImageModelCapabilities:
    """What an image model accepts on /v1/images/edits; we only send what it accepts."""

    max_inputs: int
    max_n: int = 10
    quality: bool = True
    output_format: bool = True
    # Legacy DALL·E models return URLs unless asked for base64.
    response_format_b64: bool = False
    # DALL·E 2 wants one square PNG.
    png_square_input: bool = False


_GPT_IMAGE = ImageModelCapabilities(max_inputs=16)
# Matched by prefix, longest first. OpenAI retired dall-e-2 on 2026-05-12; it stays here for
# OpenAI-compatible servers that still serve it.
_IMAGE_MODELS: dict[str, ImageModelCapabilities] = {
    "gpt-image-": _GPT_IMAGE,
    "chatgpt-image-": _GPT_IMAGE,
    "dall-e-2": ImageModelCapabilities(
        max_inputs=1,
        quality=False,
        output_format=False,
        response_format_b64=True,
        png_square_input=True,
    ),
}


def image_model_capabilities(model: str) -> ImageModelCapabilities:
    """Known capabilities; an unknown id (e.g. on a compatible server) is treated as GPT Image."""
    for prefix in sorted(_IMAGE_MODELS, key=len, reverse=True):
        if model.startswith(prefix):
            return _IMAGE_MODELS[prefix]
    return _GPT_IMAGE


def build_design_prompt(input_count: int, keyword: str | None) -> str:
    """The edit prompt: never empty, says how many references there are and what to make."""
    style = re.sub(r"\s+", " ", keyword or "").strip()[:100] or DEFAULT_STYLE
    if input_count <= 1:
        source = "Take the key design concepts from this reference image"
    else:
        source = f"Combine the key design concepts of these {input_count} reference images"
    return (
        f"{source} into one new piece of furniture: something one can sit on "
        "(a chair, stool, bench or lounge seat).\n"
        f"Style: {style} — let it shape the form, proportions and materials.\n"
        "Keep the details minimalistic with a clean aesthetic. Show the whole piece, centred, "
        "on a plain light studio background with soft even lighting and realistic materials. "
        "No people, no text, no logos."
    )


_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def _upload_files(
    inputs: Sequence[InputImage], capabilities: ImageModelCapabilities
) -> list[tuple[str, bytes, str]]:
    """(filename, bytes, content type) tuples: the SDK sends a list as proper `image[]` parts."""
    files: list[tuple[str, bytes, str]] = []
    for index, item in enumerate(inputs[: capabilities.max_inputs], start=1):
        if capabilities.png_square_input:
            files.append((f"reference-{index}.png", _square_png(item.data), "image/png"))
            continue
        content_type = item.content_type.lower()
        if content_type not in _EXTENSIONS:
            raise ProviderError(f"unsupported input image type {item.content_type!r}")
        # Our own name: the upload's name may be anything, the API looks at the extension.
        files.append((f"reference-{index}.{_EXTENSIONS[content_type]}", item.data, content_type))
    return files


def _square_png(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as source:
        image = source.convert("RGBA")
    side = max(image.size)
    canvas = Image.new("RGBA", (side, side), (255, 255, 255, 255))
    canvas.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    canvas = canvas.resize((DESIGN_SIZE, DESIGN_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _decoded(b64_json: str | None) -> bytes:
    if not b64_json:
        raise ProviderError("OpenAI returned an image without b64_json data")
    try:
        return base64.b64decode(b64_json, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ProviderError("OpenAI returned invalid base64 image data") from error


def to_design_jpeg(data: bytes) -> bytes:
    """Verify a returned image; keep a DESIGN_SIZE square JPEG as is, re-encode anything else."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            if image.format == "JPEG" and image.size == (DESIGN_SIZE, DESIGN_SIZE):
                return data
            rgb = image.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ProviderError(f"OpenAI returned an image that cannot be decoded: {error}") from error
    if rgb.size != (DESIGN_SIZE, DESIGN_SIZE):
        # Centre-crop to a square first so a non-square result is not squashed.
        side = min(rgb.size)
        left, top = (rgb.width - side) // 2, (rgb.height - side) // 2
        rgb = rgb.crop((left, top, left + side, top + side)).resize(
            (DESIGN_SIZE, DESIGN_SIZE), Image.Resampling.LANCZOS
        )
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=STORED_JPEG_QUALITY, optimize=True)
    return out.getvalue()


def build_edit_prompt(prompt: str, keyword: str | None) -> str:
    """A region edit's prompt: what to paint in the transparent area, in the piece's style."""
    style = re.sub(r"\s+", " ", keyword or "").strip()[:100]
    lines = [
        f"Edit only the transparent area of the mask: {prompt.strip()}.",
        "Keep everything outside it exactly as it is; match the piece's perspective, lighting "
        "and materials so the change looks built in.",
    ]
    if style:
        lines.append(f"Style: {style}.")
    lines.append("No people, no text, no logos.")
    return "\n".join(lines)


class OpenAIImageProvider(OpenAIProvider):
    """Merges the references into seat designs with `images.edit` (all inputs in one call)."""

    def __init__(self, settings: Settings, client: AsyncOpenAI | None = None) -> None:
        super().__init__(settings, settings.image_model, client)
        self.capabilities = image_model_capabilities(self.model)

    async def generate_designs(self, brief: Brief, count: int = DESIGN_COUNT) -> DesignBatch:
        inputs = brief.images
        if not inputs:
            raise ProviderError("at least one input image is needed")
        if count < 1:
            raise ProviderError("count must be at least 1")
        caps = self.capabilities
        if len(inputs) > caps.max_inputs:
            log.warning(
                "model %s takes %d input image(s); using the first of %d",
                self.model,
                caps.max_inputs,
                len(inputs),
            )
        files = _upload_files(inputs, caps)
        prompt = build_design_prompt(len(files), brief.words or None)
        designs: list[bytes] = []
        usage: dict[str, int] = {}
        # Some compatible servers ignore `n`; ask again for the rest, at most `count` calls.
        for _ in range(count):
            wanted = min(count - len(designs), caps.max_n)
            params = self._edit_params(files, prompt, wanted)
            response = await call_with_retries(
                self.settings, "image edit", functools.partial(self._edit, params)
            )
            add_usage(usage, response.usage)
            for item in (response.data or [])[:wanted]:
                designs.append(to_design_jpeg(_decoded(item.b64_json)))
            if len(designs) >= count or not response.data:
                break
        if not designs:
            raise ProviderError("OpenAI returned no images")
        usage["images"] = len(designs)
        return DesignBatch(images=designs, provider=self.name, model=self.model, usage=usage)

    async def edit_region(self, brief: Brief, count: int = DESIGN_COUNT) -> DesignBatch:
        """images.edit with the image and its mask (transparent = repaint), as OpenAI documents:
        the mask applies to the first image and must be a PNG of the same size."""
        image, mask_image = edit_parts(brief)
        mask = mask_image.data
        caps = self.capabilities
        files = _upload_files([image], caps)
        with Image.open(io.BytesIO(image.data)) as probe:
            square = probe.size == (DESIGN_SIZE, DESIGN_SIZE)
        edit_prompt = build_edit_prompt(brief.edit_prompt or "", brief.words or None)
        results: list[bytes] = []
        usage: dict[str, int] = {}
        for _ in range(count):
            wanted = min(count - len(results), caps.max_n)
            params = self._edit_params(files, edit_prompt, wanted)
            params["mask"] = ("mask.png", mask, "image/png")
            if not square and not caps.png_square_input:
                # Any other size: let the model keep the image's aspect; the pipeline resizes
                # its answer back onto the original before keeping the unmasked pixels.
                params["size"] = "auto"
            response = await call_with_retries(
                self.settings, "image edit", functools.partial(self._edit, params)
            )
            add_usage(usage, response.usage)
            for item in (response.data or [])[:wanted]:
                results.append(_decoded(item.b64_json))
            if len(results) >= count or not response.data:
                break
        if not results:
            raise ProviderError("OpenAI returned no images")
        usage["images"] = len(results)
        return DesignBatch(images=results, provider=self.name, model=self.model, usage=usage)

    async def _edit(self, params: dict[str, Any]) -> ImagesResponse:
        # Unpacked params hide which overload (streamed or not) applies; ours never streams.
        response: ImagesResponse = await self._client.images.edit(**params)
        return response

    def _edit_params(
        self, files: list[tuple[str, bytes, str]], prompt: str, n: int
    ) -> dict[str, Any]:
        caps = self.capabilities
        params: dict[str, Any] = {
            "model": self.model,
            # Always a list, even of one, so the multipart field is `image[]`.
            "image": list(files),
            "prompt": prompt,
            "n": n,
            "size": DESIGN_SIZE_PARAM,
        }
        if caps.quality and self.settings.image_quality:
            params["quality"] = self.settings.image_quality
        if caps.output_format:
            params["output_format"] = OUTPUT_FORMAT
            params["output_compression"] = OUTPUT_COMPRESSION
        if caps.response_format_b64:
            params["response_format"] = "b64_json"
        return params
