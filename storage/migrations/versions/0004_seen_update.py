"""updates already handled, to ignore replays

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seen_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("update_key", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seen_update")),
        sa.UniqueConstraint("platform", "update_key", name=op.f("uq_seen_update_platform")),
    )
    op.create_index(op.f("ix_seen_update_seen_at"), "seen_update", ["seen_at"])


def downgrade() -> None:
    op.drop_table("seen_update")
