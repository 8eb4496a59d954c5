"""account lifecycle: users.token_version; the ledger outlives a deleted account (user_id SET NULL)

Revision ID: 7a2c9e4b5d18
Revises: c4d8b2e6a913
Create Date: 2026-11-30 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a2c9e4b5d18"
down_revision: str | None = "c4d8b2e6a913"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("token_version", sa.Integer(), server_default="0", nullable=False)
    )
    # SQLite cannot alter a foreign key in place: batch mode copies the table.
    with op.batch_alter_table("credit_transactions", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.Uuid(), nullable=True)
        batch_op.drop_constraint("fk_credit_transactions_user_id_users", type_="foreignkey")
        batch_op.create_foreign_key(
            "fk_credit_transactions_user_id_users",
            "users",
            ["user_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    op.execute("DELETE FROM credit_transactions WHERE user_id IS NULL")
    with op.batch_alter_table("credit_transactions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_credit_transactions_user_id_users", type_="foreignkey")
        batch_op.create_foreign_key(
            "fk_credit_transactions_user_id_users",
            "users",
            ["user_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.alter_column("user_id", existing_type=sa.Uuid(), nullable=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("token_version")
