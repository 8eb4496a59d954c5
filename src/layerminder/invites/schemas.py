"""Request and response shapes for invite codes."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictFloat

from layerminder.models import Invite


class InviteIn(BaseModel):
    max_uses: int = Field(default=1, ge=1, le=10_000)
    # Null: never expires.
    # Strict: "5" is not a number, as the schema says (an integer such as 5 still is).
    expires_in_hours: StrictFloat | None = Field(default=168, gt=0, le=24 * 366)
    note: str = Field(default="", max_length=200)


class InviteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code_prefix: str
    note: str
    max_uses: int
    uses: int
    expires_at: datetime | None
    created_at: datetime

    @classmethod
    def from_model(cls, invite: Invite) -> InviteOut:
        return cls.model_validate(invite)


class NewInviteOut(InviteOut):
    # Shown once: only its hash is kept.
    code: str
