"""Every stored image: uploads, generated designs and reference-library entries."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from layerminder.db.base import Base, CreatedAt, UUIDPrimaryKey


class ImageKind(StrEnum):
    uploaded = "uploaded"
    generated = "generated"
    reference = "reference"
    # A region-edit mask (transparent = repaint): kept out of a room's reference uploads.
    mask = "mask"
    # A markup edit's overlay (the designer's strokes and notes): kept out of references too.
    markup = "markup"
    # A design's in-between render while the images stage runs: owner-only, small, and
    # deleted when the record ends.
    preview = "preview"


class Image(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "images"
    __table_args__ = (
        Index("ix_images_owner_sha256", "owner_id", "sha256"),
        Index("ix_images_room_created", "room_id", "created_at"),
    )

    # Reference-library images belong to the admin who imported them.
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    room_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("rooms.id", ondelete="SET NULL"), default=None
    )
    kind: Mapped[str] = mapped_column(String(16))
    # Made by the server from kind, owner and id; never taken from a client.
    storage_key: Mapped[str] = mapped_column(String(512), unique=True)
    content_type: Mapped[str] = mapped_column(String(64))
    width: Mapped[int]
    height: Mapped[int]
    bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
