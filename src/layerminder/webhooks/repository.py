"""SQL for webhook endpoints and deliveries; an attempt is claimed by one conditional update."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint


class WebhookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: WebhookEndpoint | WebhookDelivery) -> None:
        self.session.add(row)
        await self.session.flush()

    async def endpoints_of(self, user_id: uuid.UUID) -> Sequence[WebhookEndpoint]:
        statement = (
            select(WebhookEndpoint)
            .where(WebhookEndpoint.user_id == user_id)
            .order_by(WebhookEndpoint.created_at.desc())
        )
        return (await self.session.scalars(statement)).all()

    async def count_endpoints(self, user_id: uuid.UUID) -> int:
        statement = (
            select(func.count())
            .select_from(WebhookEndpoint)
            .where(WebhookEndpoint.user_id == user_id)
        )
        return int(await self.session.scalar(statement) or 0)

    async def endpoint(self, endpoint_id: uuid.UUID) -> WebhookEndpoint | None:
        return await self.session.get(WebhookEndpoint, endpoint_id)

    async def delete(self, endpoint: WebhookEndpoint) -> None:
        await self.session.delete(endpoint)
        await self.session.flush()

    async def delivered_endpoints(
        self, endpoint_ids: Sequence[uuid.UUID], record_id: uuid.UUID, event: str, version: int
    ) -> set[uuid.UUID]:
        """Which of these endpoints already have a delivery of this record's event and version."""
        statement = select(WebhookDelivery.endpoint_id).where(
            WebhookDelivery.endpoint_id.in_(endpoint_ids),
            WebhookDelivery.record_id == record_id,
            WebhookDelivery.event == event,
            WebhookDelivery.record_version == version,
        )
        return set((await self.session.scalars(statement)).all())

    async def deliveries(
        self, endpoint_id: uuid.UUID, limit: int, offset: int
    ) -> Sequence[WebhookDelivery]:
        statement = (
            select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint_id)
            .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id)
            .limit(limit)
            .offset(offset)
        )
        return (await self.session.scalars(statement)).all()

    async def delivery(self, delivery_id: uuid.UUID) -> WebhookDelivery | None:
        return await self.session.get(WebhookDelivery, delivery_id)

    async def claim(self, delivery_id: uuid.UUID, now: datetime, hold_until: datetime) -> bool:
        """Take a due, pending delivery for one attempt (False: not due, ended, or taken)."""
        result = await self.session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.status == DeliveryStatus.pending,
                or_(
                    WebhookDelivery.next_attempt_at.is_(None),
                    WebhookDelivery.next_attempt_at <= now,
                ),
            )
            .values(next_attempt_at=hold_until)
            .returning(WebhookDelivery.id)
        )
        return result.scalar_one_or_none() is not None

    async def record_attempt(self, delivery_id: uuid.UUID, **values: Any) -> None:
        await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id)
            .values(attempts=WebhookDelivery.attempts + 1, **values)
        )

    async def due(self, now: datetime, limit: int) -> Sequence[uuid.UUID]:
        statement = (
            select(WebhookDelivery.id)
            .where(
                WebhookDelivery.status == DeliveryStatus.pending,
                WebhookDelivery.next_attempt_at <= now,
            )
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(limit)
        )
        return (await self.session.scalars(statement)).all()
