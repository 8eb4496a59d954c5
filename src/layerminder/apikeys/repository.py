"""SQL for API keys."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.models import ApiKey


class ApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, key: ApiKey) -> ApiKey:
        self.session.add(key)
        await self.session.flush()
        return key

    async def list_for_user(self, user_id: uuid.UUID) -> Sequence[ApiKey]:
        statement = (
            select(ApiKey).where(ApiKey.user_id == user_id).order_by(ApiKey.created_at.desc())
        )
        return (await self.session.scalars(statement)).all()

    async def count_for_user(self, user_id: uuid.UUID) -> int:
        statement = select(func.count()).select_from(ApiKey).where(ApiKey.user_id == user_id)
        return int(await self.session.scalar(statement) or 0)

    async def get(self, key_id: uuid.UUID) -> ApiKey | None:
        return await self.session.get(ApiKey, key_id)

    async def mark_used(self, key_id: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=at)
        )

    async def get_owned(self, key_id: uuid.UUID, user_id: uuid.UUID) -> ApiKey | None:
        key = await self.session.get(ApiKey, key_id)
        return key if key is not None and key.user_id == user_id else None

    async def delete(self, key: ApiKey) -> None:
        await self.session.delete(key)
        await self.session.flush()
