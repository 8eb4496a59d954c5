"""Accounts: one row per user, email stored lowercased so uniqueness is case-insensitive."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from layerminder.db.base import Base, Timestamps, UUIDPrimaryKey


class UserRole(StrEnum):
    user = "user"
    admin = "admin"


class Locale(StrEnum):
    """The studio's languages; a user's stays null until they choose one."""

    ko = "ko"
    en = "en"


class User(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=UserRole.user)
    # Null means "not chosen": the studio then follows the browser's languages.
    locale: Mapped[str | None] = mapped_column(String(8), default=None)
    # In every access token; raising it ends every session at once (password change, "log out
    # everywhere"): tokens carrying an older version are refused on their next request.
    token_version: Mapped[int] = mapped_column(default=0, server_default="0")
