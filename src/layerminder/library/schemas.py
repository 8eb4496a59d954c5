"""Response shapes for the reference library."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, Field

from layerminder.images.urls import image_url
from layerminder.library.words import tags_ko
from layerminder.models import Image, Reference


class ReferenceOut(BaseModel):
    id: uuid.UUID
    image_id: uuid.UUID
    title: str
    title_ko: str | None = Field(description="The title in Korean, where the reference has one")
    source: str
    tags: list[str]
    tags_ko: list[str] = Field(
        description="The tags as a Korean page shows them (a tag with no Korean name stays)"
    )
    embedding_model: str | None
    width: int
    height: int
    url: str
    created_at: datetime

    @classmethod
    def from_model(cls, reference: Reference, image: Image, secret: str) -> ReferenceOut:
        return cls(
            id=reference.id,
            image_id=image.id,
            title=reference.title,
            title_ko=reference.title_ko,
            source=reference.source,
            tags=list(reference.tags or []),
            tags_ko=tags_ko(list(reference.tags or [])),
            embedding_model=reference.embedding_model,
            width=image.width,
            height=image.height,
            url=image_url(image.id, secret),
            created_at=reference.created_at,
        )


class Hit(Protocol):
    """A search result as the library's search returns it."""

    @property
    def reference(self) -> Reference: ...

    @property
    def image(self) -> Image: ...

    @property
    def score(self) -> float: ...

    @property
    def match(self) -> str: ...


class Result(Protocol):
    """A search's answer as the library's search returns it."""

    @property
    def hits(self) -> Sequence[Hit]: ...

    @property
    def match(self) -> str: ...

    @property
    def min_score(self) -> float | None: ...

    @property
    def below(self) -> int: ...

    @property
    def best_below(self) -> float | None: ...


class SearchHitOut(BaseModel):
    score: float
    # image, words, clip or clip+words: what found this hit.
    match: str
    reference: ReferenceOut

    @classmethod
    def from_hit(cls, hit: Hit, secret: str) -> SearchHitOut:
        return cls(
            score=round(hit.score, 4),
            match=hit.match,
            reference=ReferenceOut.from_model(hit.reference, hit.image, secret),
        )


class SearchOut(BaseModel):
    embedder: str
    # image (an uploaded image's vector), words (full text over titles, tags and sources;
    # the default install) or clip+words (CLIP's reading of the words ranked with the text).
    match: str
    hits: list[SearchHitOut]
    min_score: float | None = Field(
        description="The similarity an image (or CLIP text) match had to reach: the request's "
        "min_score, else LAYERMINDER_LIBRARY_MIN_SCORE, else the embedder's own floor; null for "
        "a words-only search"
    )
    below_min_score: int = Field(
        description="How many of the nearest references searched scored below min_score and "
        "were left out: with no hits, the library is not empty, nothing was close enough"
    )
    best_below: float | None = Field(description="The best score among those left out, if any")

    @classmethod
    def from_result(cls, result: Result, embedder: str, secret: str) -> SearchOut:
        return cls(
            embedder=embedder,
            match=result.match,
            hits=[SearchHitOut.from_hit(hit, secret) for hit in result.hits],
            min_score=result.min_score,
            below_min_score=result.below,
            best_below=None if result.best_below is None else round(result.best_below, 4),
        )


class ImportOut(BaseModel):
    added: int
    duplicates: int
    failed: list[str]
