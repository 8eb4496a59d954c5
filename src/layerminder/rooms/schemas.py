"""Request and response shapes for rooms and pins."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from layerminder.images.schemas import ImageOut
from layerminder.records.schemas import RecordOut


class RoomIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=1000)
    is_public: bool = False


class RoomPatch(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=1000)
    is_public: bool | None = None


class RoomOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str
    is_public: bool
    slug: str
    created_at: datetime
    updated_at: datetime


class PinIn(BaseModel):
    image_id: uuid.UUID
    note: str = Field(default="", max_length=500)


class PinOut(BaseModel):
    id: uuid.UUID
    room_id: uuid.UUID
    note: str
    position: int
    created_at: datetime
    image: ImageOut


class PublicRoomOut(BaseModel):
    name: str
    description: str
    slug: str
    created_at: datetime
    images: list[ImageOut]
    pins: list[PinOut]
    # The room's finished generations, newest first.
    records: list[RecordOut]
