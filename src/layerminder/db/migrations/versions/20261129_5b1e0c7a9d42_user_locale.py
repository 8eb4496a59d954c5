"""users.locale: the studio language a user chose (null: not chosen yet)

Revision ID: 5b1e0c7a9d42
Revises: f2b906bf676f
Create Date: 2026-11-29 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b1e0c7a9d42"
down_revision: str | None = "f2b906bf676f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain nullable ADD COLUMN: SQLite does it in place, without the table copy that a
    # batch-mode CHECK constraint would need (the API validates the value instead).
    op.add_column("users", sa.Column("locale", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("locale")
