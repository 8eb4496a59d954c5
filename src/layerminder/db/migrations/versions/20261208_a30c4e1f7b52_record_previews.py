"""records: whether the images stage shows live previews (a choice with OpenAI: they cost more)

Revision ID: a30c4e1f7b52
Revises: e7b4c2d9a611
Create Date: 2026-12-08 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a30c4e1f7b52"
down_revision: str | None = "e7b4c2d9a611"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previews", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_column("previews")
