"""Each design's embedding from the recommendation stage, kept for "more like this"."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from layerminder.db.base import Base


class DesignVector(Base):
    __tablename__ = "design_vectors"
    __table_args__ = (Index("ix_design_vectors_owner_model", "owner_id", "model_id"),)

    image_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("images.id", ondelete="CASCADE"), primary_key=True
    )
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    # Vectors of different embedders never mix: a search compares one model's only.
    model_id: Mapped[str] = mapped_column(String(128))
    # L2-normalised float32 bytes.
    vector: Mapped[bytes] = mapped_column(LargeBinary)
