"""records: job control (attempt counter and retry key, queue and run times)

Revision ID: d1e5a7c3b902
Revises: d3a1f7c2b9e4
Create Date: 2026-12-03 07:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from layerminder.db.base import UTCDateTime

revision: str = "d1e5a7c3b902"
down_revision: str | None = "d3a1f7c2b9e4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "records", sa.Column("attempt", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("records", sa.Column("retry_key", sa.String(length=200), nullable=True))
    op.add_column("records", sa.Column("queued_at", UTCDateTime(timezone=True), nullable=True))
    op.add_column("records", sa.Column("started_at", UTCDateTime(timezone=True), nullable=True))
    op.add_column("records", sa.Column("finished_at", UTCDateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_records_queue", "records", ["started_at", "finished_at", "queued_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_records_queue", table_name="records")
    with op.batch_alter_table("records") as batch:
        batch.drop_column("finished_at")
        batch.drop_column("started_at")
        batch.drop_column("queued_at")
        batch.drop_column("retry_key")
        batch.drop_column("attempt")
