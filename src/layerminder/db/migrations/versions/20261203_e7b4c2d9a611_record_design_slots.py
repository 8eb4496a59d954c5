"""records: per-design status and live preview while the images stage runs

Revision ID: e7b4c2d9a611
Revises: ba547d7e6409
Create Date: 2026-12-03 13:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e7b4c2d9a611"
down_revision: str | None = "ba547d7e6409"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("design_slots", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_column("design_slots")
