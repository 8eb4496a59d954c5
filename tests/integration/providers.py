"""A local image provider that takes a while, so a test can catch (and kill) a job mid-stage."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

from layerminder.config import Settings
from layerminder.providers.base import (
    Brief,
    DesignBatch,
    DesignProgress,
    Language,
    ProviderError,
    StoryResult,
)
from layerminder.providers.local import LocalImageProvider, LocalStoryProvider


class PacedImageProvider(LocalImageProvider):
    """The offline renders, after `LAYERMINDER_TEST_IMAGE_DELAY` seconds (default 1)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.delay = float(os.environ.get("LAYERMINDER_TEST_IMAGE_DELAY", "1"))

    async def generate_designs(
        self, brief: Brief, count: int = 4, progress: DesignProgress | None = None
    ) -> DesignBatch:
        await asyncio.sleep(self.delay)
        return await super().generate_designs(brief, count, progress)


def control(name: str, default: Any = None) -> Any:
    """A value from the JSON file named by `LAYERMINDER_TEST_CONTROL_FILE`, read at each call,
    so a test steers one running server: {"image_delay": 30, "preview_delay": 1,
    "fail": ["images", "story"]}."""
    try:
        values = json.loads(Path(os.environ["LAYERMINDER_TEST_CONTROL_FILE"]).read_text())
    except (KeyError, OSError, ValueError):
        return default
    return values.get(name, default)


class _PacedProgress:
    """Hands each preview on, then waits `preview_delay` seconds (read at each preview), so a
    test can look at a preview while it is the latest."""

    def __init__(self, inner: DesignProgress) -> None:
        self.inner = inner

    async def preview(self, position: int, image: bytes, step: int, of: int) -> None:
        await self.inner.preview(position, image, step, of)
        await asyncio.sleep(float(control("preview_delay", 0)))

    async def finished(self, position: int, image: bytes) -> None:
        await self.inner.finished(position, image)


class TunableImageProvider(LocalImageProvider):
    """The offline renders after `image_delay` seconds, or a failure when `fail` lists
    "images": slow to cancel a running record, fast to race a stage, failing to retry;
    `preview_delay` holds each live preview that long."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()

    async def generate_designs(
        self, brief: Brief, count: int = 4, progress: DesignProgress | None = None
    ) -> DesignBatch:
        await asyncio.sleep(float(control("image_delay", 0)))
        if "images" in control("fail", []):
            raise ProviderError("the image service is down (test control)")
        paced = _PacedProgress(progress) if progress is not None else None
        return await super().generate_designs(brief, count, paced)


class TunableStoryProvider(LocalStoryProvider):
    """The offline story, or a failure when the control file's `fail` lists "story"."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()

    async def write_story(
        self, design: bytes, brief: Brief, language: Language = "en"
    ) -> StoryResult:
        if "story" in control("fail", []):
            raise ProviderError("the story model is down (test control)")
        return await super().write_story(design, brief, language)
