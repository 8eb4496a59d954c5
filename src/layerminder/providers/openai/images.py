"""Seat designs from the references with `images.edit`: model capabilities, prompt, output."""

from __future__ import annotations

import asyncio
import base64
import binascii
import functools
import io
import logging
import re
from collections.abc import Sequence
from typing import Any, cast

from openai import AsyncOpenAI, AsyncStream
from openai.types import ImageEditStreamEvent, ImagesResponse
from PIL import Image, UnidentifiedImageError

from layerminder.config import Settings
from layerminder.providers.base import (
    DESIGN_COUNT,
    DESIGN_SIZE,
    Brief,
    DesignBatch,
    DesignProgress,
    InputImage,
    ProviderError,
    edit_parts,
    markup_parts,
)
from layerminder.providers.openai.client import OpenAIProvider, add_usage, call_with_retries
from layerminder.providers.openai.models import (
    ImageModelCapabilities,
    check_image_quality,
    image_model_capabilities,
)
from layerminder.providers.openai.pricing import image_cost_microusd
from layerminder.providers.openai.prompts import build_design_prompt

log = logging.getLogger(__name__)

DESIGN_SIZE_PARAM = f"{DESIGN_SIZE}x{DESIGN_SIZE}"
# The seed's cost settings: JPEG at compression 50 keeps each design around 100 kB.
OUTPUT_FORMAT = "jpeg"
OUTPUT_COMPRESSION = 50
# What we re-encode to when a design comes back in another format or size.
STORED_JPEG_QUALITY = 85


# A reference this strong asks for high input fidelity where the model has the parameter.
HIGH_FIDELITY_STRENGTH = 0.75


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
    return _edit_prompt(f"Edit only the transparent area of the mask: {prompt.strip()}.", keyword)


def build_markup_prompt(prompt: str, keyword: str | None) -> str:
    """A markup-guided edit's prompt: the designer's strokes and notes say where and what."""
    return _edit_prompt(
        "Edit the image where the designer's markup points (its strokes, arrows and notes are "
        f"guidance, not part of the piece; do not draw them): {prompt.strip()}.",
        keyword,
    )


def _edit_prompt(first_line: str, keyword: str | None) -> str:
    style = re.sub(r"\s+", " ", keyword or "").strip()[:100]
    lines = [
        first_line,
        "Keep everything else exactly as it is; match the piece's perspective, lighting "
        "and materials so the change looks built in.",
    ]
    if style:
        lines.append(f"Style: {style}.")
    lines.append("No people, no text, no logos.")
    return "\n".join(lines)


