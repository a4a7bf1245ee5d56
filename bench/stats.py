"""Benchmark: the standing of a whole department, grouped queries against one query per person.

    python bench/stats.py [--units 50] [--members 100] [--updates 12] [--database URL]

Builds a department (default 50 units × 100 members, 12 progress updates each, ratings for
most), then times the figures `stats --json` prints for all units, and in the same run a
naive baseline that asks the database about each person in turn. It prints both, their ratio,
and the number of queries each made, also at a tenth of the size, to show the bot's count
does not grow with the department. SQLite by default; any async URL with --database (use an
empty database: its tables are created and filled).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on the import path, and bench/telegram.py would hide
# the `telegram` package: the project root takes its place.
sys.path[0] = str(ROOT)

from bench.databases import empty_database  # noqa: E402
from bot.app import seed_default_campaign  # noqa: E402
from campaign.ratings import Rating  # noqa: E402
from campaign.standing import DEFAULT_TARGETS, Tally  # noqa: E402
from storage import campaigns  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import (  # noqa: E402
    Assessment,
    Commitment,
    Membership,
    Person,
    Pledge,
    ProgressUpdate,
    Unit,
)
from usecases.standing import When, compute, stats_json  # noqa: E402


async def build(db: Database, units: int, members: int, updates: int) -> int:
    """Fill the database; returns the campaign id."""
    rng = random.Random(7)
    async with db.transaction() as session:
        row = (await campaigns.campaigns(session))[0]  # the bundled demo, seeded on start
        assert row is not None
        campaign_id = row.id
    start = datetime(2025, 2, 1, tzinfo=UTC)
    people = range(1, units * members + 1)
    unit_rows = [
        {
            "id": u,
            "code": f"U{u:03}",
            "name": f"Đơn vị {u}",
            "kind": "department",
            "created_at": start,
        }
        for u in range(1, units + 1)
    ]
    person_rows = [
        {"id": p, "display_name": f"Người {p}", "is_admin": False, "created_at": start}
        for p in people
    ]
    membership_rows = [
        {"person_id": p, "unit_id": (p - 1) // members + 1, "role": "member", "created_at": start}
        for p in people
    ]
    pledged = [p for p in people if rng.random() < 0.9]
    updates_rows, latest = [], {}
    for p in pledged:
        value = 0
        for k in range(updates):
            value = min(100, value + rng.randint(0, 12))
            updates_rows.append(
                {
                    "pledge_id": p,
                    "percent": value,
                    "created_at": start + timedelta(days=20 * k),
                }
            )
        latest[p] = value if updates else None
    pledge_rows = [
        {
            "id": p,
            "person_id": p,
            "campaign_id": campaign_id,
            "title": "ldtt",
            "late": False,
            "progress": latest[p],
            "created_at": start,
            "updated_at": start,
        }
        for p in pledged
    ]
    commitment_rows = [
        {"pledge_id": p, "position": n, "text": f"Cam kết {n}"} for p in pledged for n in (1, 2)
    ]
    ratings = [r.value for r in Rating]
    assessment_rows = [
        {
            "person_id": p,
            "campaign_id": campaign_id,
            "self_rating": rng.choices(ratings, weights=[8, 80, 10, 2])[0],
            "final_rating": rng.choice([None, None, "good"]),
        }
        for p in people
        if rng.random() < 0.8
    ]
    async with db.engine.begin() as connection:
        for model, rows in (
            (Unit, unit_rows),
            (Person, person_rows),
            (Membership, membership_rows),
            (Pledge, pledge_rows),
            (Commitment, commitment_rows),
            (ProgressUpdate, updates_rows),
            (Assessment, assessment_rows),
        ):
            for chunk in range(0, len(rows), 10_000):
                await connection.execute(insert(model), rows[chunk : chunk + 10_000])
    return campaign_id


async def naive(db: Database, campaign_id: int) -> dict:
    """The obvious way: for each member, ask for their pledge, latest progress and rating."""
    async with db.transaction() as session:
        tallies: dict[int, Tally] = {}
        units = (await session.execute(select(Unit.id, Unit.code))).all()
        for unit_id, _code in units:
            tally = tallies.setdefault(unit_id, Tally(members=0))
            people = (
                await session.scalars(
                    select(Membership.person_id).where(Membership.unit_id == unit_id)
                )
            ).all()
            for person_id in people:
                tally.members += 1
                pledge = await session.scalar(
                    select(Pledge.id).where(
                        Pledge.person_id == person_id, Pledge.campaign_id == campaign_id
                    )
                )
                if pledge is not None:
                    tally.pledged += 1
                    tally.progress_count += 1
                    latest = await session.scalar(
                        select(ProgressUpdate.percent)
                        .where(ProgressUpdate.pledge_id == pledge)
                        .order_by(ProgressUpdate.id.desc())
                        .limit(1)
                    )
                    tally.progress_sum += latest or 0
                found = await session.execute(
                    select(Assessment.final_rating, Assessment.self_rating).where(
                        Assessment.person_id == person_id, Assessment.campaign_id == campaign_id
                    )
                )
                for final, own in found.all():
                    for code, counts in ((final, tally.ratings), (own, tally.self_ratings)):
                        if code:
                            counts[Rating(code)] = counts.get(Rating(code), 0) + 1
    return {
        unit_id: (t.members, t.pledged, round(t.progress_average or 0, 1))
        for unit_id, t in tallies.items()
    }


async def bot_figures(db: Database) -> dict:
    async with db.transaction() as session:
        row = (await campaigns.campaigns(session))[0]  # the bundled demo, seeded on start
        assert row is not None
        results = await compute(
            session,
            row,
            DEFAULT_TARGETS,
            None,
            When(datetime.now(UTC), ZoneInfo("Asia/Ho_Chi_Minh")),
        )
    return stats_json(results)


class QueryCounter:
    """Statements sent so far, for as long as the database is open."""

    def __init__(self, db: Database) -> None:
        self._seen = db.statements().__enter__()  # left open: the benchmark's whole life

    @property
    def count(self) -> int:
        return len(self._seen)


T = TypeVar("T")


async def timed(
    coroutine_factory: Callable[[], Awaitable[T]], counter: QueryCounter, repeat: int = 1
) -> tuple[float, T, int]:
    assert repeat >= 1
    best, queries = float("inf"), 0
    for _ in range(repeat):
        before = counter.count
        started = time.perf_counter()
        result = await coroutine_factory()
        best = min(best, time.perf_counter() - started)
        queries = counter.count - before
    return best, result, queries


async def measure(url: str, units: int, members: int, updates: int, baseline: bool) -> dict:
    await empty_database(url)
    db = Database(url)
    await db.upgrade()
    await seed_default_campaign(db)
    campaign_id = await build(db, units, members, updates)
    if db.dialect == "postgresql":
        async with db.engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
    counter = QueryCounter(db)
    bot_time, figures, bot_queries = await timed(lambda: bot_figures(db), counter, repeat=3)
    outcome = {"bot_time": bot_time, "bot_queries": bot_queries, "figures": figures}
    if baseline:
        naive_time, naive_result, naive_queries = await timed(
            lambda: naive(db, campaign_id), counter
        )
        outcome.update(naive_time=naive_time, naive_queries=naive_queries)
        bot_units = {
            i + 1: (u["members"], u["pledged"], u["progress_avg"])
            for i, u in enumerate(figures["units"])
        }
        assert bot_units == naive_result, "the two ways disagree"
    await db.close()
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--updates", type=int, default=12)
    parser.add_argument("--database", default=None, help="async URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:

        def url(name: str) -> str:
            return args.database or f"sqlite+aiosqlite:///{folder}/{name}.db"

        small = asyncio.run(
            measure(url("small"), args.units, max(1, args.members // 10), args.updates, False)
        )
        full = asyncio.run(measure(url("full"), args.units, args.members, args.updates, True))
    people = args.units * args.members
    print(
        f"department: {args.units} units, {people:,} members, {args.updates} updates each "
        f"({Database(url('x')).dialect if not args.database else args.database.split(':')[0]})"
    )
    print(f"{'way':<28} {'seconds':>8} {'queries':>8}")
    print(f"{'bot (grouped queries)':<28} {full['bot_time']:>8.3f} {full['bot_queries']:>8}")
    print(f"{'baseline (per person)':<28} {full['naive_time']:>8.3f} {full['naive_queries']:>8}")
    print(
        f"ratio baseline/bot: ×{full['naive_time'] / full['bot_time']:.1f} faster; "
        f"queries at {people // 10:,} members: {small['bot_queries']}, "
        f"at {people:,}: {full['bot_queries']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
