"""commitments with a stable identity: progress updates refer to the commitment, not its
position; a commitment that leaves a pledge is retired with its history; the overall is no
longer stored per update but recomputed on the pledge from the latest values

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    updates = bind.execute(
        sa.text(
            "SELECT id, pledge_id, commitment_position, percent, note, created_at "
            "FROM progress_update ORDER BY pledge_id, id"
        )
    ).all()
    positions: dict[int, dict[int, int]] = {}
    for commitment_id, pledge_id, position in bind.execute(
        sa.text("SELECT id, pledge_id, position FROM commitment ORDER BY pledge_id, position")
    ).all():
        positions.setdefault(pledge_id, {})[position] = commitment_id

    with op.batch_alter_table("commitment") as batch:
        batch.add_column(sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("progress_update") as batch:
        batch.add_column(sa.Column("commitment_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_progress_update_commitment_id_commitment"),
            "commitment",
            ["commitment_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index(op.f("ix_progress_update_commitment_id"), ["commitment_id"])
        batch.drop_column("commitment_position")
        batch.drop_column("overall")

    # The old rows named a position; an update without one set the overall. Each commitment's
    # latest value is replayed in order: a positional update goes to the commitment now at that
    # position (one no longer there is dropped), an overall one is carried to every commitment
    # whose latest value it was, as a row of its own after the others.
    by_pledge: dict[int, list] = {}
    for row in updates:
        by_pledge.setdefault(row.pledge_id, []).append(row)
    for pledge_id, rows in by_pledge.items():
        commitments = positions.get(pledge_id, {})
        latest: dict[int | None, int] = {}
        carried: dict[int, sa.Row[Any]] = {}
        for row in rows:
            if row.commitment_position is None:
                if not commitments:
                    latest[None] = row.percent
                    continue
                for commitment_id in commitments.values():
                    latest[commitment_id] = row.percent
                    carried[commitment_id] = row
                bind.execute(sa.text("DELETE FROM progress_update WHERE id = :id"), {"id": row.id})
                continue
            commitment_id = commitments.get(row.commitment_position)
            if commitment_id is None:
                bind.execute(sa.text("DELETE FROM progress_update WHERE id = :id"), {"id": row.id})
                continue
            latest[commitment_id] = row.percent
            carried.pop(commitment_id, None)
            bind.execute(
                sa.text("UPDATE progress_update SET commitment_id = :c WHERE id = :id"),
                {"c": commitment_id, "id": row.id},
            )
        for commitment_id, row in carried.items():
            bind.execute(
                sa.text(
                    "INSERT INTO progress_update (pledge_id, commitment_id, percent, note, "
                    "created_at) VALUES (:p, :c, :v, :n, :t)"
                ),
                {"p": pledge_id, "c": commitment_id, "v": row.percent, "n": row.note,
                 "t": row.created_at},
            )  # fmt: skip
        ids = list(commitments.values())
        progress: int | None
        if ids:
            progress = round(sum(latest.get(c, 0) for c in ids) / len(ids))
        else:
            progress = latest.get(None)
        bind.execute(
            sa.text("UPDATE pledge SET progress = :v WHERE id = :id"), {"v": progress, "id": pledge_id}
        )


def downgrade() -> None:
    with op.batch_alter_table("progress_update") as batch:
        batch.add_column(sa.Column("commitment_position", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("overall", sa.Integer(), nullable=False, server_default="0"))
    op.execute(
        "UPDATE progress_update SET commitment_position = (SELECT position FROM commitment "
        "WHERE commitment.id = progress_update.commitment_id), overall = percent"
    )
    op.execute("DELETE FROM commitment WHERE retired_at IS NOT NULL")
    with op.batch_alter_table("progress_update") as batch:
        batch.drop_index(op.f("ix_progress_update_commitment_id"))
        batch.drop_constraint(
            op.f("fk_progress_update_commitment_id_commitment"), type_="foreignkey"
        )
        batch.drop_column("commitment_id")
    with op.batch_alter_table("commitment") as batch:
        batch.drop_column("retired_at")
