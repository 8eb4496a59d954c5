"""design_views: each design's views sheet (front, side, top, three-quarter) and its job

Revision ID: c5d19e7a4b20
Revises: a30c4e1f7b52
Create Date: 2026-12-08 02:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from layerminder.db.base import UTCDateTime

revision: str = "c5d19e7a4b20"
down_revision: str | None = "a30c4e1f7b52"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "design_views",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("provider", sa.String(length=64), nullable=True),
        sa.Column("model", sa.String(length=128), nullable=True),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("views", sa.JSON(), nullable=False),
        sa.Column("score_model", sa.String(length=128), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_design_views_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_design_views_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_design_views")),
    )  # fmt: skip
    op.create_index(
        "ix_design_views_record_position", "design_views", ["record_id", "position"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_design_views_record_position", table_name="design_views")
    op.drop_table("design_views")
