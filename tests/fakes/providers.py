"""Providers for failure tests, loaded by a server through LAYERMINDER_*_PROVIDER=module:Class."""

from __future__ import annotations

import asyncio

from layerminder.config import Settings
from layerminder.providers.base import (
    Brief,
    DesignBatch,
    DesignProgress,
    Dimensions,
    FurnitureType,
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
        self, brief: Brief, count: int = 4, progress: DesignProgress | None = None
    ) -> DesignBatch:
        raise ProviderError("the image service rejected the request: content policy")

    async def edit_region(self, brief: Brief, count: int = 4) -> DesignBatch:
        raise ProviderError("the image service rejected the request: content policy")


class FailingStoryProvider:
    name = "failing"
    model = "always-fails"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def write_story(
        self, design: bytes, brief: Brief, language: Language = "en"
    ) -> StoryResult:
        raise ProviderError("the story model is unavailable")


class PictureOnlyImageProvider(LocalImageProvider):
    """The offline renders as pictures only, as OpenAI's are: no parts come with them, so the
    record's sizes are the story's and each design's model is a proxy."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()

    async def generate_designs(
        self, brief: Brief, count: int = 4, progress: DesignProgress | None = None
    ) -> DesignBatch:
        batch = await super().generate_designs(brief, count, progress)
        batch.models = []
        return batch


class SlowImageProvider(LocalImageProvider):
    """Hangs long enough for a test to kill the process mid-stage."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()

    async def generate_designs(
        self, brief: Brief, count: int = 4, progress: DesignProgress | None = None
    ) -> DesignBatch:
        await asyncio.sleep(600)
        return await super().generate_designs(brief, count, progress)


KEYWORDS = [
    "oak", "linen", "dining", "minimal", "nordic", "upright",
    "framed", "natural", "quiet", "timber", "joinery", "modern",
]  # fmt: skip
KEYWORDS_KO = [
    "오크", "리넨", "다이닝", "미니멀", "노르딕", "직립형",
    "프레임", "내추럴", "고요함", "원목", "짜맞춤", "모던",
]  # fmt: skip


class DiningChairStoryProvider:
    """A dining chair whose seat height is the number in the brief's keyword ("seat 60"),
    written in English or Korean."""

    name = "scripted"
    model = "dining-chair"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def write_story(
        self, design: bytes, brief: Brief, language: Language = "en"
    ) -> StoryResult:
        seat = int("".join(ch for ch in brief.keyword or "" if ch.isdigit()) or 45)
        dimensions = Dimensions(width_cm=46, depth_cm=52, height_cm=80, seat_height_cm=seat)
        if language == "ko":
            story = Story(
                name="할덴 다이닝 체어",
                furniture_type=FurnitureType.chair,
                dimensions=dimensions,
                material="오크 원목 프레임, 리넨 좌판",
                title="긴 저녁 식탁을 위한 조용한 의자",
                story="긴 식탁에서 태어난 의자다.\n\n네 개의 다리와 하나의 등받이로 선다.",
                keywords=KEYWORDS,
                keywords_display=KEYWORDS_KO,
            )
        else:
            story = Story(
                name="Halden Dining Chair",
                furniture_type=FurnitureType.chair,
                dimensions=dimensions,
                material="Solid oak frame; linen seat",
                title="A Quiet Chair for Long Dinners",
                story="Born of long tables and slow evenings.\n\nFour legs, one back.",
                keywords=KEYWORDS,
            )
        return StoryResult(story=story, provider=self.name, model=self.model)
