"""API keys: programmatic access for one user, stored as a hash, limited by scopes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from layerminder.db.base import Base, CreatedAt, UUIDPrimaryKey


class ApiKey(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "api_keys"

    # CASCADE: a deleted account's keys stop working with it.
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    # The key's first characters, shown in listings so a user can tell keys apart.
    prefix: Mapped[str] = mapped_column(String(16))
    # sha256 of the key's secret part: the secret has 256 random bits, so a fast hash is
    # enough (nothing to brute-force), and a leaked database hands out no keys.
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
