"""Providers for failure tests, loaded by a server through LAYERMINDER_*_PROVIDER=module:Class."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from layerminder.config import Settings
from layerminder.providers.base import (
    DesignBatch,
    InputImage,
    Language,
    ProviderError,
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
