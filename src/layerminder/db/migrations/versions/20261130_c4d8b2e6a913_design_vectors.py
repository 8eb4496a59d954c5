"""design_vectors: each design's embedding, for "more like this"

Revision ID: c4d8b2e6a913
Revises: a7c3e9d2f5b1
Create Date: 2026-11-30 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4d8b2e6a913"
down_revision: str | None = "a7c3e9d2f5b1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "design_vectors",
        sa.Column("image_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("model_id", sa.String(length=128), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["image_id"],
            ["images.id"],
            name=op.f("fk_design_vectors_image_id_images"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_design_vectors_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_design_vectors_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("image_id", name=op.f("pk_design_vectors")),
    )
    op.create_index(
        "ix_design_vectors_owner_model", "design_vectors", ["owner_id", "model_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_design_vectors_owner_model", table_name="design_vectors")
    op.drop_table("design_vectors")
