"""What the studio answers: a page of records with a cursor, and a favourite's state."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from layerminder.records.schemas import RecordOut


class RecordSearchOut(BaseModel):
    items: list[RecordOut]
    # Pass back as `cursor` for the next page; null on the last page.
    next_cursor: str | None
    favourite_image_ids: list[uuid.UUID] = Field(
        description="The designs on this page that the caller has marked as favourites"
    )


class FavouriteOut(BaseModel):
    image_id: uuid.UUID
    favourite: bool
