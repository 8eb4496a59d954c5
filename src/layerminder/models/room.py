"""Rooms (the seed's LayerRoom sessions): a user's workspace of uploads, records and pins."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from layerminder.db.base import Base, Timestamps, UUIDPrimaryKey


class Room(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "rooms"
    __table_args__ = (Index("ix_rooms_owner_created", "owner_id", "created_at"),)

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(default=False)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    archived_at: Mapped[datetime | None] = mapped_column(default=None)
