"""identity version: one counter every change of who someone is, or where, moves

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04

The router caches accounts, people, memberships, units and chats between messages and checks
this counter with the dialog in one statement. Triggers (not application code) move it, so a
write from any process or code path (the CLI, a bulk DELETE, a merge) cannot be forgotten.
Inserts into person, account and chat cannot make a cached entry stale (a cache holds only
rows that existed); a new membership can.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLES = ("membership", "person", "account", "unit", "chat")


def _events(table: str) -> tuple[str, ...]:
    return ("INSERT", "UPDATE", "DELETE") if table == "membership" else ("UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "identity_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_version")),
    )
    op.execute("INSERT INTO identity_version (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION bump_identity_version() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN UPDATE identity_version SET version = version + 1 WHERE id = 1; "
            "RETURN NULL; END $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_identity_version AFTER {' OR '.join(_events(table))} "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_identity_version()"
            )
        return
    for table in TABLES:
        for what in _events(table):
            op.execute(
                f"CREATE TRIGGER {table}_{what.lower()}_identity_version AFTER {what} ON {table} "
                "BEGIN UPDATE identity_version SET version = version + 1 WHERE id = 1; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_identity_version ON {table}")
        op.execute("DROP FUNCTION bump_identity_version()")
    else:
        for table in TABLES:
            for what in _events(table):
                op.execute(f"DROP TRIGGER {table}_{what.lower()}_identity_version")
    op.drop_table("identity_version")
