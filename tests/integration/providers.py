"""A local image provider that takes a while, so a test can catch (and kill) a job mid-stage."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from layerminder.config import Settings
from layerminder.providers.base import Brief, DesignBatch
from layerminder.providers.local import LocalImageProvider


class PacedImageProvider(LocalImageProvider):
    """The offline renders, after `LAYERMINDER_TEST_IMAGE_DELAY` seconds (default 1)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.delay = float(os.environ.get("LAYERMINDER_TEST_IMAGE_DELAY", "1"))

    async def generate_designs(self, brief: Brief, count: int = 4) -> DesignBatch:
        await asyncio.sleep(self.delay)
        return await super().generate_designs(brief, count)


class TunableImageProvider(LocalImageProvider):
    """The offline renders after a pause read, at each call, from the file named by
    `LAYERMINDER_TEST_IMAGE_DELAY_FILE` (seconds; 0 when missing): one server, slow or fast as a
    test needs (cancel a running record, then race the last stage at full speed)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.delay_file = Path(os.environ.get("LAYERMINDER_TEST_IMAGE_DELAY_FILE", "/nonexistent"))

    async def generate_designs(self, brief: Brief, count: int = 4) -> DesignBatch:
        try:
            delay = float(self.delay_file.read_text())
        except (OSError, ValueError):
            delay = 0.0
        await asyncio.sleep(delay)
        return await super().generate_designs(brief, count)
