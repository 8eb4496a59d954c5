"""Request and response shapes for rooms and pins."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from layerminder.images.schemas import ImageOut
from layerminder.models import Image, Room, RoomPin
from layerminder.records.schemas import RecordOut


class RoomIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=1000)
    # Strict: JSON says true or false; 0, 1 or "yes" are refused, as the schema says.
    is_public: StrictBool = False


class RoomPatch(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=1000)
    is_public: StrictBool | None = None


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

    @classmethod
    def from_model(cls, pin: RoomPin, image: Image, secret: str) -> PinOut:
        return cls(
            id=pin.id,
            room_id=pin.room_id,
            note=pin.note,
            position=pin.position,
            created_at=pin.created_at,
            image=ImageOut.from_model(image, secret),
        )


class PublicRoomOut(BaseModel):
    name: str
    description: str
    slug: str
    created_at: datetime
    images: list[ImageOut]
    pins: list[PinOut]
    # The room's finished generations, newest first.
    records: list[RecordOut]

    @classmethod
    def from_model(
        cls,
        room: Room,
        *,
        uploads: Sequence[Image],
        pins: Sequence[tuple[RoomPin, Image]],
        records: list[RecordOut],
        secret: str,
    ) -> PublicRoomOut:
        return cls(
            name=room.name,
            description=room.description,
            slug=room.slug,
            created_at=room.created_at,
            images=[ImageOut.from_model(image, secret) for image in uploads],
            pins=[PinOut.from_model(pin, image, secret) for pin, image in pins],
            records=records,
        )
