"""What the pipeline needs from an image provider and a story provider, and the shared types."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, Protocol, runtime_checkable

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


# What a reference is for: `any` lets the provider take whatever it reads best.
InputRole = Literal["any", "form", "material", "colour", "mood"]
INPUT_ROLES: tuple[InputRole, ...] = ("any", "form", "material", "colour", "mood")
DEFAULT_STRENGTH = 0.5


@dataclass(frozen=True)
class BriefInput:
    """One reference of a brief: the image, what to take from it, and how much (0.0-1.0)."""

    image: InputImage
    role: InputRole = "any"
    strength: float = DEFAULT_STRENGTH

    def __post_init__(self) -> None:
        if self.role not in INPUT_ROLES:
            raise ValueError(f"unknown input role {self.role!r}; expected one of {INPUT_ROLES}")
        if not 0.0 <= self.strength <= 1.0:
            raise ValueError(f"strength must be within 0.0-1.0, got {self.strength}")


@dataclass(frozen=True)
class StyleCue:
    """A curated furniture style as a provider needs it (the catalogue is the styles domain's).

    `materials` are material words both story writers know (walnut, boucle, steel …), `palette`
    sRGB colours the style is drawn in, `form` the archetype it leans to (chair, stool, bench,
    lounge) or None, `proportion_words` words the local renderer's proportions understand.
    """

    id: str
    name: str
    prompt: str
    materials: tuple[str, ...] = ()
    palette: tuple[tuple[int, int, int], ...] = ()
    form: str | None = None
    proportion_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Brief:
    """Everything a provider is asked to honour, in one typed value.

    `inputs` keep the caller's order (OpenAI sees them in it; the prompt names them by
    position). For a region edit, `mask` is set (a PNG whose transparent pixels mark the area to
    repaint), `inputs[0]` is the image being edited and `edit_prompt` says what to paint there.
    For a markup edit, `markup` is set instead (a transparent PNG of the designer's strokes and
    notes over `inputs[0]`, the same size); never both.
    """

    inputs: tuple[BriefInput, ...]
    keyword: str | None = None
    style: StyleCue | None = None
    mask: InputImage | None = None
    edit_prompt: str | None = None
    markup: InputImage | None = None

    @classmethod
    def from_images(
        cls, images: Sequence[InputImage], keyword: str | None = None, **fields: Any
    ) -> Brief:
        """A brief of plain references (role `any`, default strength), as the seed sent them."""
        return cls(inputs=tuple(BriefInput(image) for image in images), keyword=keyword, **fields)

    @property
    def images(self) -> list[InputImage]:
        return [item.image for item in self.inputs]

    @property
    def is_edit(self) -> bool:
        """A region edit or a markup edit: one image changed, not references merged."""
        return self.mask is not None or self.markup is not None

    def with_role(self, *roles: InputRole) -> list[BriefInput]:
        """The inputs given one of `roles`, strongest first (ties keep the caller's order)."""
        chosen = [item for item in self.inputs if item.role in roles]
        return sorted(chosen, key=lambda item: -item.strength)

    @property
    def words(self) -> str:
        """The keyword and the style's name together: what the free-text readers look at."""
        parts = [self.keyword or "", self.style.name if self.style else ""]
        return " ".join(part.strip() for part in parts if part and part.strip())


def edit_parts(brief: Brief) -> tuple[InputImage, InputImage]:
    """The image a region edit repaints and its mask; a brief without them is a caller's bug."""
    if brief.mask is None or not brief.inputs:
        raise ProviderError("a region edit needs an image and a mask", retryable=False)
    return brief.inputs[0].image, brief.mask


def markup_parts(brief: Brief) -> tuple[InputImage, InputImage]:
    """The image a markup edit changes and its markup; a brief without them is a caller's bug."""
    if brief.markup is None or not brief.inputs:
        raise ProviderError("a markup edit needs an image and its markup", retryable=False)
    return brief.inputs[0].image, brief.markup


@dataclass
class DesignBatch:
    """The designs one provider call produced: DESIGN_SIZE square JPEGs, or for a region edit
    images of the edited image's size in any accepted format (the pipeline stores them as PNG)."""

    images: list[bytes]
    provider: str
    model: str
    usage: dict[str, int] = field(default_factory=dict)
    # The parts each design was drawn from (providers.local.model's plain data), one per image;
    # empty when the provider only paints pictures (OpenAI): the objects domain fits a proxy.
    models: list[dict[str, Any] | None] = field(default_factory=list)


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


class DesignProgress(Protocol):
    """Where a provider reports designs as they take shape (the pipeline shows them live).

    `preview`: an in-between render of the design at `position`, pass `step` of `of` (the
    last pass, `of`, is the design itself and comes to `finished` instead), any image format.
    `finished`: that design is done (the same bytes the batch will hold). Both may raise to stop
    the provider (a cancel); positions may interleave when designs are made concurrently.
    """

    async def preview(self, position: int, image: bytes, step: int, of: int) -> None: ...

    async def finished(self, position: int, image: bytes) -> None: ...


class ImageProvider(Protocol):
    """Turns a brief (1-4 references with roles, keyword, style; or a region edit) into `count`
    new seat designs, reporting each one's progress to `progress` when given."""

    name: str
    model: str

    async def generate_designs(
        self, brief: Brief, count: int = DESIGN_COUNT, progress: DesignProgress | None = None
    ) -> DesignBatch: ...

    async def edit_region(self, brief: Brief, count: int = DESIGN_COUNT) -> DesignBatch:
        """`count` variants of the brief's first image repainted where `brief.mask` (a PNG of
        the same size) is fully transparent, as `brief.edit_prompt` says; the pipeline keeps
        every other pixel of the original."""
        ...


@runtime_checkable
class MarkupEditingProvider(ImageProvider, Protocol):
    """An image provider that reads a designer's markup itself (OpenAI's `markup` field).

    Any other provider still gets markup edits: the pipeline reads the strokes as regions
    (providers/markup.py) and asks for a region edit with the notes as its prompt."""

    async def edit_markup(self, brief: Brief, count: int = DESIGN_COUNT) -> DesignBatch:
        """`count` variants of the brief's first image changed where `brief.markup` (a
        transparent PNG of strokes and notes, the same size) points, as `brief.edit_prompt`
        says (the studio puts the notes' words there too)."""
        ...


@runtime_checkable
class ViewRenderingProvider(ImageProvider, Protocol):
    """An image provider that can draw a new view of one design (OpenAI: `images.edit` with the
    design as the reference). A design drawn from parts needs none: its views are rendered
    from its model (objects.render)."""

    async def render_view(self, design: bytes, prompt: str) -> DesignBatch:
        """One image of the design as `prompt` describes the view (front, side …)."""
        ...


class StoryProvider(Protocol):
    """Writes the Story (name, dimensions, material, title, story, 12 keywords) for one design
    made from `brief`, in `language`; the keywords stay English, `keywords_display` is in the
    language."""

    name: str
    model: str

    async def write_story(
        self, design: bytes, brief: Brief, language: Language = "en"
    ) -> StoryResult: ...
