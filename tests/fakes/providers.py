"""Providers for failure tests, loaded by a server through LAYERMINDER_*_PROVIDER=module:Class."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from layerminder.config import Settings
from layerminder.providers.base import (
    DesignBatch,
    Dimensions,
    FurnitureType,
    InputImage,
    Language,
    ProviderError,
    Story,
    StoryResult,
)
from layerminder.providers.local import LocalImageProvider


class FailingImageProvider:
    name = "failing"
    model = "always-fails"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def generate_designs(
        self, inputs: Sequence[InputImage], keyword: str | None, count: int = 4
    ) -> DesignBatch:
        raise ProviderError("the image service rejected the request: content policy")


class FailingStoryProvider:
    name = "failing"
    model = "always-fails"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def write_story(
        self, design: bytes, keyword: str | None, language: Language = "en"
    ) -> StoryResult:
        raise ProviderError("the story model is unavailable")


class SlowImageProvider(LocalImageProvider):
    """Hangs long enough for a test to kill the process mid-stage."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()

    async def generate_designs(
        self, inputs: Sequence[InputImage], keyword: str | None, count: int = 4
    ) -> DesignBatch:
        await asyncio.sleep(600)
        return await super().generate_designs(inputs, keyword, count)


class DiningChairStoryProvider:
    """A dining chair whose seat height is the number in the brief's keyword ("seat 60")."""

    name = "scripted"
    model = "dining-chair"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def write_story(
        self, design: bytes, keyword: str | None, language: Language = "en"
    ) -> StoryResult:
        seat = int("".join(ch for ch in keyword or "" if ch.isdigit()) or 45)
        story = Story(
            name="Halden Dining Chair",
            furniture_type=FurnitureType.chair,
            dimensions=Dimensions(width_cm=46, depth_cm=52, height_cm=80, seat_height_cm=seat),
            material="Solid oak frame; linen seat",
            title="A Quiet Chair for Long Dinners",
            story="Born of long tables.\n\nFour legs, one back.",
            keywords=[
                "oak",
                "linen",
                "dining",
                "minimal",
                "nordic",
                "upright",
                "framed",
                "natural",
                "quiet",
                "timber",
                "joinery",
                "modern",
            ],
        )
        return StoryResult(story=story, provider=self.name, model=self.model)
