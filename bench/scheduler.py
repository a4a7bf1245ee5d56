"""Benchmark: what a scheduler tick costs when nothing is due and when everything is.

    python bench/scheduler.py [--database postgresql+asyncpg://…] [--ticks 200]

For 500 and 5,000 members (each with a private chat, none pledged, 20 linked groups), on the
first day of the nudge window at 08:00, it times:

- "everything due": the production of that moment (a nudge for every member, the day's
  notices), as the first tick of the day does it;
- "old tick": what every one-second tick cost before the scheduler kept marks (every producer
  re-run, every nudge re-inserted against its dedupe key), run once here as the baseline;
- "idle tick": a tick with nothing due (the median of --ticks ticks), and the statements it
  sends;
- the idle tick on an empty database (no members), in the same run: the goal is an idle tick
  that does not grow with the members, under 5 ms.

SQLite in a temporary folder; PostgreSQL as well with --database or BOT_TEST_DATABASE_URL (its
schema is dropped and made again: give an empty database).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, insert, text, update

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # bench/telegram.py must not hide the `telegram` package

from bot.app import App, open_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.scheduler import NUDGE_HOUR, Scheduler  # noqa: E402
from storage import campaigns, notices, outbox  # noqa: E402
from storage.models import Account, Chat, Membership, Outbox, Person, Unit  # noqa: E402

SIZES = (500, 5_000)
GROUPS = 20


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def fresh(url: str) -> None:
    """An empty database: the SQLite file removed, or PostgreSQL's schema made again."""
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(url.split("///", 1)[1] + suffix).unlink(missing_ok=True)
    if url.startswith("postgresql"):
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()


async def build(app: App, members: int) -> datetime:
    """Members with private chats, linked groups, and the campaign's deadline a week ahead;
    returns 08:00 on the first day of the nudge window."""
    zone = app.services.zone
    async with app.db.transaction() as session:
        row = (await campaigns.campaigns(session))[0]  # the bundled demo
        first_day = date(row.year, 3, 24)  # the campaign is on for its year
        row.registration_deadline = first_day + timedelta(days=7)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    units = [{"id": u, "code": f"U{u:03}", "name": f"Đơn vị {u}", "kind": "department",
              "created_at": start} for u in range(1, GROUPS + 1)]  # fmt: skip
    people = [{"id": p, "display_name": f"Người {p}", "is_admin": False, "created_at": start}
              for p in range(1, members + 1)]  # fmt: skip
    accounts = [{"person_id": p, "platform": "console", "platform_user_id": f"u{p}",
                 "created_at": start} for p in range(1, members + 1)]  # fmt: skip
    chats = [{"platform": "console", "platform_chat_id": f"u{p}", "kind": "private",
              "active": True, "created_at": start} for p in range(1, members + 1)]  # fmt: skip
    chats += [{"platform": "console", "platform_chat_id": f"g{u}", "kind": "group",
               "unit_id": u, "active": True, "created_at": start}
              for u in range(1, GROUPS + 1)]  # fmt: skip
    memberships = [{"person_id": p, "unit_id": p % GROUPS + 1, "role": "member",
                    "created_at": start} for p in range(1, members + 1)]  # fmt: skip
    async with app.db.engine.begin() as connection:
        for model, rows in ((Unit, units), (Person, people), (Account, accounts),
                            (Chat, chats), (Membership, memberships)):  # fmt: skip
            for chunk in range(0, len(rows), 5_000):
                if rows[chunk : chunk + 5_000]:
                    await connection.execute(insert(model), rows[chunk : chunk + 5_000])
        if app.db.dialect == "postgresql":
            await connection.execute(text("ANALYZE"))
    moment = datetime.combine(first_day, datetime.min.time().replace(hour=NUDGE_HOUR))
    return moment.replace(tzinfo=zone).astimezone(UTC)


async def old_tick(scheduler: Scheduler, now: datetime) -> None:
    """What each tick did before marks: every producer re-run, and a nudge re-inserted for
    every member without a pledge (the dedupe key refusing each)."""
    app = scheduler.app
    await scheduler.produce(now)  # every producer, forced
    async with app.db.transaction() as session:
        row = await app.services.library.current(session, now.astimezone(app.services.zone).date())
        assert row is not None
        targets = await notices.nudge_targets(session, -1)  # "not nudged yet" excludes nobody
        for person_id, chat_id, _language in targets:
            await outbox.enqueue(
                session, chat_id=chat_id, kind="nudge", text="…",
                dedupe_key=notices.nudge_key(row.id, person_id), due_at=now,
            )  # fmt: skip


