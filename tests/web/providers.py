"""The offline providers, paced, so a browser test can watch each stage arrive on its own.

Loaded by the test server through LAYERMINDER_IMAGE_PROVIDER / LAYERMINDER_STORY_PROVIDER
(`tests.web.providers:PacedImageProvider`); the results are the real `local` providers' results.
"""

from __future__ import annotations

import asyncio
import os

from layerminder.config import Settings
from layerminder.providers.base import Brief, DesignBatch, DesignProgress, Language, StoryResult
from layerminder.providers.local import LocalImageProvider, LocalStoryProvider

PACE_SECONDS = float(os.environ.get("LAYERMINDER_TEST_PACE_SECONDS", "1.0"))


class PacedImageProvider(LocalImageProvider):
    def __init__(self, settings: Settings) -> None:
        super().__init__()

    async def generate_designs(
        self, brief: Brief, count: int = 4, progress: DesignProgress | None = None
    ) -> DesignBatch:
        await asyncio.sleep(PACE_SECONDS)
        return await super().generate_designs(brief, count, progress)


class PacedStoryProvider(LocalStoryProvider):
    def __init__(self, settings: Settings) -> None:
        super().__init__()

    async def write_story(
        self, design: bytes, brief: Brief, language: Language = "en"
    ) -> StoryResult:
        await asyncio.sleep(PACE_SECONDS)
        return await super().write_story(design, brief, language)
