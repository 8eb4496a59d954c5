"""SQL for users."""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.models import User

# Built once: the caller lookup runs on every authenticated request, and Session.get builds its
# SELECT anew on each identity-map miss (a third of the lookup's CPU).
_BY_ID = select(User).where(User.id == bindparam("user_id"))


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email.lower()))

    async def set_locale(self, user_id: uuid.UUID, locale: str | None) -> User | None:
        user = await self.session.get(User, user_id)
        if user is not None:
            user.locale = locale
            await self.session.flush()
        return user

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self.session.scalar(_BY_ID, {"user_id": user_id})

    async def delete(self, user: User) -> None:
        # The database cascades to rooms, images, records, pins, favourites and the balance.
        await self.session.delete(user)
        await self.session.flush()
