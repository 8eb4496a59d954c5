"""The record as clients see it: every stage's status, results, providers and errors."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from layerminder.images.urls import image_url
from layerminder.models import Image, Record, Stage, StageStatus
from layerminder.providers.base import InputRole, Language
from layerminder.records.checks import CheckStatus, dimension_checks


class DesignRow(Protocol):
    """What a view needs of a design (an Image, or `records.views.DesignRow`)."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...


class RecommendationRow(Protocol):
    """What a view needs of a recommendation (`records.views.RecommendationRow`)."""

    @property
    def rank(self) -> int: ...
    @property
    def score(self) -> float: ...
    @property
    def reference_id(self) -> uuid.UUID: ...
    @property
    def image_id(self) -> uuid.UUID: ...
    @property
    def title(self) -> str: ...
    @property
    def title_ko(self) -> str | None: ...
    @property
    def source(self) -> str: ...
    @property
    def tags(self) -> Sequence[str]: ...


class DimensionsOut(BaseModel):
    width_cm: int
    depth_cm: int
    height_cm: int
    seat_height_cm: int | None = None


# The views are built as plain data and validated once, as a whole (`RecordOut.from_model`):
# one call into pydantic-core per record instead of one per nested model (~15) took building a
# history page's 50 from ~6 ms to ~4.5.


def _dimensions(record: Record) -> dict[str, Any] | None:
    """None until the story stage has given all three."""
    if not (record.width_cm and record.depth_cm and record.height_cm):
        return None
    return {
        "width_cm": record.width_cm,
        "depth_cm": record.depth_cm,
        "height_cm": record.height_cm,
        "seat_height_cm": record.seat_height_cm,
    }


class CheckOut(BaseModel):
    """One dimension against the ergonomic range for the record's furniture type."""

    dimension: str
    value_cm: int
    min_cm: int
    max_cm: int
    status: CheckStatus


def _checks(record: Record) -> list[dict[str, Any]]:
    """Empty until the story stage has named the type and the sizes."""
    return [
        vars(check)
        for check in dimension_checks(
            record.furniture_type,
            {
                "seat_height_cm": record.seat_height_cm,
                "width_cm": record.width_cm,
                "depth_cm": record.depth_cm,
                "height_cm": record.height_cm,
            },
        )
    ]


class InputOut(BaseModel):
    """One reference of the record's brief, in the brief's order."""

    image_id: uuid.UUID
    role: InputRole
    strength: float


def _inputs(record: Record) -> list[dict[str, Any]]:
    return [
        {"image_id": image_id, "role": role, "strength": strength}
        for image_id, role, strength in record.brief_inputs
    ]


# An ended images stage has no per-design failures: it fails or is cancelled as a whole.
DesignStatus = Literal["pending", "running", "ready"]


class DesignPreviewOut(BaseModel):
    """The latest in-between render of a design that is still being made."""

    url: str = Field(
        description="A small JPEG, signed for its owner; it stops working once the images "
        "stage is over"
    )
    step: int = Field(description="The pass it comes from, 1 first")
    of: int = Field(
        description="How many passes make the design; the last one is the design itself, "
        "which arrives as the design turning `ready`"
    )


class DesignOut(BaseModel):
    """One of the record's 4 design positions. Ready designs have their image; while the
    images stage runs the others have their status, and the one being made its latest
    preview."""

    position: int
    status: DesignStatus = Field(
        description="pending: not started; running: being made (see `preview`); ready: done",
    )
    image_id: uuid.UUID | None = Field(description="Set when ready")
    width: int | None = Field(description="Set when ready")
    height: int | None = Field(description="Set when ready")
    url: str | None = Field(description="Signed image URL, set when ready")
    preview: DesignPreviewOut | None = Field(
        default=None, description="While running: the latest preview; else null"
    )


def _ready_design(image: DesignRow, position: int, secret: str) -> dict[str, Any]:
    return {
        "image_id": image.id,
        "position": position,
        "status": "ready",
        "width": image.width,
        "height": image.height,
        "url": image_url(image.id, secret),
    }


