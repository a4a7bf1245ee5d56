"""Importing units from a CSV (`units import`): checked whole first, then written in short
batches, so a file of 100,000 rows never holds the database (SQLite has one writer) for more
than a batch: people's messages are handled between two batches."""

from __future__ import annotations

from collections.abc import Sequence

from campaign.units import RowError, UnitRow
from storage import audit, units
from storage.db import Database

BATCH = 1000
"""Rows per transaction: a few milliseconds of writing, then others get their turn."""
AUDITED_CODES = 100
"""Codes named in the audit line; a big import is summed up by its count."""


async def problems(db: Database, rows: Sequence[UnitRow]) -> list[RowError]:
    """The rows whose code is already taken (read in batches: a query has a bounded number
    of parameters on both databases)."""
    found: list[RowError] = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        async with db.transaction() as session:
            taken = await units.existing_codes(session, [row.code for row in chunk])
        found += [
            RowError(r.line, "csv.exists", {"code": r.code}) for r in chunk if r.code in taken
        ]
    return found


async def import_units(
    db: Database, rows: Sequence[UnitRow], *, actor: str = "cli", batch: int = BATCH
) -> int:
    """Write rows already checked (`problems` found none), `batch` to a transaction; the
    audit line comes with the last batch. Returns how many were written."""
    written = 0
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        async with db.transaction() as session:
            await units.add_units(session, [(r.code, r.name, r.kind.value) for r in chunk])
            written += len(chunk)
            if written == len(rows):
                codes = [r.code for r in rows[:AUDITED_CODES]]
                await audit.record(
                    session,
                    actor=actor,
                    action="unit.import",
                    detail={"count": len(rows), "codes": codes},
                )
    return written
