"""Generation records (the seed's history_records), their 4 designs and recommendations."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from layerminder.db.base import Base, Timestamps, UUIDPrimaryKey


class StageStatus(StrEnum):
    pending = "pending"
    processing = "processing"
    ready = "ready"
    error = "error"
    # Stopped by its owner before it finished (POST /records/{id}/cancel).
    cancelled = "cancelled"


# A stage in one of these has ended; the others are still to run or running.
ENDED_STATUSES = (StageStatus.ready, StageStatus.error, StageStatus.cancelled)
OPEN_STATUSES = (StageStatus.pending, StageStatus.processing)


class Stage(StrEnum):
    """The pipeline's stages in order; each has a status and an error column on the record.

    The values are also the SSE event names sent when a stage changes.
    """

    images = "images"
    story = "story"
    keywords = "keywords"
    recommendation = "recommendation"

    @property
    def status_field(self) -> str:
        return f"{self._column_prefix}_status"

    @property
    def error_field(self) -> str:
        return f"{self._column_prefix}_error"

    @property
    def _column_prefix(self) -> str:
        # The seed named the first stage's columns `image_*`, singular.
        return "image" if self is Stage.images else self.value


class Record(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("owner_id", "idempotency_key"),
        Index("ix_records_room_created", "room_id", "created_at"),
        # Waiting records: started_at and finished_at null, in queued_at order.
        Index("ix_records_queue", "started_at", "finished_at", "queued_at"),
    )

    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    keyword: Mapped[str | None] = mapped_column(String(100), default=None)
    input_image_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The brief's references in order, `[{image_id, role, strength}]` (same ids as
    # input_image_ids); null on records from before roles: role `any`, default strength.
    inputs: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    # The curated style (styles.catalogue id) the brief started from.
    style: Mapped[str | None] = mapped_column(String(40), default=None)
    # The story's language (providers.base.Language); keywords stay English whatever it is.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    idempotency_key: Mapped[str | None] = mapped_column(String(200), default=None)
    # Refine and region edits start from one design of an earlier record: its lineage. The
    # child outlives a deleted parent (the link just goes), so the tree never blocks a delete.
    parent_record_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("records.id", ondelete="SET NULL"), default=None, index=True
    )
    parent_position: Mapped[int | None] = mapped_column(default=None)
    # A region edit: {"image_id", "mask_image_id", "prompt"}; a markup edit: {"image_id",
    # "markup_image_id", "prompt"}; null for every other record.
    edit: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # Whether the images stage shows live previews, as the request asked; null: the server's
    # default (generation/estimates.py), as for records from before there was a choice.
    previews: Mapped[bool | None] = mapped_column(default=None)

    image_status: Mapped[str] = mapped_column(String(16), default=StageStatus.pending)
    story_status: Mapped[str] = mapped_column(String(16), default=StageStatus.pending)
    keywords_status: Mapped[str] = mapped_column(String(16), default=StageStatus.pending)
    recommendation_status: Mapped[str] = mapped_column(String(16), default=StageStatus.pending)
    image_error: Mapped[str | None] = mapped_column(Text, default=None)
    story_error: Mapped[str | None] = mapped_column(Text, default=None)
    keywords_error: Mapped[str | None] = mapped_column(Text, default=None)
    recommendation_error: Mapped[str | None] = mapped_column(Text, default=None)
    # While the images stage runs (and after it ended without designs): one entry per design
    # position, `{status, image_id, width, height, preview_image_id, step, of}` with status
    # pending|running|ready (error and cancelled come from image_status). Reset at each start.
    design_slots: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    # Bumped on every change; SSE event ids come from it, so they increase across processes.
    version: Mapped[int] = mapped_column(default=1)

    name: Mapped[str | None] = mapped_column(String(200), default=None)
    width_cm: Mapped[int | None] = mapped_column(default=None)
    depth_cm: Mapped[int | None] = mapped_column(default=None)
    height_cm: Mapped[int | None] = mapped_column(default=None)
    seat_height_cm: Mapped[int | None] = mapped_column(default=None)
    # chair, lounge_chair, stool, bar_stool, bench, sofa, table or other: picks the ergonomic
    # ranges the dimensions are checked against.
    furniture_type: Mapped[str | None] = mapped_column(String(32), default=None)
    material: Mapped[str | None] = mapped_column(String(300), default=None)
    title: Mapped[str | None] = mapped_column(String(300), default=None)
    story: Mapped[str | None] = mapped_column(Text, default=None)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The keywords as shown in the story's language, same order; null until the story is
    # written, and for records from before there was a choice (English: the keywords themselves).
    keywords_display: Mapped[list[str] | None] = mapped_column(JSON, default=None)

    image_provider: Mapped[str | None] = mapped_column(String(64), default=None)
    image_model: Mapped[str | None] = mapped_column(String(128), default=None)
    story_provider: Mapped[str | None] = mapped_column(String(64), default=None)
    story_model: Mapped[str | None] = mapped_column(String(128), default=None)
    embedder_model: Mapped[str | None] = mapped_column(String(128), default=None)
    usage: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Per-design similarity to each input and to the library (near-copy warning).
    analysis: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The job holding the record; another job may take over once the lease has expired.
    lease_owner: Mapped[str | None] = mapped_column(String(100), default=None)
    lease_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    # Job control. `attempt` counts retries (0: the first run); ledger keys include it, so each
    # run has at most one debit and one refund. `retry_key` is the last retry's Idempotency-Key.
    attempt: Mapped[int] = mapped_column(default=0, server_default="0")
    retry_key: Mapped[str | None] = mapped_column(String(200), default=None)
    # When the run was (re)queued, started and ended: queue order, and durations for the ETA.
    queued_at: Mapped[datetime | None] = mapped_column(default=None)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)

    STAGE_FIELDS: ClassVar[tuple[str, ...]] = tuple(stage.status_field for stage in Stage)

    @property
    def brief_inputs(self) -> list[tuple[str, str, float]]:
        """(image id, role, strength) per reference, in the brief's order."""
        if self.inputs is None:
            return [(image_id, "any", 0.5) for image_id in self.input_image_ids]
        return [(i["image_id"], i["role"], float(i["strength"])) for i in self.inputs]

    @property
    def done(self) -> bool:
        return all(getattr(self, field) in ENDED_STATUSES for field in self.STAGE_FIELDS)

    @property
    def waiting(self) -> bool:
        """Queued and not started yet: it has a place in the queue (records queued before
        places were kept have none)."""
        return self.queued_at is not None and self.started_at is None and not self.done

    @property
    def cancelled(self) -> bool:
        return any(getattr(self, field) == StageStatus.cancelled for field in self.STAGE_FIELDS)

    @property
    def retryable(self) -> bool:
        """Ended with a stage that failed or was cancelled: a retry would run it again."""
        return self.done and any(
            getattr(self, field) in (StageStatus.error, StageStatus.cancelled)
            for field in self.STAGE_FIELDS
        )


class RecordImage(Base):
    __tablename__ = "record_images"

    record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    image_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"))


class RecordRecommendation(Base):
    __tablename__ = "record_recommendations"

    record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    rank: Mapped[int] = mapped_column(primary_key=True)
    reference_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("references.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
