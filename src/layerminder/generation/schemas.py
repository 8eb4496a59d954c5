"""Request and response shapes for starting a generation."""

from __future__ import annotations

import uuid

from pydantic import AliasChoices, BaseModel, Field, model_validator

from layerminder.models import StageStatus
from layerminder.providers.base import Language


class GenerateIn(BaseModel):
    # The seed calls a room a session: `session_id` on the wire, `room_id` accepted too.
    room_id: uuid.UUID = Field(validation_alias=AliasChoices("session_id", "room_id"))
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

    @model_validator(mode="after")
    def _one_list(self) -> GenerateIn:
        if self.input_image_ids is None:
            self.input_image_ids = self.input_image_keys
        if self.input_image_ids is None:
            raise ValueError("input_image_ids is required (1 to 4 uploaded image ids)")
        if not 1 <= len(self.input_image_ids) <= 4:
            raise ValueError(f"give 1 to 4 input images, got {len(self.input_image_ids)}")
        if len(set(self.input_image_ids)) != len(self.input_image_ids):
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
