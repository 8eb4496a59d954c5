"""Webhook rules: endpoints on public URLs only, one delivery per record outcome, sent as jobs.

Nothing here makes an HTTP request: a delivery is a row plus a queued job (webhooks.tasks), so a
slow or dead receiver never holds up a pipeline stage or a request.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from layerminder.config import Settings
from layerminder.db.base import utcnow
from layerminder.db.session import after_commit, reading, unit_of_work
from layerminder.errors import InvalidRequest, NotFound
from layerminder.jobs.queue import JobQueue
from layerminder.models import (
    StageStatus,
    User,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from layerminder.records import service as records
from layerminder.records.schemas import RecordOut
from layerminder.runtime import Runtime
from layerminder.security.outbound import check_public_url
from layerminder.webhooks.repository import WebhookRepository
from layerminder.webhooks.signing import new_secret

logger = logging.getLogger(__name__)

# The queue's name for one delivery attempt (`enqueue(DELIVER_WEBHOOK, delivery_id)`).
DELIVER_WEBHOOK = "deliver_webhook"


async def create_endpoint(
    session: AsyncSession,
    settings: Settings,
    user: User,
    url: str,
    events: Sequence[str],
    description: str = "",
) -> WebhookEndpoint:
    repository = WebhookRepository(session)
    if await repository.count_endpoints(user.id) >= settings.webhook_max_endpoints:
        raise InvalidRequest(
            f"an account has at most {settings.webhook_max_endpoints} webhooks: delete one"
        )
    await check_public_url(url, allow_private=settings.webhook_allow_private_addresses)
    endpoint = WebhookEndpoint(
        user_id=user.id,
        url=url,
        events=sorted({WebhookEvent(e).value for e in events}),
        secret=new_secret(),
        description=description.strip(),
    )
    await repository.add(endpoint)
    return endpoint


async def list_endpoints(session: AsyncSession, user: User) -> Sequence[WebhookEndpoint]:
    return await WebhookRepository(session).endpoints_of(user.id)


async def _owned(session: AsyncSession, user: User, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    endpoint = await WebhookRepository(session).endpoint(endpoint_id)
    if endpoint is None or endpoint.user_id != user.id:
        raise NotFound(f"no webhook {endpoint_id}")
    return endpoint


async def delete_endpoint(session: AsyncSession, user: User, endpoint_id: uuid.UUID) -> None:
    """Delete the endpoint and its log; deliveries still queued find nothing and stop."""
    await WebhookRepository(session).delete(await _owned(session, user, endpoint_id))


async def deliveries(
    session: AsyncSession, user: User, endpoint_id: uuid.UUID, limit: int, offset: int
) -> Sequence[WebhookDelivery]:
    endpoint = await _owned(session, user, endpoint_id)
    return await WebhookRepository(session).deliveries(endpoint.id, limit, offset)


def _body(delivery_id: uuid.UUID, event: WebhookEvent, record: dict[str, Any] | None) -> str:
    payload = {
        "id": str(delivery_id),
        "type": event.value,
        "created_at": utcnow().isoformat(),
        "record": record,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _send_after_commit(
    session: AsyncSession, queue: JobQueue, delivery_ids: list[uuid.UUID]
) -> None:
    async def _enqueue() -> None:
        for delivery_id in delivery_ids:
            await queue.enqueue(DELIVER_WEBHOOK, delivery_id)

    after_commit(session, _enqueue)


async def send_test(
    session: AsyncSession, queue: JobQueue, user: User, endpoint_id: uuid.UUID
) -> WebhookDelivery:
    """A `webhook.test` delivery, sent (and retried, and logged) like any other."""
    endpoint = await _owned(session, user, endpoint_id)
    delivery_id = uuid.uuid4()
    delivery = WebhookDelivery(
        id=delivery_id,
        endpoint_id=endpoint.id,
        event=WebhookEvent.test,
        body=_body(delivery_id, WebhookEvent.test, None),
        next_attempt_at=utcnow(),
    )
    await WebhookRepository(session).add(delivery)
    _send_after_commit(session, queue, [delivery_id])
    return delivery


def outcome(record: RecordOut) -> WebhookEvent | None:
    """How a record ended, from its stages; None while it is still running."""
    statuses = (
        record.image_status,
        record.story_status,
        record.keywords_status,
        record.recommendation_status,
    )
    if record.cancelled:
        return WebhookEvent.record_cancelled
    if any(s == StageStatus.error for s in statuses):
        return WebhookEvent.record_failed if record.done else None
    if all(s == StageStatus.ready for s in statuses):
        return WebhookEvent.record_finished
    return None


async def record_ended(
    runtime: Runtime, record_id: uuid.UUID, event: WebhookEvent | None = None
) -> int:
    """Queue a delivery of the record's final state to each endpoint of its owner that asked
    for this event; returns how many were queued.

    Called wherever a record reaches its final status: the generation job (finished, failed)
    and cancelling (`event=WebhookEvent.record_cancelled`). Safe to call twice: an endpoint gets
    one delivery per record, event and record version (a retried record that ends again is a new
    version, and is delivered again).
    """
    async with reading(runtime.sessionmaker) as session:
        record = await records.get(session, record_id)
        state = await runtime.record_views.current(session, record_id)
        if record is None or state is None:
            return 0
        event = event or outcome(state)
        if event is None:
            return 0
        listening = await WebhookRepository(session).endpoints_of(record.owner_id)
    if not any(event in endpoint.events for endpoint in listening):
        # Most owners have no webhooks: then no write transaction (on SQLite, the one write
        # lock, which every record's end would otherwise take).
        return 0
    snapshot = state.model_dump(mode="json")
    async with unit_of_work(runtime.sessionmaker) as session:
        repository = WebhookRepository(session)
        endpoints = [e for e in await repository.endpoints_of(record.owner_id) if event in e.events]
        if not endpoints:
            return 0
        done = await repository.delivered_endpoints(
            [e.id for e in endpoints], record_id, event, state.version
        )
        queued = []
        for endpoint in endpoints:
            if endpoint.id in done:
                continue
            delivery_id = uuid.uuid4()
            await repository.add(
                WebhookDelivery(
                    id=delivery_id,
                    endpoint_id=endpoint.id,
                    event=event,
                    record_id=record_id,
                    record_version=state.version,
                    body=_body(delivery_id, event, snapshot),
                    next_attempt_at=utcnow(),
                )
            )
            queued.append(delivery_id)
        _send_after_commit(session, runtime.queue, queued)
    logger.info(
        "queued %d webhook deliveries of %s",
        len(queued),
        event.value,
        extra={"record_id": str(record_id), "user_id": str(record.owner_id)},
    )
    return len(queued)