class OpenAIImageProvider(OpenAIProvider):
    """Merges the references into seat designs with `images.edit` (all inputs in one call);
    region and markup edits go to the edit model (`LAYERMINDER_EDIT_MODEL`)."""

    def __init__(self, settings: Settings, client: AsyncOpenAI | None = None) -> None:
        super().__init__(settings, settings.image_model, client)
        self.edit_model = settings.edit_model
        self.capabilities = image_model_capabilities(self.model)
        # A quality the model would reject fails the stage here, with the setting to change.
        check_image_quality(self.model, settings.image_quality)

    async def generate_designs(
        self, brief: Brief, count: int = DESIGN_COUNT, progress: DesignProgress | None = None
    ) -> DesignBatch:
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
        prompt = build_design_prompt(brief, len(files))
        fidelity = self.capabilities.input_fidelity and any(
            item.strength >= HIGH_FIDELITY_STRENGTH for item in brief.inputs[: len(files)]
        )
        partials = self.settings.image_previews
        if progress is not None and partials and caps.streaming:
            return await self._streamed(files, prompt, fidelity, count, partials, progress)
        designs: list[bytes] = []
        usage: dict[str, int] = {}
        # Some compatible servers ignore `n`; ask again for the rest, at most `count` calls.
        for _ in range(count):
            wanted = min(count - len(designs), caps.max_n)
            params = self._edit_params(self.model, files, prompt, wanted)
            if fidelity:
                params["input_fidelity"] = "high"
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
        _add_cost(self.model, usage)
        return DesignBatch(images=designs, provider=self.name, model=self.model, usage=usage)

    async def _streamed(
        self,
        files: list[tuple[str, bytes, str]],
        prompt: str,
        fidelity: bool,
        count: int,
        partials: int,
        progress: DesignProgress,
    ) -> DesignBatch:
        """One streamed call per design, all at once: a stream's partial images do not say
        which of `n` images they belong to, so each design gets its own (n=1)."""
        params = self._edit_params(self.model, files, prompt, 1)
        if fidelity:
            params["input_fidelity"] = "high"
        params.update(stream=True, partial_images=partials)
        usages = [dict[str, int]() for _ in range(count)]
        calls = [
            asyncio.ensure_future(
                call_with_retries(
                    self.settings,
                    "image edit",
                    functools.partial(
                        self._stream_one, params, position, partials, progress, usages[position]
                    ),
                )
            )
            for position in range(count)
        ]
        try:
            designs = await asyncio.gather(*calls)
        except BaseException:
            # One design failed (or the job was cancelled): the others' streams stop too.
            for call in calls:
                call.cancel()
            await asyncio.gather(*calls, return_exceptions=True)
            raise
        usage: dict[str, int] = {}
        for part in usages:
            for key, value in part.items():
                usage[key] = usage.get(key, 0) + value
        usage["images"] = len(designs)
        _add_cost(self.model, usage)
        return DesignBatch(images=list(designs), provider=self.name, model=self.model, usage=usage)

    async def _stream_one(
        self,
        params: dict[str, Any],
        position: int,
        partials: int,
        progress: DesignProgress,
        usage: dict[str, int],
    ) -> bytes:
        """Read one design's stream: each partial image to `progress`, the completed image back.
        A retried attempt starts its previews again."""
        # `stream=True` is in the unpacked params, so this is the streamed overload's answer.
        stream = cast(AsyncStream[ImageEditStreamEvent], await self._client.images.edit(**params))
        design: bytes | None = None
        async with stream:
            async for event in stream:
                if event.type == "image_edit.partial_image":
                    # `of` counts the partials and the final image; a model may finish early.
                    step = min(event.partial_image_index + 1, partials)
                    await progress.preview(position, _decoded(event.b64_json), step, partials + 1)
                elif event.type == "image_edit.completed":
                    design = to_design_jpeg(_decoded(event.b64_json))
                    usage.clear()
                    add_usage(usage, event.usage)
        if design is None:
            raise ProviderError("OpenAI's image stream ended without the completed image")
        await progress.finished(position, design)
        return design

    async def edit_region(self, brief: Brief, count: int = DESIGN_COUNT) -> DesignBatch:
        """images.edit with the image and its mask (transparent = repaint), as OpenAI documents:
        the mask applies to the first image and must be a PNG of the same size."""
        image, mask = edit_parts(brief)
        if not image_model_capabilities(self.edit_model).mask:
            raise ProviderError(f"{self.edit_model} does not take a mask", retryable=False)
        prompt = build_edit_prompt(brief.edit_prompt or "", brief.words or None)
        return await self._edit_one(image, ("mask", mask.data, "mask.png"), prompt, count)

    async def edit_markup(self, brief: Brief, count: int = DESIGN_COUNT) -> DesignBatch:
        """images.edit with the image and the designer's markup (a transparent PNG of strokes
        and notes the image's size), the field 2.5 and 2.6 take; never with a mask."""
        image, markup = markup_parts(brief)
        if not image_model_capabilities(self.edit_model).markup:
            raise ProviderError(
                f"{self.edit_model} does not take markup: set LAYERMINDER_EDIT_MODEL to a "
                "gpt-image-2.5 or 2.6 model",
                retryable=False,
            )
        prompt = build_markup_prompt(brief.edit_prompt or "", brief.words or None)
        return await self._edit_one(image, ("markup", markup.data, "markup.png"), prompt, count)

    async def _edit_one(
        self, image: InputImage, overlay: tuple[str, bytes, str], prompt: str, count: int
    ) -> DesignBatch:
        """`count` edits of one image guided by one PNG overlay (`mask` or `markup`)."""
        model = self.edit_model
        caps = image_model_capabilities(model)
        check_image_quality(model, self.settings.image_quality)
        files = _upload_files([image], caps)
        with Image.open(io.BytesIO(image.data)) as probe:
            square = probe.size == (DESIGN_SIZE, DESIGN_SIZE)
        field, data, filename = overlay
        results: list[bytes] = []
        usage: dict[str, int] = {}
        for _ in range(count):
            wanted = min(count - len(results), caps.max_n)
            params = self._edit_params(model, files, prompt, wanted)
            params[field] = (filename, data, "image/png")
            if not square and not caps.png_square_input:
                # Any other size: let the model keep the image's aspect; the pipeline resizes
                # its answer back onto the original.
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
        _add_cost(model, usage)
        return DesignBatch(images=results, provider=self.name, model=model, usage=usage)

    async def render_view(self, design: bytes, prompt: str) -> DesignBatch:
        """One view of a design: images.edit with the design as the only reference and the
        view's prompt (objects.views.VIEW_PROMPTS), n=1, at the designs' size."""
        model = self.model
        files = _upload_files([InputImage(design, "image/jpeg", "design.jpg")], self.capabilities)
        params = self._edit_params(model, files, prompt, 1)
        response = await call_with_retries(
            self.settings, "image view", functools.partial(self._edit, params)
        )
        if not response.data:
            raise ProviderError("OpenAI returned no view")
        usage: dict[str, int] = {}
        add_usage(usage, response.usage)
        usage["images"] = 1
        _add_cost(model, usage)
        view = to_design_jpeg(_decoded(response.data[0].b64_json))
        return DesignBatch(images=[view], provider=self.name, model=model, usage=usage)

    async def _edit(self, params: dict[str, Any]) -> ImagesResponse:
        # Unpacked params hide which overload (streamed or not) applies; ours never streams.
        response: ImagesResponse = await self._client.images.edit(**params)
        return response

    def _edit_params(
        self, model: str, files: list[tuple[str, bytes, str]], prompt: str, n: int
    ) -> dict[str, Any]:
        """The fields every images.edit call sends, each only where the model's row in the
        capability table says it takes it."""
        caps = image_model_capabilities(model)
        params: dict[str, Any] = {
            "model": model,
            # Always a list, even of one, so the multipart field is `image[]`.
            "image": list(files),
            "prompt": prompt,
            "n": n,
            "size": DESIGN_SIZE_PARAM,
        }
        if caps.quality and self.settings.image_quality:
            params["quality"] = self.settings.image_quality
        if caps.complexity and self.settings.image_complexity:
            params["complexity"] = self.settings.image_complexity
        if caps.output_format:
            params["output_format"] = OUTPUT_FORMAT
            params["output_compression"] = OUTPUT_COMPRESSION
        if caps.response_format_b64:
            params["response_format"] = "b64_json"
        return params


def _add_cost(model: str, usage: dict[str, int]) -> None:
    """The calls' cost from the usage OpenAI returned, where the model's prices are known."""
    cost = image_cost_microusd(model, usage)
    if cost is not None:
        usage["cost_microusd"] = cost
