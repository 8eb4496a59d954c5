"""What a call cost, from the `usage` the API returned and OpenAI's list prices; and what a
brief will cost before it is sent, from the same prices and stated token figures.

Prices are USD per 1M tokens, as OpenAI's model pages list them on PRICES_CHECKED (sources in
docs/openai.md). A model not listed here has no cost on the record rather than a guessed one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

PRICES_CHECKED = date(2026, 12, 7)


@dataclass(frozen=True)
class ImagePrices:
    text_input: float
    image_input: float
    image_output: float


@dataclass(frozen=True)
class ChatPrices:
    input: float
    cached_input: float
    output: float


_Price = TypeVar("_Price", "ImagePrices", "ChatPrices")

# Matched by prefix, longest first.
IMAGE_PRICES: dict[str, ImagePrices] = {
    "gpt-image-2": ImagePrices(text_input=5.0, image_input=8.0, image_output=30.0),
    "gpt-image-2.5-": ImagePrices(text_input=5.0, image_input=8.0, image_output=30.0),
    # developers.openai.com/api/docs/models/gpt-image-2.6-sunburst (Flare: the same rates).
    "gpt-image-2.6-": ImagePrices(text_input=5.0, image_input=8.0, image_output=30.0),
    "gpt-image-1.5": ImagePrices(text_input=5.0, image_input=8.0, image_output=32.0),
}
CHAT_PRICES: dict[str, ChatPrices] = {
    "gpt-6-luna": ChatPrices(input=0.10, cached_input=0.01, output=0.50),
}


def _lookup(table: Mapping[str, _Price], model: str) -> _Price | None:
    for prefix in sorted(table, key=len, reverse=True):
        if model.startswith(prefix):
            return table[prefix]
    return None


def image_cost_microusd(model: str, usage: Mapping[str, int]) -> int | None:
    """The images.edit calls' cost in millionths of a dollar, from their flattened usage."""
    prices = _lookup(IMAGE_PRICES, model)
    if prices is None or "input_tokens" not in usage:
        return None
    image_in = usage.get("input_image_tokens", 0)
    text_in = usage.get("input_text_tokens", usage["input_tokens"] - image_in)
    output = usage.get("output_tokens", 0)
    # Tokens x USD per 1M tokens = micro-dollars.
    return round(
        text_in * prices.text_input + image_in * prices.image_input + output * prices.image_output
    )


def chat_cost_microusd(model: str, usage: Mapping[str, int]) -> int | None:
    prices = _lookup(CHAT_PRICES, model)
    if prices is None or "prompt_tokens" not in usage:
        return None
    cached = usage.get("prompt_cached_tokens", 0)
    fresh = usage["prompt_tokens"] - cached
    output = usage.get("completion_tokens", 0)
    return round(fresh * prices.input + cached * prices.cached_input + output * prices.output)


# --------------------------------------------------------------------------------------------
# Estimates: what a brief will cost, before it is sent
# --------------------------------------------------------------------------------------------

# The design prompt (docs/openai.md) is 120-250 tokens; the upper end.
PROMPT_TOKENS = 250
# OpenAI publishes no token count per reference image; reports run from 352 (one PNG on
# gpt-image-2) to ~1.5k for a 1024 px image. The estimate takes the upper end: an estimate
# that comes in high is the honest one; the record's `usage` says what was billed.
REFERENCE_IMAGE_TOKENS = 1_500
# Output tokens of one 1024x1024 image by quality, as reported for 2.5 Flare at the same token
# prices (~$0.006 / $0.013 / $0.053 an image). xhigh, max and auto: no figure, no estimate.
OUTPUT_TOKENS_PER_IMAGE: dict[str, int] = {"low": 200, "medium": 433, "high": 1_767}
# Each partial image of a streamed call is billed about 100 output tokens.
PARTIAL_IMAGE_TOKENS = 100
# The story: ~1,500 tokens in (the design image and the instructions), ~1,000 out.
STORY_PROMPT_TOKENS = 1_500
STORY_COMPLETION_TOKENS = 1_000


@dataclass(frozen=True)
class CallPlan:
    """The images.edit calls a brief becomes: `calls` calls of `n_per_call` images, each with
    the same `input_images` references and `partials` partial images per image."""

    input_images: int
    calls: int
    n_per_call: int
    partials: int = 0


def estimate_images_microusd(model: str, quality: str | None, plan: CallPlan) -> int | None:
    """The images stage's estimated cost; None where the prices or the quality's output
    figure are unknown. A call bills its inputs once, whatever its `n` (its `usage` reports
    them once), so four streamed calls of n=1 pay the references four times."""
    prices = _lookup(IMAGE_PRICES, model)
    output = OUTPUT_TOKENS_PER_IMAGE.get(quality or "")
    if prices is None or output is None:
        return None
    per_call = (
        PROMPT_TOKENS * prices.text_input
        + plan.input_images * REFERENCE_IMAGE_TOKENS * prices.image_input
        + plan.n_per_call * (output + plan.partials * PARTIAL_IMAGE_TOKENS) * prices.image_output
    )
    return round(plan.calls * per_call)


def reference_image_microusd(model: str) -> int | None:
    """What one more reference adds to one call."""
    prices = _lookup(IMAGE_PRICES, model)
    return None if prices is None else round(REFERENCE_IMAGE_TOKENS * prices.image_input)


def estimate_story_microusd(model: str) -> int | None:
    prices = _lookup(CHAT_PRICES, model)
    if prices is None:
        return None
    return round(STORY_PROMPT_TOKENS * prices.input + STORY_COMPLETION_TOKENS * prices.output)