def _designs(record: Record, designs: Sequence[DesignRow], secret: str) -> list[dict[str, Any]]:
    """The delivered designs; else, once the images stage has started, every position's
    progress; else nothing."""
    if designs:
        return [_ready_design(image, position, secret) for position, image in enumerate(designs)]
    slots = record.design_slots
    # Not started, or ended without designs (image_status says why: error or cancelled;
    # a design finished before that is not kept either).
    if not slots or record.image_status != StageStatus.processing:
        return []
    outs = []
    for position, slot in enumerate(slots):
        status = slot.get("status", "pending")
        ready = status == "ready" and slot.get("image_id")
        preview = None
        if status == "running" and slot.get("preview_image_id"):
            preview = {
                "url": image_url(uuid.UUID(slot["preview_image_id"]), secret),
                "step": int(slot["step"]),
                "of": int(slot["of"]),
            }
        outs.append(
            {
                "position": position,
                "status": status,
                "image_id": slot["image_id"] if ready else None,
                "width": slot.get("width") if ready else None,
                "height": slot.get("height") if ready else None,
                "url": image_url(uuid.UUID(slot["image_id"]), secret) if ready else None,
                "preview": preview,
            }
        )
    return outs


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


def _recommendation(row: RecommendationRow, secret: str) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "score": round(row.score, 4),
        "reference_id": row.reference_id,
        "image_id": row.image_id,
        "title": row.title,
        "title_ko": row.title_ko,
        "source": row.source,
        "tags": row.tags,
        "url": image_url(row.image_id, secret),
    }


class ParentOut(BaseModel):
    """The design a record was refined or edited from."""

    record_id: uuid.UUID
    position: int


class EditOut(BaseModel):
    """The edit that made a record: a region edit (a mask) or a markup edit (a markup)."""

    image_id: uuid.UUID
    mask_image_id: uuid.UUID | None = None
    markup_image_id: uuid.UUID | None = None
    prompt: str


def _cost_usd(usage: dict[str, Any]) -> float | None:
    costs = [
        part["cost_microusd"]
        for part in usage.values()
        if isinstance(part, dict) and isinstance(part.get("cost_microusd"), int)
    ]
    return round(sum(costs) / 1_000_000, 6) if costs else None


def _parent(record: Record) -> dict[str, Any] | None:
    if record.parent_record_id is None or record.parent_position is None:
        return None
    return {"record_id": record.parent_record_id, "position": record.parent_position}


LineageKind = Literal["generate", "refine", "edit"]
# Where a record in a family tree stands: still running, ended well, a stage failed, or stopped.
LineageState = Literal["running", "ready", "failed", "cancelled"]


def lineage_state(record: Record) -> LineageState:
    if record.cancelled:
        return "cancelled"
    if not record.done:
        return "running"
    if any(getattr(record, field) == StageStatus.error for field in record.STAGE_FIELDS):
        return "failed"
    return "ready"


class LineageNodeOut(BaseModel):
    """One record in a family tree: enough to draw it and link to it."""

    record_id: uuid.UUID
    room_id: uuid.UUID
    parent: ParentOut | None
    kind: LineageKind = Field(description="How the record was made")
    state: LineageState = Field(description="Running, ready, failed (a stage) or cancelled")
    title: str | None
    keyword: str | None
    first_design_url: str | None = Field(description="Null until the designs are made")
    created_at: datetime

    @classmethod
    def from_model(cls, record: Record, designs: Sequence[Image], secret: str) -> LineageNodeOut:
        return cls(
            record_id=record.id,
            room_id=record.room_id,
            parent=_parent(record),
            kind="edit" if record.edit else ("refine" if record.parent_record_id else "generate"),
            state=lineage_state(record),
            title=record.title,
            keyword=record.keyword,
            first_design_url=image_url(designs[0].id, secret) if designs else None,
            created_at=record.created_at,
        )


class LineageOut(BaseModel):
    """A record's family: ancestors root first, then the record, then its descendants breadth
    first (each names its parent, so the tree can be drawn)."""

    record_id: uuid.UUID
    ancestors: list[LineageNodeOut]
    record: LineageNodeOut
    descendants: list[LineageNodeOut]


class StageOut(BaseModel):
    """One stage of the pipeline as the record stands."""

    stage: Stage
    status: StageStatus
    error: str | None


def _stages(record: Record) -> list[dict[str, Any]]:
    return [
        {
            "stage": stage,
            "status": getattr(record, stage.status_field),
            "error": getattr(record, stage.error_field),
        }
        for stage in Stage
    ]


@dataclass(frozen=True)
class QueuePlace:
    position: int
    eta_seconds: int | None


