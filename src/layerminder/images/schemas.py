"""Response shapes for images."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from layerminder.models import ImageKind


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
