"""references.title_ko: the title a Korean page shows (null: show the title)

Revision ID: 64ebe5b17107
Revises: 8e4f2a6b1c37
Create Date: 2026-11-30 00:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "64ebe5b17107"
down_revision: str | None = "8e4f2a6b1c37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("references", sa.Column("title_ko", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("references", schema=None) as batch_op:
        batch_op.drop_column("title_ko")
