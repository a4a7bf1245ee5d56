"""One leader runs the scheduler's producers when several processes share a database; another
takes over when it dies. Each "process" here is an engine of its own on the same database (a
lock of PostgreSQL's or the kernel's, so the engines exclude each other as processes would);
tests/test_processes.py runs real processes."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.app import App
from bot.leader import PRODUCERS, Leader, leader_for
from bot.scheduler import Scheduler
from storage import locks
from storage.db import Database
from tests.conftest import Clock, User, members_of_kt
from tests.fakes.channel import FakeChannel

MONDAY_9 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # Monday 09/03/2026 09:00 in Hà Nội


@pytest.fixture
async def databases(database_url: str) -> AsyncIterator[list[Database]]:
    """Three handles on one database, as three processes would have."""
    opened = [Database(database_url) for _ in range(3)]
    yield opened
    for db in opened:
        await db.close()


async def test_one_leader_at_a_time_and_the_next_takes_over(databases: list[Database]) -> None:
    first, second, third = (leader_for(db) for db in databases)
    assert await first.check() is True
    assert [await second.check(), await third.check()] == [False, False]
    assert await first.check() is True  # checked again: still the leader

    await first.release()  # a leader that stops steps down at once
    taken = [await second.check(), await third.check()]
    assert taken == [True, False]
    assert await first.check() is False  # the new leader keeps it
    await second.release()
    await third.release()


async def test_a_leader_whose_session_dies_is_replaced(
    databases: list[Database], database_url: str
) -> None:
    """What a kill -9 does to the leader's connection: the server ends its session."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's leader lock is a file lock, released by the kernel with its process")
    first, second = leader_for(databases[0]), leader_for(databases[1])
    assert await first.check() is True
    assert await second.check() is False
    pid = await locks.holder_pid(databases[2].engine, PRODUCERS)
    assert pid is not None
    async with databases[2].engine.connect() as connection:
        assert await connection.scalar(
            text("SELECT pg_terminate_backend(:pid, 30000)"), {"pid": pid}
        )  # waits until that session is gone
    assert await second.check() is True
    assert await first.check() is False  # it notices at its next tick
    assert await first.check() is False
    await second.release()
    await first.release()


HOLD = """
import asyncio, sys
from pathlib import Path
from storage.locks import FileLeaderLock
lock = FileLeaderLock(Path(sys.argv[1]))
assert asyncio.run(lock.take())
print("held", flush=True)
sys.stdin.read()
"""


async def test_a_killed_process_leaves_the_sqlite_leader_lock(tmp_path: Path) -> None:
    path = tmp_path / "bot.db.producers.leader"
    root = Path(__file__).resolve().parent.parent
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], cwd=root,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        ours = locks.FileLeaderLock(path)
        assert await ours.take() is False
        holder.kill()  # SIGKILL: no clean-up of its own
        holder.wait(timeout=60)
        assert await ours.take() is True
        await ours.release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


class Blocked:
    """A lock the database cannot answer for: the check fails instead of hanging."""

    async def take(self) -> bool:
        raise ConnectionError("the database is unreachable")

    async def release(self) -> None:
        return None


async def test_a_leader_that_cannot_check_stops_leading() -> None:
    leader = Leader(Blocked())
    leader.leading = True
    assert await leader.check() is False
    assert leader.leading is False


async def test_only_the_leaders_scheduler_produces_and_every_scheduler_dispatches(
    app: App, admin: User, clock: Clock, databases: list[Database]
) -> None:
    clock.now = MONDAY_9
    _, lan = await members_of_kt(app, admin)
    await lan.say("/nhacnho 10h Gọi điện")
    leading, other = leader_for(databases[0]), leader_for(databases[1])
    assert await leading.check() is True
    channels = [FakeChannel(), FakeChannel()]
    follower = Scheduler(app, senders={"console": channels[1]}, should_produce=other.check)
    leader = Scheduler(app, senders={"console": channels[0]}, should_produce=leading.check)
    ten = MONDAY_9 + timedelta(hours=1)

    assert await follower.tick(ten) == 0  # due, but not its to produce
    assert channels[1].delivered == []
    assert await leader.tick(ten) == 1
    assert [text for _, text, _ in channels[0].delivered] == ["🔔 <b>Nhắc việc</b>: Gọi điện"]

    await lan.say("/nhacnho 11h Nộp báo cáo")
    eleven = MONDAY_9 + timedelta(hours=2)
    assert await follower.tick(eleven) == 0
    await leader.produce(eleven)  # the leader makes the row…
    assert await follower.tick(eleven) == 1  # …any process sends it
    assert [text for _, text, _ in channels[1].delivered] == ["🔔 <b>Nhắc việc</b>: Nộp báo cáo"]
    assert len(channels[0].delivered) == 1
    await asyncio.gather(leading.release(), other.release())
