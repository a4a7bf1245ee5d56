"""many documents: campaigns with periods (several a year), a library of regulations, the
bundled demo; days an admin hid from the calendar; notices shown to a person once a day

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaign") as batch:
        batch.drop_constraint("uq_campaign_year", type_="unique")
        batch.add_column(
            sa.Column("kind", sa.String(length=32), nullable=False, server_default="ke_hoach")
        )
        batch.add_column(sa.Column("number", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("issued_on", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("library", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("identity", sa.String(length=300), nullable=True))
        batch.create_index(batch.f("ix_campaign_year"), ["year"])
    op.execute("UPDATE campaign SET identity = 'year:' || CAST(year AS VARCHAR)")
    op.execute(
        "UPDATE campaign SET demo = true WHERE source_name = 'phat-dong-thi-dua-2025.txt'"
    )
    with op.batch_alter_table("campaign") as batch:
        batch.alter_column("identity", existing_type=sa.String(length=300), nullable=False)
        batch.create_unique_constraint(batch.f("uq_campaign_identity"), ["identity"])

    with op.batch_alter_table("custom_event") as batch:
        batch.add_column(
            sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_notice_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
        sa.UniqueConstraint("person_id", "topic", name=op.f("uq_notice_person_id")),
    )


def downgrade() -> None:
    op.drop_table("notice")
    with op.batch_alter_table("custom_event") as batch:
        batch.drop_column("hidden")
    with op.batch_alter_table("campaign") as batch:
        batch.drop_constraint(batch.f("uq_campaign_identity"), type_="unique")
        batch.drop_index(batch.f("ix_campaign_year"))
        for column in ("identity", "demo", "library", "issued_on", "number", "kind"):
            batch.drop_column(column)
        batch.create_unique_constraint("uq_campaign_year", ["year"])
