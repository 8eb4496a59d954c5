"""Pins: any of a user's images (upload, design, reference) kept in one of their rooms."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from layerminder.db.base import Base, CreatedAt, UUIDPrimaryKey


class RoomPin(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "room_pins"
    __table_args__ = (UniqueConstraint("room_id", "image_id"),)

    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    image_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(default=0)
