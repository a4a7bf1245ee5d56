"""SQLite reads on the event loop (storage/inline_sqlite.py): no worker thread, the same rows
as the writer's engine, writes refused, and a busy database handed back as NeedsWrite rather
than a wait that would stop the loop. Also checks the two details of aiosqlite it relies on."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest
from sqlalchemy import text

from storage.db import Database, NeedsWrite
from storage.inline_sqlite import InlineConnection, inline_creator


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    async with database.transaction() as session:
        await session.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)"))
        await session.execute(text("INSERT INTO note (body) VALUES ('một'), ('hai')"))
    yield database
    await database.close()


def test_aiosqlite_still_has_the_parts_inline_connections_replace() -> None:
    """A new aiosqlite that renamed its queue or its thread start would make InlineConnection
    start threads again (or fail): this says so before a user notices."""
    plain = aiosqlite.Connection(lambda: sqlite3.connect(":memory:"), iter_chunk_size=64)
    assert hasattr(plain._tx, "put_nowait")
    assert isinstance(plain._thread, threading.Thread)
    assert {"_thread", "start"} <= set(aiosqlite.Connection.__await__.__code__.co_names)


async def test_an_inline_connection_reads_without_starting_a_thread(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE t (n INTEGER)")
        setup.execute("INSERT INTO t VALUES (7)")
    before = threading.active_count()
    connection = await inline_creator(str(path))()
    assert isinstance(connection, InlineConnection)
    rows = await connection.execute_fetchall("SELECT n FROM t")
    assert [tuple(row) for row in rows] == [(7,)]
    assert threading.active_count() == before
    assert not connection._thread.is_alive()
    await connection.close()
    with pytest.raises(ValueError, match="no active connection"):
        _ = connection._conn


async def test_an_error_reaches_the_caller_and_the_connection_stays_usable(tmp_path: Path) -> None:
    connection = await inline_creator(str(tmp_path / "e.db"))()
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        await connection.execute("SELECT * FROM missing")
    assert [tuple(row) for row in await connection.execute_fetchall("SELECT 1 + 1")] == [(2,)]
    await connection.close()


async def test_read_sessions_see_what_the_writer_committed(db: Database) -> None:
    async with db.transaction(write=False) as session:
        assert (await session.scalar(text("SELECT count(*) FROM note"))) == 2
    async with db.transaction() as session:
        await session.execute(text("INSERT INTO note (body) VALUES ('ba')"))
    async with db.transaction(write=False) as session:
        bodies = (await session.scalars(text("SELECT body FROM note ORDER BY id"))).all()
    assert bodies == ["một", "hai", "ba"]


async def test_a_read_session_refuses_to_write(db: Database) -> None:
    with pytest.raises(NeedsWrite):
        async with db.transaction(write=False) as session:
            await session.execute(text("INSERT INTO note (body) VALUES ('bốn')"))
    async with db.transaction(write=False) as session:
        assert (await session.scalar(text("SELECT count(*) FROM note"))) == 2


async def test_a_busy_database_turns_a_read_into_a_write_attempt_instead_of_a_wait(
    db: Database, tmp_path: Path
) -> None:
    """Another process holds the file exclusively (a restore, a tool in exclusive locking
    mode): the read gives up after a few milliseconds with NeedsWrite, so the router does the
    work in a write session, which waits in aiosqlite's thread, not on the event loop."""
    await db.close()  # its pooled connections would keep the other from the exclusive lock
    other = sqlite3.connect(tmp_path / "bot.db", isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO note (body) VALUES ('khóa')")
    try:
        with pytest.raises(NeedsWrite, match="busy"):
            async with db.transaction(write=False) as session:
                await session.scalar(text("SELECT count(*) FROM note"))
        # Meanwhile the loop kept running: a write session waits off the loop until released.
        waiting = asyncio.create_task(_count_in_a_write_session(db))
        await asyncio.sleep(0)
        assert not waiting.done()
        other.execute("COMMIT")
        other.execute("PRAGMA locking_mode=NORMAL")
        other.execute("SELECT 1")  # the exclusive lock goes with the next read
    finally:
        other.close()
    assert await waiting == 3


async def _count_in_a_write_session(db: Database) -> int:
    async with db.transaction() as session:
        return int(await session.scalar(text("SELECT count(*) FROM note")) or 0)
