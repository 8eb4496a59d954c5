"""records.language and records.keywords_display: the story's language and its shown keywords

Revision ID: 1b58e398eb8e
Revises: 3c7d1e2f4a10
Create Date: 2026-11-29 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1b58e398eb8e"
down_revision: str | None = "3c7d1e2f4a10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs: existing records were written in English, and show their keywords as
    # they are (a null keywords_display means the keywords themselves).
    op.add_column(
        "records",
        sa.Column("language", sa.String(length=8), server_default="en", nullable=False),
    )
    op.add_column(
        "records",
        sa.Column("keywords_display", sa.JSON(), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_column("keywords_display")
        batch_op.drop_column("language")
