"""The one table of what each OpenAI model takes, and which models are deprecated or shut down.

Every parameter the image provider sends is decided here (checked against OpenAI's docs and
the installed SDK on 2026-12-07; sources in docs/openai.md): a field a model does not take is
never sent, and a wrong setting fails before any call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from layerminder.providers.base import ProviderError

GPT_IMAGE_QUALITIES = frozenset({"low", "medium", "high", "auto"})
# GPT Image 2.5 and 2.6 add two tiers above high; gpt-image-2 stops at high.
EXTENDED_QUALITIES = GPT_IMAGE_QUALITIES | {"xhigh", "max"}
COMPLEXITIES = frozenset({"low", "medium", "high"})


@dataclass(frozen=True)
class ImageModelCapabilities:
    """What an image model accepts on /v1/images/edits; we only send what it accepts."""

    max_inputs: int
    max_n: int = 10
    quality: bool = True
    # The quality values the model takes; None for an id we do not know (a compatible server).
    qualities: frozenset[str] | None = GPT_IMAGE_QUALITIES
    # gpt-image-1 and 1.5 take input_fidelity; gpt-image-2 and later read references at high
    # fidelity always and answer 400 `invalid_input_fidelity_model` when it is sent.
    input_fidelity: bool = False
    # 2.6 plans before it renders; `complexity` (low, medium, high; high when omitted) sets how
    # much, independently of `quality`.
    complexity: bool = False
    # A region edit's `mask` (transparent = repaint, applied to the first image).
    mask: bool = True
    # A markup-guided edit's `markup`: a transparent PNG of strokes and notes over the first
    # image (2.5 and 2.6); never combined with `mask`.
    markup: bool = False
    output_format: bool = True
    # Legacy DALL·E models return URLs unless asked for base64.
    response_format_b64: bool = False
    # DALL·E 2 wants one square PNG.
    png_square_input: bool = False
    # GPT Image models stream partial images (`stream`, `partial_images`); an id we do not know
    # might be a compatible server that answers a stream request with plain JSON.
    streaming: bool = True


_GPT_IMAGE = ImageModelCapabilities(max_inputs=16)
_GPT_IMAGE_2_5 = ImageModelCapabilities(max_inputs=16, qualities=EXTENDED_QUALITIES, markup=True)
_GPT_IMAGE_2_6 = ImageModelCapabilities(
    max_inputs=16, qualities=EXTENDED_QUALITIES, markup=True, complexity=True
)
_UNKNOWN = ImageModelCapabilities(max_inputs=16, qualities=None, streaming=False)
# Matched by prefix, longest first. OpenAI retired dall-e-2 on 2026-05-12; it stays here for
# OpenAI-compatible servers that still serve it.
IMAGE_MODELS: dict[str, ImageModelCapabilities] = {
    "gpt-image-": ImageModelCapabilities(max_inputs=16, qualities=None),
    "gpt-image-1": ImageModelCapabilities(max_inputs=16, input_fidelity=True),
    "gpt-image-1-mini": _GPT_IMAGE,
    "gpt-image-1.5": ImageModelCapabilities(max_inputs=16, input_fidelity=True),
    "gpt-image-2": _GPT_IMAGE,
    # A later 2.x we do not know yet: its quality values are its own.
    "gpt-image-2.": ImageModelCapabilities(max_inputs=16, qualities=None),
    "gpt-image-2.5-": _GPT_IMAGE_2_5,
    "gpt-image-2.6-": _GPT_IMAGE_2_6,
    "chatgpt-image-": _GPT_IMAGE,
    "dall-e-2": ImageModelCapabilities(
        max_inputs=1,
        quality=False,
        qualities=None,
        output_format=False,
        response_format_b64=True,
        png_square_input=True,
        streaming=False,
    ),
}


def image_model_capabilities(model: str) -> ImageModelCapabilities:
    """Known capabilities; an unknown id (e.g. on a compatible server) is treated as GPT Image
    with any quality value passed through."""
    for prefix in sorted(IMAGE_MODELS, key=len, reverse=True):
        if model.startswith(prefix):
            return IMAGE_MODELS[prefix]
    return _UNKNOWN


def check_image_quality(model: str, quality: str | None) -> None:
    """Refuse a quality the model does not take (e.g. `xhigh` on gpt-image-2) before any call."""
    caps = image_model_capabilities(model)
    if not quality or not caps.quality or caps.qualities is None:
        return
    if quality not in caps.qualities:
        allowed = ", ".join(sorted(caps.qualities))
        raise ProviderError(
            f"LAYERMINDER_IMAGE_QUALITY={quality!r} is not a quality {model} accepts: use one "
            f"of {allowed}",
            retryable=False,
        )


@dataclass(frozen=True)
class Deprecation:
    """OpenAI's deprecations page: when a model was deprecated, when it stops answering, and
    what it names as the replacement."""

    shutdown: date
    replacement: str
    deprecated: date | None = None


# Exact ids (a dated snapshot of one matches too): `gpt-image-2` is not `gpt-image-2.6-flare`.
DEPRECATIONS: dict[str, Deprecation] = {
    "gpt-image-2": Deprecation(
        deprecated=date(2026, 11, 10), shutdown=date(2027, 2, 10), replacement="gpt-image-2.6-flare"
    ),
    "gpt-image-1.5": Deprecation(shutdown=date(2026, 12, 1), replacement="gpt-image-2.6-flare"),
    "gpt-image-1-mini": Deprecation(shutdown=date(2026, 12, 1), replacement="gpt-image-2.6-flare"),
    "gpt-image-1": Deprecation(shutdown=date(2026, 10, 23), replacement="gpt-image-2.6-flare"),
    "dall-e-2": Deprecation(shutdown=date(2026, 5, 12), replacement="gpt-image-2.6-flare"),
    "gpt-4.1-nano": Deprecation(shutdown=date(2026, 10, 23), replacement="gpt-6-luna"),
    "gpt-5-mini": Deprecation(shutdown=date(2026, 12, 11), replacement="gpt-6-luna"),
}
_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")


def deprecation_of(model: str) -> Deprecation | None:
    """The model's deprecation, if OpenAI announced one (a snapshot shares its model's)."""
    return DEPRECATIONS.get(_SNAPSHOT.sub("", model))
