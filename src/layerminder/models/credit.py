"""Credits: a balance per user and the append-only ledger that it always equals the sum of."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from layerminder.db.base import Base, CreatedAt, UUIDPrimaryKey, utcnow


class CreditReason(StrEnum):
    signup = "signup"
    grant = "grant"
    generation = "generation"
    refund = "refund"


class CreditAccount(Base):
    __tablename__ = "credit_accounts"
    __table_args__ = (CheckConstraint("balance >= 0", name="balance_not_negative"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    balance: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CreditTransaction(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "credit_transactions"
    __table_args__ = (Index("ix_credit_transactions_user_created", "user_id", "created_at"),)

    # Null once the account is deleted: the ledger keeps its sums, not the person.
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    delta: Mapped[int]
    reason: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("records.id", ondelete="SET NULL"), default=None, index=True
    )
    # Unique, so a retried grant, debit or refund can never be applied twice.
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True, default=None)
    note: Mapped[str] = mapped_column(String(500), default="")
