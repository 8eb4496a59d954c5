"""Invite codes for invite-only sign-up: stored as a hash, single- or multi-use, expiring."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from layerminder.db.base import Base, CreatedAt, UUIDPrimaryKey


class Invite(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "invites"

    # sha256 of the code: a leaked database does not hand out sign-ups.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, so admins can tell codes apart in a listing.
    code_prefix: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="")
    max_uses: Mapped[int] = mapped_column(default=1)
    uses: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
