"""Invite rules: codes are random, shown once, stored hashed; redeeming one is atomic."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.db.base import utcnow
from layerminder.errors import InvalidRequest, InviteRequired, NotFound
from layerminder.invites.repository import InviteRepository
from layerminder.models import Invite

PREFIX_LENGTH = 8


@dataclass
class NewInvite:
    invite: Invite
    code: str  # the only time the code exists in clear


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


async def create(
    session: AsyncSession,
    *,
    max_uses: int = 1,
    expires_in: timedelta | None = None,
    note: str = "",
    created_by: uuid.UUID | None = None,
) -> NewInvite:
    if max_uses < 1:
        raise InvalidRequest("an invite must allow at least one use")
    code = f"inv_{secrets.token_urlsafe(18)}"
    invite = Invite(
        code_hash=hash_code(code),
        code_prefix=code[:PREFIX_LENGTH],
        note=note,
        max_uses=max_uses,
        expires_at=utcnow() + expires_in if expires_in else None,
        created_by=created_by,
    )
    await InviteRepository(session).add(invite)
    return NewInvite(invite, code)


async def list_recent(session: AsyncSession, limit: int, offset: int) -> Sequence[Invite]:
    return await InviteRepository(session).list_recent(limit, offset)


async def revoke(session: AsyncSession, invite_id: uuid.UUID) -> None:
    repository = InviteRepository(session)
    invite = await repository.get(invite_id)
    if invite is None:
        raise NotFound(f"no invite {invite_id}")
    await repository.delete(invite)


async def redeem(session: AsyncSession, code: str | None) -> None:
    """Spend one use of `code` in the caller's transaction (rolled back if sign-up fails)."""
    if not code or not code.strip():
        raise InviteRequired("sign-up is by invitation: enter the invite code you were given")
    if not await InviteRepository(session).redeem(hash_code(code), utcnow()):
        raise InviteRequired("this invite code is unknown, used up or expired")