async def checkpoint(app: App) -> None:
    """Copy SQLite's write-ahead log into the database and empty it. The bot's own commits
    do this (every 1,000 pages); right after thousands of rows were written and with nothing
    written since, readers pay for the full log: 9 ms instead of 1 ms a tick at 5,000 nudges
    on the machine this was written on, until the next write."""
    async with app.db.read() as session:
        connection = await session.connection()
        await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


class Statements:
    def __init__(self, app: App) -> None:
        self.count = 0
        event.listen(app.db.engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: object) -> None:
        self.count += 1


async def measure(url: str, members: int, ticks: int) -> dict[str, float]:
    await fresh(url)
    settings = load_settings(BOT_DATABASE_URL=url, BOT_ADMINS="console:admin")
    clock = Clock(datetime(2025, 1, 1, tzinfo=UTC))
    app = await open_app(settings, clock=clock)
    try:
        now = await build(app, members)
        clock.now = now
        scheduler = Scheduler(app)
        scheduler.swept_at = now + timedelta(days=1)  # housekeeping is not what is measured
        started = time.perf_counter()
        await scheduler.produce(now)  # everything due: the first tick of the nudge day
        produced = time.perf_counter() - started
        scheduler.started = True
        async with app.db.transaction() as session:
            made = len(await outbox.rows(session))
            await session.execute(update(Outbox).values(status="sent", sent_at=now))
        started = time.perf_counter()
        await old_tick(scheduler, now)
        old = time.perf_counter() - started
        if app.db.dialect == "sqlite":  # as SQLite does by itself after the next writes
            await checkpoint(app)
        counter = Statements(app)
        for tick in range(3):  # warm: the first idle ticks after a run may find it due
            await scheduler.tick(now + timedelta(seconds=1 + tick))
        before, spans = counter.count, []
        for tick in range(ticks):
            started = time.perf_counter()
            await scheduler.tick(now + timedelta(seconds=10 + tick))
            spans.append(time.perf_counter() - started)
        idle = statistics.median(spans)  # the median: other work on the machine makes outliers
        statements = (counter.count - before) / ticks
    finally:
        await app.close()
    return {"produced": produced, "made": made, "old": old, "idle": idle, "statements": statements}


def backends(database: str | None, folder: str) -> list[tuple[str, str]]:
    found = [("sqlite", f"sqlite+aiosqlite:///{folder}/bench.db")]
    pg = database or os.environ.get("BOT_TEST_DATABASE_URL")
    if pg:
        found.append(("postgresql", pg))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None, help="a PostgreSQL URL to measure as well")
    parser.add_argument("--ticks", type=int, default=200, help="idle ticks to average")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, url in backends(args.database, folder):
            empty = asyncio.run(measure(url, 0, args.ticks))
            for members in SIZES:
                rows.append((name, members, empty, asyncio.run(measure(url, members, args.ticks))))
    print(
        f"{'database':<11}{'members':>8}{'idle ms':>9}{'stmts':>6}{'empty ms':>9}"
        f"{'idle/empty':>11}{'old tick ms':>12}{'old/idle':>9}{'all due ms':>11}{'rows':>6}"
    )
    worst = 0.0
    for name, members, empty, full in rows:
        worst = max(worst, full["idle"])
        print(
            f"{name:<11}{members:>8,}{full['idle'] * 1000:>9.2f}{full['statements']:>6.1f}"
            f"{empty['idle'] * 1000:>9.2f}{full['idle'] / empty['idle']:>11.2f}"
            f"{full['old'] * 1000:>12.1f}{full['old'] / full['idle']:>9.0f}"
            f"{full['produced'] * 1000:>11.1f}{int(full['made']):>6}"
        )
    print(f"goal: idle tick under 5 ms whatever the members: worst {worst * 1000:.2f} ms "
          f"({'met' if worst < 0.005 else 'NOT met'})")  # fmt: skip
    return 0 if worst < 0.005 else 1


if __name__ == "__main__":
    sys.exit(main())
