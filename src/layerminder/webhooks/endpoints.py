"""Webhook routes: add an endpoint (its secret shown once), list, delete, its delivery log, and
a test event. A login token is required (API keys cannot add places to send data to)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from layerminder.auth.dependencies import SessionUser
from layerminder.deps import PageDep, RuntimeDep, SessionDep
from layerminder.errors import (
    AddressNotAllowed,
    InvalidRequest,
    LoginRequired,
    NotAuthenticated,
    NotFound,
    responses,
)
from layerminder.security.outbound import HostNotFound
from layerminder.webhooks import service
from layerminder.webhooks.schemas import DeliveryOut, NewWebhookOut, WebhookIn, WebhookOut

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=responses(
        NotAuthenticated, LoginRequired, InvalidRequest, AddressNotAllowed, HostNotFound
    ),
)
async def create_webhook(
    body: WebhookIn, user: SessionUser, session: SessionDep, runtime: RuntimeDep
) -> NewWebhookOut:
    """Register a URL for `record.finished`, `record.failed` and/or `record.cancelled`.

    Each delivery is a POST of `{id, type, created_at, record}` signed in the
    `LayerMinder-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">` header with the
    secret returned here, once. Private, loopback and link-local addresses are refused (422).
    """
    endpoint = await service.create_endpoint(
        session, runtime.settings, user, body.url, body.events, body.description
    )
    return NewWebhookOut(**WebhookOut.from_model(endpoint).model_dump(), secret=endpoint.secret)


@router.get("", responses=responses(NotAuthenticated, LoginRequired))
async def list_webhooks(user: SessionUser, session: SessionDep) -> list[WebhookOut]:
    return [WebhookOut.from_model(e) for e in await service.list_endpoints(session, user)]


@router.delete(
    "/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(NotAuthenticated, LoginRequired, NotFound),
)
async def delete_webhook(webhook_id: uuid.UUID, user: SessionUser, session: SessionDep) -> None:
    await service.delete_endpoint(session, user, webhook_id)


@router.get(
    "/{webhook_id}/deliveries", responses=responses(NotAuthenticated, LoginRequired, NotFound)
)
async def list_deliveries(
    webhook_id: uuid.UUID, user: SessionUser, session: SessionDep, page: PageDep
) -> list[DeliveryOut]:
    """The endpoint's delivery log, newest first: status, attempts, the last answer."""
    found = await service.deliveries(session, user, webhook_id, page.limit, page.offset)
    return [DeliveryOut.from_model(d) for d in found]


@router.post(
    "/{webhook_id}/test",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(NotAuthenticated, LoginRequired, NotFound),
)
async def send_test_event(
    webhook_id: uuid.UUID, user: SessionUser, session: SessionDep, runtime: RuntimeDep
) -> DeliveryOut:
    """Queue a `webhook.test` delivery (`record` is null); follow it in the delivery log."""
    delivery = await service.send_test(session, runtime.queue, user, webhook_id)
    return DeliveryOut.from_model(delivery)
