"""webhook deliveries carry the record's version: a retried record that ends again is notified
again, while ending the same state twice still notifies once

Revision ID: ba547d7e6409
Revises: d1e5a7c3b902
Create Date: 2026-12-03 08:52:12
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ba547d7e6409"
down_revision: str | None = "d1e5a7c3b902"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("record_version", sa.Integer(), nullable=True))
        batch_op.drop_constraint(
            op.f("uq_webhook_deliveries_endpoint_id_record_id_event"), type_="unique"
        )
        batch_op.create_unique_constraint(
            op.f("uq_webhook_deliveries_record_outcome"),
            ["endpoint_id", "record_id", "event", "record_version"],
        )


def downgrade() -> None:
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_webhook_deliveries_record_outcome"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_webhook_deliveries_endpoint_id_record_id_event"),
            ["endpoint_id", "record_id", "event"],
        )
        batch_op.drop_column("record_version")
