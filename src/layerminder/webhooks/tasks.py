"""Delivery jobs: one attempt per job, retried with exponential backoff by the retry sweep.

A job takes a delivery id, claims the delivery (so the sweep and a re-run never send it twice
at once), makes one signed POST without holding a database transaction, and records the
answer: 2xx ends it; anything else schedules the next attempt until the retry window (a day)
is spent.
"""

from __future__ import annotations

import logging
import ssl
import time
import uuid
from datetime import timedelta
from functools import partial

import httpx

from layerminder import __version__
from layerminder.config import Settings
from layerminder.db.base import utcnow
from layerminder.db.session import unit_of_work
from layerminder.errors import InvalidRequest
from layerminder.jobs.queue import JobHandler
from layerminder.models import DeliveryStatus
from layerminder.runtime import Runtime
from layerminder.security.outbound import HostNotFound, pinned_request
from layerminder.webhooks.repository import WebhookRepository
from layerminder.webhooks.schemas import DeliveryProblem
from layerminder.webhooks.service import DELIVER_WEBHOOK
from layerminder.webhooks.signing import SIGNATURE_HEADER, signature

logger = logging.getLogger(__name__)

ERROR_LIMIT = 500
SWEEP_BATCH = 200


def transport_problem(exc: httpx.HTTPError) -> DeliveryProblem:
    """What kind of failure a transport error is (a TLS one hides inside a ConnectError)."""
    if isinstance(exc, httpx.TimeoutException):
        return DeliveryProblem.timeout
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return DeliveryProblem.tls
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, httpx.ConnectError):
        return DeliveryProblem.tls if "SSL" in str(exc) else DeliveryProblem.connect
    return DeliveryProblem.network


def retry_delay(attempts: int, settings: Settings) -> float:
    """Seconds before the next attempt after `attempts` failed ones: base, 2×base, 4×base…"""
    exponent = min(attempts - 1, 30)
    return float(
        min(
            settings.webhook_retry_base_seconds * 2**exponent,
            settings.webhook_retry_max_delay_seconds,
        )
    )


async def deliver(runtime: Runtime, delivery_id: uuid.UUID) -> None:
    settings = runtime.settings
    log = {"delivery_id": str(delivery_id)}
    now = utcnow()
    # Held for longer than one attempt can take, so the sweep leaves it alone meanwhile.
    hold = timedelta(seconds=settings.webhook_timeout_seconds * 2 + 5)
    async with unit_of_work(runtime.sessionmaker) as session:
        if not await WebhookRepository(session).claim(delivery_id, now, now + hold):
            return  # not due, already ended, or another job has it
    async with runtime.sessionmaker() as session:
        repository = WebhookRepository(session)
        delivery = await repository.delivery(delivery_id)
        endpoint = await repository.endpoint(delivery.endpoint_id) if delivery else None
    if delivery is None or endpoint is None:
        return  # the endpoint was deleted (its deliveries with it)

    status_code: int | None = None
    error: str | None = None
    final_error = False
    try:
        # Checked again at each attempt (DNS may have changed since the URL was registered),
        # and the request goes to the very address that was checked.
        target = await pinned_request(
            endpoint.url, allow_private=settings.webhook_allow_private_addresses
        )
        body = delivery.body.encode()
        timestamp = int(time.time())
        async with httpx.AsyncClient(
            timeout=settings.webhook_timeout_seconds, follow_redirects=False
        ) as client:
            response = await client.post(
                target.url,
                content=body,
                extensions=target.extensions,
                headers={
                    **target.headers,
                    "Content-Type": "application/json",
                    "User-Agent": f"LayerMinder-Webhooks/{__version__}",
                    "LayerMinder-Event": delivery.event,
                    "LayerMinder-Delivery": str(delivery.id),
                    SIGNATURE_HEADER: signature(endpoint.secret, timestamp, body),
                },
            )
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"{DeliveryProblem.answered}: the endpoint answered {status_code}"
    except HostNotFound as exc:
        error, final_error = f"{DeliveryProblem.host_not_found}: {exc.message}", True
    except InvalidRequest as exc:
        error, final_error = f"{DeliveryProblem.refused}: {exc.message}", True
    except httpx.HTTPError as exc:
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        error = f"{transport_problem(exc)}: {detail}"

    attempted = utcnow()
    attempts = delivery.attempts + 1
    values: dict[str, object] = {
        "last_status_code": status_code,
        "last_error": error[:ERROR_LIMIT] if error else None,
        "last_attempt_at": attempted,
    }
    if error is None:
        values.update(status=DeliveryStatus.succeeded, delivered_at=attempted, next_attempt_at=None)
    else:
        next_at = attempted + timedelta(seconds=retry_delay(attempts, settings))
        window_ends = delivery.created_at + timedelta(seconds=settings.webhook_retry_window_seconds)
        if final_error or next_at > window_ends:
            values.update(status=DeliveryStatus.failed, next_attempt_at=None)
        else:
            values.update(next_attempt_at=next_at)
    async with unit_of_work(runtime.sessionmaker) as session:
        await WebhookRepository(session).record_attempt(delivery_id, **values)
    logger.info(
        "webhook delivery attempt %d: %s",
        attempts,
        error or f"delivered ({status_code})",
        extra={**log, "endpoint_id": str(endpoint.id), "event": delivery.event},
    )


async def enqueue_due(runtime: Runtime) -> int:
    """Hand every delivery whose next attempt is due to the queue (the retry sweep)."""
    async with runtime.sessionmaker() as session:
        due = await WebhookRepository(session).due(utcnow(), SWEEP_BATCH)
    for delivery_id in due:
        await runtime.queue.enqueue(DELIVER_WEBHOOK, delivery_id)
    return len(due)


def job_handlers(runtime: Runtime) -> dict[str, JobHandler]:
    return {DELIVER_WEBHOOK: partial(deliver, runtime)}
