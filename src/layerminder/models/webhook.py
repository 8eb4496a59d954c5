"""Webhooks: a user's endpoints told when a record ends, and the log of each delivery."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from layerminder.db.base import Base, CreatedAt, UUIDPrimaryKey


class WebhookEvent(StrEnum):
    record_finished = "record.finished"
    record_failed = "record.failed"
    record_cancelled = "record.cancelled"
    # Sent by "send test event" only; endpoints do not subscribe to it.
    test = "webhook.test"


class DeliveryStatus(StrEnum):
    pending = "pending"  # waiting for its first or next attempt
    succeeded = "succeeded"  # the endpoint answered 2xx
    failed = "failed"  # given up: a day of retries, or an address that is not allowed


class WebhookEndpoint(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "webhook_endpoints"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Kept in clear: every delivery is signed with it (HMAC needs the key itself); shown to
    # the user once, at creation.
    secret: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(200), default="")


class WebhookDelivery(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "webhook_deliveries"
    # One delivery per record outcome and endpoint: ending the same state twice (a job re-run
    # after a crash, a cancel racing the job) notifies once, while a retried record that ends
    # again (a newer version) notifies again. Test events have no record (NULLs never collide).
    __table_args__ = (
        UniqueConstraint(
            "endpoint_id",
            "record_id",
            "event",
            "record_version",
            name="uq_webhook_deliveries_record_outcome",
        ),
    )

    endpoint_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(40))
    # No foreign key: the log outlives a deleted record.
    record_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    # The record's version when it ended (RecordOut.version).
    record_version: Mapped[int | None] = mapped_column(default=None)
    # The exact bytes sent on every attempt (the signature's timestamp is per attempt).
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.pending)
    attempts: Mapped[int] = mapped_column(default=0)
    # When the next attempt is due (pending), pushed forward while one is in flight so the
    # retry sweep does not start a second; null once the delivery has ended.
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    last_status_code: Mapped[int | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    last_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)
