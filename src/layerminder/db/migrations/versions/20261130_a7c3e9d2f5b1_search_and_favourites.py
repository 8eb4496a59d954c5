"""favourites, and the SQLite full-text index of records (PostgreSQL searches its columns)

Revision ID: a7c3e9d2f5b1
Revises: 64ebe5b17107
Create Date: 2026-11-30 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import layerminder.db.base

revision: str = "a7c3e9d2f5b1"
down_revision: str | None = "64ebe5b17107"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "favourites",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("image_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", layerminder.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["image_id"],
            ["images.id"],
            name=op.f("fk_favourites_image_id_images"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_favourites_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "image_id", name=op.f("pk_favourites")),
    )
    op.create_index(op.f("ix_favourites_image_id"), "favourites", ["image_id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        # One row per record; the repository rewrites it whenever a searchable field changes.
        op.execute(
            "CREATE VIRTUAL TABLE records_fts USING fts5("
            "record_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
        op.execute(
            "INSERT INTO records_fts (record_id, body) SELECT id, "
            "coalesce(title, '') || ' ' || coalesce(name, '') || ' ' || coalesce(story, '') "
            "|| ' ' || coalesce(material, '') || ' ' || coalesce(keywords, '') || ' ' "
            "|| coalesce(keywords_display, '') || ' ' || coalesce(keyword, '') FROM records"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE records_fts")
    op.drop_index(op.f("ix_favourites_image_id"), table_name="favourites")
    op.drop_table("favourites")
