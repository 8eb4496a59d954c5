"""Request and response shapes for starting a generation."""

from __future__ import annotations

import uuid

from pydantic import AliasChoices, BaseModel, Field, model_validator

from layerminder.models import StageStatus
from layerminder.providers.base import DESIGN_COUNT, Language


class ParentIn(BaseModel):
    """One design of an earlier record of the caller's: the starting point of a refine."""

    record_id: uuid.UUID
    position: int = Field(ge=0, lt=DESIGN_COUNT, description="The design's position, 0-3")


class EditIn(BaseModel):
    """Repaint part of one image: where the mask is transparent (OpenAI images.edit's format)."""

    image_id: uuid.UUID = Field(description="The image to edit: a design or an upload of yours")
    mask_image_id: uuid.UUID = Field(
        description="An uploaded PNG the image's size; its fully transparent pixels mark the area"
    )
    prompt: str = Field(min_length=1, max_length=1000, description="What to paint there")

    @model_validator(mode="after")
    def _prompt_not_blank(self) -> EditIn:
        self.prompt = " ".join(self.prompt.split())
        if not self.prompt:
            raise ValueError("the edit prompt is empty")
        return self


class GenerateIn(BaseModel):
    # The seed calls a room a session: `session_id` on the wire, `room_id` accepted too.
    # Optional with `parent` or `edit`: the record then goes to the parent's (or image's) room.
    room_id: uuid.UUID | None = Field(
        default=None, validation_alias=AliasChoices("session_id", "room_id")
    )
    input_image_ids: list[uuid.UUID] | None = Field(
        default=None, description="1-4 images uploaded to this room"
    )
    input_image_keys: list[uuid.UUID] | None = Field(
        default=None, description="The seed's name for input_image_ids"
    )
    keyword: str | None = Field(default=None, max_length=100)
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
        default=None, description="Repaint the masked region of one image instead of merging inputs"
    )

    @model_validator(mode="after")
    def _one_list(self) -> GenerateIn:
        if self.input_image_ids is None:
            self.input_image_ids = self.input_image_keys
        given = self.input_image_ids
        if self.edit is not None:
            if given is not None or self.parent is not None:
                raise ValueError("an edit takes no input images and no parent: only its image")
        elif self.parent is not None:
            # The parent's design is the first input; up to 3 of the caller's may join it.
            if given is not None and len(given) > 3:
                raise ValueError(f"a refine takes at most 3 more input images, got {len(given)}")
        elif given is None:
            raise ValueError("input_image_ids is required (1 to 4 uploaded image ids)")
        elif not 1 <= len(given) <= 4:
            raise ValueError(f"give 1 to 4 input images, got {len(given)}")
        if self.room_id is None and self.parent is None and self.edit is None:
            raise ValueError("session_id is required")
        if given and len(set(given)) != len(given):
            raise ValueError("input images must be distinct")
        if self.keyword is not None:
            self.keyword = self.keyword.strip() or None
        return self

    @property
    def image_ids(self) -> list[uuid.UUID]:
        return list(self.input_image_ids or [])


class GenerateOut(BaseModel):
    record_id: uuid.UUID
    image_status: StageStatus
