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


class SimilarHitOut(BaseModel):
    image_id: uuid.UUID
    # design (one of the caller's) or reference (the library)
    kind: str
    score: float
    url: str
    record_id: uuid.UUID | None = None
    reference_id: uuid.UUID | None = None
    title: str | None = None
    title_ko: str | None = Field(
        default=None, description="A reference's title in Korean, where it has one"
    )


class SimilarOut(BaseModel):
    embedder: str
    scope: str
    min_score: float
    hits: list[SimilarHitOut]
