"""account linking confirmed by the code's owner, and wrong guesses counted

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("account_link_code") as batch:
        batch.add_column(sa.Column("claimed_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            op.f("fk_account_link_code_claimed_by_account"),
            "account",
            ["claimed_by"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "account_link_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_account_link_attempt_person_id_person"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_link_attempt")),
    )
    op.create_index(op.f("ix_account_link_attempt_person_id"), "account_link_attempt", ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_account_link_attempt_person_id"), table_name="account_link_attempt")
    op.drop_table("account_link_attempt")
    with op.batch_alter_table("account_link_code") as batch:
        batch.drop_constraint(op.f("fk_account_link_code_claimed_by_account"), type_="foreignkey")
        batch.drop_column("claimed_at")
        batch.drop_column("claimed_by")
