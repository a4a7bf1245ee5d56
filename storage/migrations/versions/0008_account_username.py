"""the @handle of an account (Telegram usernames), to name members by it

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("username", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_account_username"), ["username"])


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_index(batch.f("ix_account_username"))
        batch.drop_column("username")
