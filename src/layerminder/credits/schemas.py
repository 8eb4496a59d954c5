"""Request and response shapes for credits."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from layerminder.models import CreditReason


class CreditTransactionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    delta: int
    reason: CreditReason
    record_id: uuid.UUID | None
    note: str
    created_at: datetime


class CreditsOut(BaseModel):
    balance: int
    transactions: list[CreditTransactionOut]


class CreditGrantIn(BaseModel):
    user_id: uuid.UUID
    amount: int = Field(gt=0, le=1_000_000)
    reason: str = Field(default="", max_length=500, description="Shown in the user's ledger")


class CreditGrantOut(BaseModel):
    user_id: uuid.UUID
    balance: int
    transaction: CreditTransactionOut
