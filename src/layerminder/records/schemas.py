"""The record as clients see it: every stage's status, results, providers and errors."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from layerminder.models import StageStatus
from layerminder.providers.base import Language
from layerminder.records.checks import CheckStatus


class DimensionsOut(BaseModel):
    width_cm: int
    depth_cm: int
    height_cm: int
    seat_height_cm: int | None = None


class CheckOut(BaseModel):
    """One dimension against the ergonomic range for the record's furniture type."""

    dimension: str
    value_cm: int
    min_cm: int
    max_cm: int
    status: CheckStatus


class DesignOut(BaseModel):
    image_id: uuid.UUID
    position: int
    width: int
    height: int
    url: str


class RecommendationOut(BaseModel):
    rank: int
    score: float
    reference_id: uuid.UUID
    image_id: uuid.UUID
    title: str
    title_ko: str | None = Field(description="The title in Korean, where the reference has one")
    source: str
    tags: list[str]
    url: str


class RecordOut(BaseModel):
    id: uuid.UUID
    room_id: uuid.UUID
    keyword: str | None
    language: Language = Field(description="The language of the story fields")
    input_image_ids: list[uuid.UUID]
    # Increases with every change; the SSE event id.
    version: int
    image_status: StageStatus
    story_status: StageStatus
    keywords_status: StageStatus
    recommendation_status: StageStatus
    image_error: str | None
    story_error: str | None
    keywords_error: str | None
    recommendation_error: str | None
    # True once every stage has ended (ready or error): the stream sends `end`.
    done: bool
    # True when the credit was given back because no design was delivered.
    refunded: bool
    designs: list[DesignOut]
    # The seed's field: the 4 design URLs in position order.
    image_urls: list[str]
    name: str | None
    dimensions: DimensionsOut | None
    furniture_type: str | None
    # Empty until the story stage has named the type and the sizes.
    checks: list[CheckOut]
    material: str | None
    title: str | None
    story: str | None
    keywords: list[str]
    keywords_display: list[str] = Field(
        description="The keywords as shown in the story's language, in the same order"
    )
    recommendations: list[RecommendationOut]
    image_provider: str | None
    image_model: str | None
    story_provider: str | None
    story_model: str | None
    embedder_model: str | None
    usage: dict[str, Any]
    analysis: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class StreamTicketOut(BaseModel):
    """A URL credential for one record's stream: `GET {stream_url}` within `expires_in` s."""

    ticket: str
    expires_in: int
    stream_url: str
