"""SQL for invite codes; a use is counted by one conditional update, so codes never overspend."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.models import Invite


class InviteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, invite: Invite) -> Invite:
        self.session.add(invite)
        await self.session.flush()
        return invite

    async def list_recent(self, limit: int, offset: int) -> Sequence[Invite]:
        statement = select(Invite).order_by(Invite.created_at.desc()).limit(limit).offset(offset)
        return (await self.session.scalars(statement)).all()

    async def get(self, invite_id: uuid.UUID) -> Invite | None:
        return await self.session.get(Invite, invite_id)

    async def delete(self, invite: Invite) -> None:
        await self.session.delete(invite)
        await self.session.flush()

    async def redeem(self, code_hash: str, now: datetime) -> bool:
        """Count one use of a live code; False when unknown, used up or expired."""
        result = await self.session.execute(
            update(Invite)
            .where(
                Invite.code_hash == code_hash,
                Invite.uses < Invite.max_uses,
                or_(Invite.expires_at.is_(None), Invite.expires_at > now),
            )
            .values(uses=Invite.uses + 1)
            .returning(Invite.id)
        )
        return result.scalar_one_or_none() is not None