class RecordOut(BaseModel):
    # Views are shared between requests once built (`records.views`): none may change one.
    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    room_id: uuid.UUID
    keyword: str | None
    language: Language = Field(description="The language of the story fields")
    input_image_ids: list[uuid.UUID]
    parent: ParentOut | None = Field(description="The design this record was refined from")
    edit: EditOut | None = Field(description="The region or markup edit that made this record")
    previews: bool | None = Field(
        default=None,
        description="Live previews as the request asked; null: the server's default",
    )
    inputs: list[InputOut] = Field(
        description="The brief's references with their roles and strengths, in order"
    )
    style: str | None = Field(description="The curated style id the brief started from")
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
    stages: list[StageOut] = Field(
        description="Every stage in the order they run, with its status and error (the same as "
        "the `*_status` and `*_error` fields, as a list a client can draw whatever the stages)"
    )
    # True once every stage has ended (ready, error or cancelled): the stream sends `end`.
    done: bool
    # True when the credit was given back because no design was delivered.
    refunded: bool
    cancelled: bool = Field(description="Stopped by its owner: the stages that had not ended")
    retry_cost: int | None = Field(
        description="What POST /records/{id}/retry costs in credits (what the refund gave "
        "back, else 0); null when there is nothing to retry"
    )
    queue_position: int | None = Field(
        description="While waiting to start: 1 means next (every user's jobs count); else null"
    )
    eta_seconds: int | None = Field(
        description="While waiting: a rough time until it finishes, from recent runs; else null"
    )
    designs: list[DesignOut] = Field(
        description="While the images stage runs: one entry per position (4) with its status, "
        "its image once ready and its latest preview while running. Once the stage is ready: "
        "the 4 designs. Empty before it starts and when it failed or was cancelled"
    )
    # The seed's field: the 4 design URLs in position order, once all 4 are delivered.
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
    cost_usd: float | None = Field(
        description="What the providers' calls cost, computed from the usage each API returned "
        "(`usage.*.cost_microusd`); 0 for the offline providers, null when no stage reported one"
    )
    analysis: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(
        cls,
        record: Record,
        *,
        designs: Sequence[DesignRow],
        recommendations: Sequence[RecommendationRow],
        refunded: bool,
        secret: str,
        retry_cost: int | None = None,
        queue: QueuePlace | None = None,
    ) -> RecordOut:
        """`designs` in position order, `recommendations` in rank order."""
        return cls.model_validate(
            {
                "id": record.id,
                "room_id": record.room_id,
                "keyword": record.keyword,
                "language": "ko" if record.language == "ko" else "en",
                "input_image_ids": record.input_image_ids,
                "parent": _parent(record),
                "edit": record.edit or None,
                "previews": record.previews,
                "inputs": _inputs(record),
                "style": record.style,
                "version": record.version,
                **{s.status_field: getattr(record, s.status_field) for s in Stage},
                **{s.error_field: getattr(record, s.error_field) for s in Stage},
                "stages": _stages(record),
                "done": record.done,
                "refunded": refunded,
                "cancelled": record.cancelled,
                "retry_cost": retry_cost,
                "queue_position": queue.position if queue else None,
                "eta_seconds": queue.eta_seconds if queue else None,
                "designs": _designs(record, designs, secret),
                "image_urls": [image_url(image.id, secret) for image in designs],
                "name": record.name,
                "dimensions": _dimensions(record),
                "furniture_type": record.furniture_type,
                "checks": _checks(record),
                "material": record.material,
                "title": record.title,
                "story": record.story,
                "keywords": record.keywords or [],
                "keywords_display": record.keywords_display or record.keywords or [],
                "recommendations": [_recommendation(row, secret) for row in recommendations],
                "image_provider": record.image_provider,
                "image_model": record.image_model,
                "story_provider": record.story_provider,
                "story_model": record.story_model,
                "embedder_model": record.embedder_model,
                "usage": record.usage or {},
                "cost_usd": _cost_usd(record.usage or {}),
                "analysis": record.analysis or {},
                "created_at": record.created_at,
                "updated_at": record.updated_at,
            }
        )


class StreamTicketOut(BaseModel):
    """A URL credential for one record's stream: `GET {stream_url}` within `expires_in` s."""

    ticket: str
    expires_in: int
    stream_url: str
