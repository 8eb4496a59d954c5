"""Response shapes for images."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from layerminder.images.urls import image_url
from layerminder.models import Image, ImageKind


class ImageOut(BaseModel):
    id: uuid.UUID
    kind: ImageKind
    room_id: uuid.UUID | None
    content_type: str
    width: int
    height: int
    bytes: int
    sha256: str
    created_at: datetime
    url: str

    @classmethod
    def from_model(cls, image: Image, secret: str) -> ImageOut:
        return cls(
            id=image.id,
            kind=image.kind,
            room_id=image.room_id,
            content_type=image.content_type,
            width=image.width,
            height=image.height,
            bytes=image.bytes,
            sha256=image.sha256,
            created_at=image.created_at,
            url=image_url(image.id, secret),
        )
