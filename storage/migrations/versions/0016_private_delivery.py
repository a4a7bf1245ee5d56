"""private delivery: the platform a person used last, and units a member muted

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05

A push to a unit reaches members who have no group of it on their apps privately, on the
platform they used last (one copy per person); a member may mute one unit's pushes. Plain
ADD COLUMN on both databases: a batch rebuild of these tables on SQLite would drop the
identity-version triggers of 0015.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("person", sa.Column("last_platform", sa.String(length=16), nullable=True))
    op.add_column(
        "membership",
        sa.Column("muted", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("membership", "muted")
    op.drop_column("person", "last_platform")
