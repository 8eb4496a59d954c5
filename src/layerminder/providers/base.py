"""What the pipeline needs from an image provider and a story provider, and the shared types."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, Protocol

from pydantic import BaseModel, Field, field_validator, model_validator

KEYWORD_COUNT = 12
DESIGN_COUNT = 4
DESIGN_SIZE = 1024

# The languages a story is written in; keywords stay English whatever the language.
Language = Literal["ko", "en"]
LANGUAGES: tuple[Language, ...] = ("ko", "en")


class ProviderError(Exception):
    """A provider failed. `retryable` is False for user-caused rejections (e.g. content policy)."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


@dataclass(frozen=True)
class InputImage:
    """A validated uploaded reference image (JPEG, PNG or WebP bytes)."""

    data: bytes
    content_type: str
    filename: str


@dataclass
class DesignBatch:
    """The designs one provider call produced: DESIGN_SIZE square JPEGs, or for a region edit
    images of the edited image's size in any accepted format (the pipeline stores them as PNG)."""

    images: list[bytes]
    provider: str
    model: str
    usage: dict[str, int] = field(default_factory=dict)


class FurnitureType(StrEnum):
    """What kind of piece a design is; it decides which ergonomic ranges its dimensions meet."""

    chair = "chair"
    lounge_chair = "lounge_chair"
    stool = "stool"
    bar_stool = "bar_stool"
    bench = "bench"
    sofa = "sofa"
    table = "table"
    other = "other"


class Dimensions(BaseModel):
    width_cm: int = Field(gt=0, le=1000)
    depth_cm: int = Field(gt=0, le=1000)
    height_cm: int = Field(gt=0, le=1000)
    # Floor to the top of the seat; None for pieces one does not sit on.
    seat_height_cm: int | None = Field(default=None, gt=0, le=300)


_WORD = re.compile(r"^[a-z][a-z\-]*$")


def normalise_keywords(raw: Sequence[str]) -> list[str]:
    """Lowercase, strip punctuation, keep single words, drop duplicates, keep order."""
    seen: list[str] = []
    for item in raw:
        word = re.sub(r"[^a-z\-]", "", item.strip().lower()).strip("-")
        if word and " " not in item.strip() and _WORD.match(word) and word not in seen:
            seen.append(word)
    return seen


class Story(BaseModel):
    """The copy written for a record's first design."""

    name: str = Field(min_length=1, max_length=200)
    # Older replies and providers that do not say are `other`: no dimension checks then.
    furniture_type: FurnitureType = FurnitureType.other
    dimensions: Dimensions
    material: str = Field(min_length=1, max_length=300)
    title: str = Field(min_length=1, max_length=300)
    # Two paragraphs separated by a blank line.
    story: str = Field(min_length=1)
    keywords: list[str]
    # The 12 keywords as a page in the story's language shows them, in the same order; empty
    # means the keywords themselves (English).
    keywords_display: list[str] = Field(default_factory=list)

    @field_validator("story")
    @classmethod
    def _two_paragraphs(cls, value: str) -> str:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value.strip()) if p.strip()]
        if len(paragraphs) != 2:
            raise ValueError(f"story must have exactly 2 paragraphs, got {len(paragraphs)}")
        return "\n\n".join(paragraphs)

    @field_validator("keywords")
    @classmethod
    def _twelve_keywords(cls, value: list[str]) -> list[str]:
        cleaned = normalise_keywords(value)
        if len(cleaned) != KEYWORD_COUNT or len(cleaned) != len(value):
            raise ValueError(
                f"need exactly {KEYWORD_COUNT} distinct lowercase single-word keywords, "
                f"got {len(cleaned)} valid of {len(value)}"
            )
        return cleaned

    @field_validator("keywords_display")
    @classmethod
    def _display_words(cls, value: list[str]) -> list[str]:
        cleaned = [re.sub(r"\s+", " ", word).strip() for word in value]
        if value and (len(cleaned) != KEYWORD_COUNT or not all(cleaned)):
            raise ValueError(
                f"keywords_display needs exactly {KEYWORD_COUNT} non-empty words, one per "
                f"keyword, got {len([w for w in cleaned if w])} of {len(value)}"
            )
        if any(len(word) > 40 for word in cleaned):
            raise ValueError("keywords_display words must be at most 40 characters")
        return cleaned

    @model_validator(mode="after")
    def _display_defaults_to_keywords(self) -> Story:
        if not self.keywords_display:
            self.keywords_display = list(self.keywords)
        return self


@dataclass
class StoryResult:
    story: Story
    provider: str
    model: str
    usage: dict[str, int] = field(default_factory=dict)


class ImageProvider(Protocol):
    """Merges 1-4 reference images into `count` new seat designs."""

    name: str
    model: str

    async def generate_designs(
        self, inputs: Sequence[InputImage], keyword: str | None, count: int = DESIGN_COUNT
    ) -> DesignBatch: ...

    async def edit_region(
        self,
        image: InputImage,
        mask: bytes,
        prompt: str,
        keyword: str | None,
        count: int = DESIGN_COUNT,
    ) -> DesignBatch:
        """`count` variants of `image` repainted where `mask` (a PNG of the same size) is fully
        transparent, as `prompt` says; the pipeline keeps every other pixel of the original."""
        ...


class StoryProvider(Protocol):
    """Writes the Story (name, dimensions, material, title, story, 12 keywords) for one design,
    in `language`; the keywords stay English, `keywords_display` is in the language."""

    name: str
    model: str

    async def write_story(
        self, design: bytes, keyword: str | None, language: Language = "en"
    ) -> StoryResult: ...
