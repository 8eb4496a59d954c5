"""Request and response shapes for starting a generation."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, model_validator

from layerminder.models import StageStatus
from layerminder.providers.base import DEFAULT_STRENGTH, DESIGN_COUNT, InputRole, Language

MAX_INPUTS = 4


class InputIn(BaseModel):
    """One reference of the brief: which image, what to take from it, and how much."""

    image_id: uuid.UUID = Field(
        description="Any image the caller can use: an upload, a generated design or a library "
        "reference"
    )
    role: InputRole = Field(
        default="any",
        description="What to take from it: `form` (shape, proportions), `material`, `colour`, "
        "`mood`, or `any` (whatever reads best)",
    )
    strength: float = Field(
        default=DEFAULT_STRENGTH, ge=0.0, le=1.0, description="How much of it to take, 0.0-1.0"
    )


class ParentIn(BaseModel):
    """One design of an earlier record of the caller's: the starting point of a refine."""

    record_id: uuid.UUID
    position: int = Field(ge=0, lt=DESIGN_COUNT, description="The design's position, 0-3")


class EditIn(BaseModel):
    """Change one image: repaint where a mask is transparent (OpenAI images.edit's format), or
    where a designer's markup (strokes, arrows, notes) points. One of the two, not both."""

    image_id: uuid.UUID = Field(description="The image to edit: a design or an upload of yours")
    mask_image_id: uuid.UUID | None = Field(
        default=None,
        description="A region edit: an uploaded PNG the image's size; its fully transparent "
        "pixels mark the area",
    )
    markup_image_id: uuid.UUID | None = Field(
        default=None,
        description="A markup edit: an uploaded transparent PNG the image's size with the "
        "designer's strokes and notes (upload with `purpose=markup`); not with a mask",
    )
    prompt: str = Field(
        min_length=1,
        max_length=1000,
        description="What to paint there; for a markup edit, with the notes' words",
    )

    @model_validator(mode="after")
    def _prompt_not_blank(self) -> EditIn:
        self.prompt = " ".join(self.prompt.split())
        if not self.prompt:
            raise ValueError("the edit prompt is empty")
        if (self.mask_image_id is None) == (self.markup_image_id is None):
            raise ValueError("an edit takes a mask_image_id or a markup_image_id: one, not both")
        return self


class GenerateIn(BaseModel):
    # The seed calls a room a session: `session_id` on the wire, `room_id` accepted too.
    # Optional with `parent` or `edit`: the record then goes to the parent's (or image's) room.
    room_id: uuid.UUID | None = Field(
        default=None, validation_alias=AliasChoices("session_id", "room_id")
    )
    inputs: list[InputIn] | None = Field(
        default=None,
        description="1-4 references with a role and a strength each, in the order the brief "
        "names them; instead of input_image_ids, not with it",
    )
    input_image_ids: list[uuid.UUID] | None = Field(
        default=None,
        description="1-4 reference image ids: the same as `inputs` with role `any` and "
        "strength 0.5",
    )
    input_image_keys: list[uuid.UUID] | None = Field(
        default=None, description="The seed's name for input_image_ids"
    )
    keyword: str | None = Field(default=None, max_length=100)
    style: str | None = Field(
        default=None,
        max_length=40,
        description="A style id from GET /api/v1/styles; combines with `keyword`",
    )
    language: Language | None = Field(
        default=None,
        description="The story's language (keywords stay English); default: the user's locale, "
        "else English",
    )
    parent: ParentIn | None = Field(
        default=None,
        description="Refine this design: it becomes the first input (role form, strength 0.8)",
    )
    edit: EditIn | None = Field(
        default=None,
        description="Change one image (a masked region, or where a markup points) instead of "
        "merging inputs",
    )
    previews: bool | None = Field(
        default=None,
        description="Live previews while the designs are made (SSE `preview` events). With "
        "OpenAI they cost more (one streamed call per design: see GET /generate/estimate); "
        "default: the server's choice (`previews_default` there)",
    )

    @model_validator(mode="after")
    def _one_list(self) -> GenerateIn:
        ids = self.input_image_ids if self.input_image_ids is not None else self.input_image_keys
        if self.inputs is not None and ids is not None:
            raise ValueError("send either inputs or input_image_ids, not both")
        if self.inputs is None and ids is not None:
            self.inputs = [InputIn(image_id=image_id) for image_id in ids]
        given = self.inputs
        if self.edit is not None:
            if given is not None or self.parent is not None:
                raise ValueError("an edit takes no input images and no parent: only its image")
        elif self.parent is not None:
            # The parent's design is the first input; up to 3 of the caller's may join it.
            if given is not None and len(given) > 3:
                raise ValueError(f"a refine takes at most 3 more input images, got {len(given)}")
        elif given is None:
            raise ValueError("inputs is required (1 to 4 references)")
        elif not 1 <= len(given) <= MAX_INPUTS:
            raise ValueError(f"give 1 to {MAX_INPUTS} input images, got {len(given)}")
        if self.room_id is None and self.parent is None and self.edit is None:
            raise ValueError("session_id is required")
        if given and len({item.image_id for item in given}) != len(given):
            raise ValueError("input images must be distinct")
        # One list from here on: `inputs`; input_image_ids mirrors its ids.
        self.input_image_ids = [item.image_id for item in given] if given is not None else None
        self.input_image_keys = None
        if self.keyword is not None:
            self.keyword = self.keyword.strip() or None
        if self.style is not None:
            self.style = self.style.strip().lower() or None
        return self

    @property
    def image_ids(self) -> list[uuid.UUID]:
        return [item.image_id for item in self.inputs or []]


class GenerateOut(BaseModel):
    record_id: uuid.UUID
    image_status: StageStatus


EstimateKind = Literal["designs", "edit"]


class CallsCost(BaseModel):
    """One way of making a brief's images: how many images.edit calls, and the whole record's
    estimated cost (images and story) in USD; null where a price is unknown."""

    calls: int
    usd: float | None


class CostEstimateOut(BaseModel):
    """What one brief will cost with the configured providers, before Generate.

    An estimate from list prices (`prices_checked`) and stated token figures (docs/openai.md);
    what a record really cost is its `cost_usd`, from the `usage` the API returned."""

    provider: str = Field(description="The image provider: `openai`, `local` or a plugin")
    model: str | None = Field(description="The image model the brief goes to")
    quality: str | None
    kind: EstimateKind
    input_images: int
    per_input_image_usd: float | None = Field(
        description="What one more reference adds (in the single call)"
    )
    without_previews: CallsCost = Field(description="One call for the 4 designs (n=4)")
    with_previews: CallsCost | None = Field(
        description="Live previews: one streamed call per design, each paying the references "
        "again, plus the partial images; null where previews do not apply (an edit)"
    )
    previews_default: bool = Field(
        description="What a POST /generate without `previews` gets (with OpenAI: off unless "
        "the operator set LAYERMINDER_OPENAI_PREVIEWS)"
    )
    story_usd: float | None = Field(description="The story's share, in both totals")
    prices_checked: date | None = Field(description="When the list prices were last checked")
