"""A design's views sheet (front, side, top, three-quarter): one row per request, its job's
status, and each view's image and consistency score once made."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from layerminder.db.base import Base, Timestamps, UUIDPrimaryKey


class DesignViews(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "design_views"
    __table_args__ = (Index("ix_design_views_record_position", "record_id", "position"),)

    record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    position: Mapped[int]
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # pending | processing | ready | error (models.StageStatus's values).
    status: Mapped[str] = mapped_column(String(16), default="pending")
    error: Mapped[str | None] = mapped_column(Text, default=None)
    # `local` renders the design model; an AI provider repaints the design once per view.
    provider: Mapped[str | None] = mapped_column(String(64), default=None)
    model: Mapped[str | None] = mapped_column(String(128), default=None)
    # What was charged (refunded on failure): the ledger keys come from this row's id.
    cost: Mapped[int] = mapped_column(default=0)
    # [{angle, image_id, score, extent_cm: [w, h]}] in VIEW_ANGLES order, once made.
    views: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The embedder the scores come from (CLIP, or the basic descriptor where CLIP is absent).
    score_model: Mapped[str | None] = mapped_column(String(128), default=None)
    # Bumped on every change: the stream's event ids.
    version: Mapped[int] = mapped_column(default=1)
