"""Benchmark: the outreach figures of every unit for a year (storage/outreach_report.py).

    python bench/outreach.py [--units 50] [--members 100] [--activities 300] [--database URL]

Builds a department (default 50 units × 100 members, 300 activities of the year, a third
for everyone, 40 sign-ups each, two thirds of them present, and contributions to the
collections), then times `per_unit` for the year and counts its queries, also at a tenth of the
activities, to show the count does not grow. SQLite by default; any async URL with --database
(use an empty database: its tables are created and filled).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from bench.databases import empty_database  # noqa: E402
from campaign.outreach import per_unit  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import (  # noqa: E402
    Activity,
    ActivityUnit,
    Contribution,
    Membership,
    Person,
    Signup,
    Unit,
)
from storage.outreach_report import activity_rows  # noqa: E402

YEAR = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


async def build(db: Database, units: int, members: int, activities: int) -> None:
    rng = random.Random(17)
    start = YEAR[0]
    people = units * members
    async with db.transaction() as session:
        await session.execute(insert(Unit), [
            {"id": u, "code": f"U{u}", "name": f"Unit {u}", "kind": "department"}
            for u in range(1, units + 1)
        ])  # fmt: skip
        await session.execute(insert(Person), [
            {"id": p, "display_name": f"Person {p}", "created_at": start}
            for p in range(1, people + 1)
        ])  # fmt: skip
        await session.execute(insert(Membership), [
            {"person_id": p, "unit_id": (p - 1) // members + 1, "role": "member",
             "created_at": start}
            for p in range(1, people + 1)
        ])  # fmt: skip
        rows, audience, signups, gifts = [], [], [], []
        for a in range(1, activities + 1):
            when = start + timedelta(days=rng.randrange(360), hours=1)
            kind = "quyen_gop" if a % 5 == 0 else "hien_mau"
            rows.append({"id": a, "name": f"A{a}", "kind": kind, "starts_at": when,
                         "status": "cancelled" if a % 17 == 0 else "open",
                         "created_at": start})  # fmt: skip
            if a % 3:
                for u in rng.sample(range(1, units + 1), rng.randint(1, 3)):
                    audience.append({"activity_id": a, "unit_id": u})
            for p in rng.sample(range(1, people + 1), 40):
                signups.append({"activity_id": a, "person_id": p, "status": "confirmed",
                                "queued_at": start, "created_at": start,
                                "attended_at": when if rng.random() < 0.67 else None})  # fmt: skip
            if kind == "quyen_gop":
                for _ in range(20):
                    gifts.append({"activity_id": a, "unit_id": rng.randint(1, units),
                                  "amount": rng.randint(1, 50) * 100_000, "created_at": when,
                                  "confirmed_at": when})  # fmt: skip
        await session.execute(insert(Activity), rows)
        if audience:
            await session.execute(insert(ActivityUnit), audience)
        await session.execute(insert(Signup), signups)
        if gifts:
            await session.execute(insert(Contribution), gifts)


async def measure(url: str, units: int, members: int, activities: int) -> tuple[float, int]:
    await empty_database(url)
    db = Database(url)
    await db.upgrade()
    await build(db, units, members, activities)
    best, queries = float("inf"), 0
    for _ in range(3):
        async with db.transaction() as session:
            with db.statements() as sent:
                started = time.perf_counter()
                figures = per_unit(await activity_rows(session, *YEAR, None), YEAR[1])
                best = min(best, time.perf_counter() - started)
            queries = len([s for s in sent if s.upper().startswith("SELECT")])
    assert len(figures) == units
    await db.close()
    return best, queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--activities", type=int, default=300)
    parser.add_argument("--database", default=None, help="async URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        small = asyncio.run(measure(args.database or f"sqlite+aiosqlite:///{folder}/s.db",
                                    args.units, args.members, args.activities // 10))  # fmt: skip
        full = asyncio.run(measure(args.database or f"sqlite+aiosqlite:///{folder}/f.db",
                                   args.units, args.members, args.activities))  # fmt: skip
    print(f"{args.units} units × {args.members} members, {args.activities} activities, "
          f"{args.activities * 40:,} sign-ups")  # fmt: skip
    tenth = f"at {args.activities // 10} activities: {small[0] * 1000:.1f} ms, {small[1]} queries"
    print(f"per_unit for a year: {full[0] * 1000:.1f} ms, {full[1]} queries ({tenth})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
