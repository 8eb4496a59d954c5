"""records: furniture type and seat height, for the dimension checks

Revision ID: 8e4f2a6b1c37
Revises: 1b58e398eb8e
Create Date: 2026-11-30 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8e4f2a6b1c37"
down_revision: str | None = "1b58e398eb8e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("records", sa.Column("seat_height_cm", sa.Integer(), nullable=True))
    op.add_column("records", sa.Column("furniture_type", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_column("furniture_type")
        batch.drop_column("seat_height_cm")
