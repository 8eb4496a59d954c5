"""Request and response shapes for accounts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from layerminder.models import User, UserRole


class SignupIn(BaseModel):
    email: EmailStr
    password: str = Field(min_length=8, max_length=256)
    # Needed when sign-up is invite-only (see GET /auth/config).
    invite_code: str | None = Field(default=None, max_length=100)


class AuthConfigOut(BaseModel):
    """What a sign-up form needs to know before it is shown."""

    signup_mode: Literal["open", "invite", "closed"]


class LoginIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=256)


# The studio's languages (models.Locale); a Literal so the OpenAPI spec and the TS client list them.
LocaleCode = Literal["ko", "en"]


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    role: UserRole
    created_at: datetime
    # null until the user picks a language; the studio then follows the browser's.
    locale: LocaleCode | None


class MeOut(UserOut):
    credits: int
    # What one generation spends, so clients can show the price and a clear message at 0.
    generation_cost: int

    @classmethod
    def from_model(cls, user: User, *, credits: int, generation_cost: int) -> MeOut:
        return cls.model_validate(
            {
                **UserOut.model_validate(user).model_dump(),
                "credits": credits,
                "generation_cost": generation_cost,
            }
        )


class MeUpdate(BaseModel):
    """PATCH /auth/me: only the fields sent change; `locale: null` forgets the choice."""

    model_config = ConfigDict(extra="forbid")

    locale: LocaleCode | None = None


class PasswordChangeIn(BaseModel):
    current_password: str = Field(max_length=256)
    new_password: str = Field(min_length=8, max_length=256)


class AccountDeleteIn(BaseModel):
    # Asked again: a borrowed laptop or a stolen token must not be enough to erase an account.
    password: str = Field(max_length=256)


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    user: MeOut
