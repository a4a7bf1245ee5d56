"""chat topic: the forum topic a group's pushes go to

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05

A unit may be linked to one topic of a Telegram supergroup with topics (`/lienket KT` typed
inside that topic): its announcements, reminders and commemorations then go there instead of
the General topic. NULL keeps the chat's main thread, as before. Plain ADD COLUMN on both
databases: a batch rebuild of `chat` on SQLite would drop the identity-version triggers of
0015, and the cache of chats needs them (a relink moves the version like any chat UPDATE).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("chat", sa.Column("thread_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    op.drop_column("chat", "thread_id")
