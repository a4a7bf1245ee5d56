"""outreach: union and youth activities with sign-ups and contributions, and polls (issue 17)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def _person(column: str, table: str, ondelete: str = "SET NULL") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["person.id"], name=op.f(f"fk_{table}_{column}_person"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("starts_at", WHEN, nullable=False),
        sa.Column("ends_at", WHEN, nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("signup_until", WHEN, nullable=True),
        sa.Column("organiser_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("checkin_code", sa.String(length=16), nullable=True),
        sa.Column("checkin_from", WHEN, nullable=True),
        sa.Column("checkin_until", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("cancelled_at", WHEN, nullable=True),
        _person("organiser_id", "activity"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    op.create_index("ix_activity_upcoming", "activity", ["status", "starts_at"])
    op.create_table(
        "activity_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_unit_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_activity_unit_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_unit")),
        sa.UniqueConstraint("activity_id", "unit_id", name=op.f("uq_activity_unit_activity_id")),
    )
    op.create_index(op.f("ix_activity_unit_unit_id"), "activity_unit", ["unit_id"])
    op.create_table(
        "activity_signup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("queued_at", WHEN, nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.Column("attended_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_signup_activity_id_activity"),
            ondelete="CASCADE",
        ),
        _person("person_id", "activity_signup", "CASCADE"),
        _person("added_by", "activity_signup"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_signup")),
        sa.UniqueConstraint(
            "activity_id", "person_id", name=op.f("uq_activity_signup_activity_id")
        ),
    )
    op.create_index(op.f("ix_activity_signup_person_id"), "activity_signup", ["person_id"])
    op.create_table(
        "contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("items", sa.String(length=500), nullable=True),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_contribution_activity_id_activity"),
            ondelete="CASCADE",
        ),
        _person("person_id", "contribution"),
        _person("confirmed_by", "contribution"),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_contribution_unit_id_unit"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution")),
    )
    op.create_index(op.f("ix_contribution_activity_id"), "contribution", ["activity_id"])
    op.create_table(
        "poll",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("multiple", sa.Boolean(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("closes_at", WHEN, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("closed_at", WHEN, nullable=True),
        _person("created_by", "poll"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll")),
    )
    op.create_index("ix_poll_open", "poll", ["status", "closes_at"])
    op.create_table(
        "poll_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["poll.id"], name=op.f("fk_poll_unit_poll_id_poll"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_poll_unit_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_unit")),
        sa.UniqueConstraint("poll_id", "unit_id", name=op.f("uq_poll_unit_poll_id")),
    )
    op.create_index(op.f("ix_poll_unit_unit_id"), "poll_unit", ["unit_id"])
    op.create_table(
        "poll_option",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["poll.id"], name=op.f("fk_poll_option_poll_id_poll"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_option")),
        sa.UniqueConstraint("poll_id", "position", name=op.f("uq_poll_option_poll_id")),
    )
    op.create_table(
        "poll_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["poll.id"], name=op.f("fk_poll_vote_poll_id_poll"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["poll_option.id"],
            name=op.f("fk_poll_vote_option_id_poll_option"),
            ondelete="CASCADE",
        ),
        _person("person_id", "poll_vote", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_vote")),
        sa.UniqueConstraint("option_id", "person_id", name=op.f("uq_poll_vote_option_id")),
    )
    op.create_index(op.f("ix_poll_vote_poll_id"), "poll_vote", ["poll_id"])


def downgrade() -> None:
    for table in (
        "poll_vote",
        "poll_option",
        "poll_unit",
        "poll",
        "contribution",
        "activity_signup",
        "activity_unit",
        "activity",
    ):
        op.drop_table(table)
