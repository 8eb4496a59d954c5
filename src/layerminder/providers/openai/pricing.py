"""What a call cost, from the `usage` the API returned and OpenAI's list prices.

Prices are USD per 1M tokens, as OpenAI's pricing page lists them (sources in docs/openai.md).
A model not listed here has no cost on the record rather than a guessed one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar


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
