"""records: parent design (refine, region edit) and the edit that made a record

Revision ID: d5e1a7c3b902
Revises: 06e86b2c8ec1
Create Date: 2026-12-03 07:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d5e1a7c3b902"
down_revision: str | None = "06e86b2c8ec1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite cannot add a foreign key to an existing table in place.
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_record_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("parent_position", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("edit", sa.JSON(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_records_parent_record_id"), ["parent_record_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_records_parent_record_id_records"),
            "records",
            ["parent_record_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_records_parent_record_id_records"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_records_parent_record_id"))
        batch_op.drop_column("edit")
        batch_op.drop_column("parent_position")
        batch_op.drop_column("parent_record_id")
