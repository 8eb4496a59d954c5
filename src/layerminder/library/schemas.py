"""Response shapes for the reference library."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field


class ReferenceOut(BaseModel):
    id: uuid.UUID
    image_id: uuid.UUID
    title: str
    title_ko: str | None = Field(description="The title in Korean, where the reference has one")
    source: str
    tags: list[str]
    embedding_model: str | None
    width: int
    height: int
    url: str
    created_at: datetime


class SearchHitOut(BaseModel):
    score: float
    # image, words, clip or clip+words: what found this hit.
    match: str
    reference: ReferenceOut


class SearchOut(BaseModel):
    embedder: str
    # image (an uploaded image's vector), words (full text over titles, tags and sources;
    # the default install) or clip+words (CLIP's reading of the words ranked with the text).
    match: str
    hits: list[SearchHitOut]


class ImportOut(BaseModel):
    added: int
    duplicates: int
    failed: list[str]
