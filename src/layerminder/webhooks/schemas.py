"""Request and response shapes for webhook endpoints and their deliveries."""

from __future__ import annotations

import uuid
from datetime import datetime
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


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    event: str
    record_id: uuid.UUID | None
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None

    @classmethod
    def from_model(cls, delivery: WebhookDelivery) -> DeliveryOut:
        return cls.model_validate(delivery)
