"""records.inputs and records.style: each reference's role and strength, and the style used

Revision ID: d3a1f7c2b9e4
Revises: 0a5dcc6a1fb3
Create Date: 2026-12-03 07:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d3a1f7c2b9e4"
down_revision: str | None = "0a5dcc6a1fb3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs: a null `inputs` means the record predates roles, and reads as its
    # input_image_ids with role `any` at the default strength.
    op.add_column("records", sa.Column("inputs", sa.JSON(), nullable=True))
    op.add_column("records", sa.Column("style", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_column("style")
        batch_op.drop_column("inputs")
