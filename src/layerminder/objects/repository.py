"""SQL for views sheets: adding one, its status changes (conditional, so a re-run job never
moves an ended sheet back), and the latest sheet of a design."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.models import DesignViews


class ViewsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, sheet: DesignViews) -> DesignViews:
        self.session.add(sheet)
        await self.session.flush()
        return sheet

    async def get(self, sheet_id: uuid.UUID) -> DesignViews | None:
        return await self.session.get(DesignViews, sheet_id, populate_existing=True)

    async def latest(self, record_id: uuid.UUID, position: int) -> DesignViews | None:
        return await self.session.scalar(
            select(DesignViews)
            .where(DesignViews.record_id == record_id, DesignViews.position == position)
            .order_by(DesignViews.created_at.desc(), DesignViews.id.desc())
            .limit(1)
        )

    async def move(
        self, sheet_id: uuid.UUID, status: str, *, when: Sequence[str], **values: Any
    ) -> bool:
        """Set `status` (and `values`) only while the sheet is in one of `when`."""
        result = await self.session.execute(
            update(DesignViews)
            .where(DesignViews.id == sheet_id, DesignViews.status.in_(list(when)))
            .values(status=status, version=DesignViews.version + 1, **values)
            .returning(DesignViews.id)
        )
        return result.scalar_one_or_none() is not None

    async def unfinished(self, statuses: Sequence[str], before: datetime) -> list[uuid.UUID]:
        """Sheets still open that were last changed before `before` (their job died)."""
        rows = await self.session.scalars(
            select(DesignViews.id).where(
                DesignViews.status.in_(list(statuses)), DesignViews.updated_at < before
            )
        )
        return list(rows)
