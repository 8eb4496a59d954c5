"""Request and response shapes for webhook endpoints and their deliveries."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from layerminder.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

# The events an endpoint can subscribe to.
RecordEventName = Literal["record.finished", "record.failed", "record.cancelled"]


class WebhookIn(BaseModel):
    url: str = Field(min_length=1, max_length=2000, description="A public http(s) URL")
    events: list[RecordEventName] = Field(min_length=1)
    description: str = Field(default="", max_length=200)


class WebhookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    url: str
    events: list[RecordEventName]
    description: str
    created_at: datetime

    @classmethod
    def from_model(cls, endpoint: WebhookEndpoint) -> WebhookOut:
        return cls.model_validate(endpoint)


class NewWebhookOut(WebhookOut):
    secret: str = Field(
        description="Shown this once: verify each delivery's LayerMinder-Signature with it"
    )


class DeliveryProblem(StrEnum):
    """Why an attempt failed, in words a page can translate. A delivery's `last_error` starts
    with one of these, then ": " and the details for whoever runs the endpoint."""

    answered = "answered"  # the endpoint answered, with a status other than 2xx
    refused = "refused"  # our own check refused the address (private, loopback)
    host_not_found = "host_not_found"  # the host name does not resolve
    tls = "tls"  # the TLS handshake failed (an untrusted or expired certificate)
    timeout = "timeout"  # no answer in time
    connect = "connect"  # the connection was refused or reset
    network = "network"  # any other transport failure


def delivery_problem(last_error: str | None) -> DeliveryProblem | None:
    """The problem a stored `last_error` names (None: none, or one stored before problems)."""
    if not last_error:
        return None
    name = last_error.split(":", 1)[0]
    known = {problem.value for problem in DeliveryProblem}
    return DeliveryProblem(name) if name in known else None


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    event: str
    record_id: uuid.UUID | None
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None = Field(description="The last attempt's problem and its details")
    problem: DeliveryProblem | None = Field(
        default=None, description="Why the last attempt failed, for a page to say in words"
    )
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None

    @classmethod
    def from_model(cls, delivery: WebhookDelivery) -> DeliveryOut:
        out = cls.model_validate(delivery)
        out.problem = delivery_problem(delivery.last_error)
        return out
