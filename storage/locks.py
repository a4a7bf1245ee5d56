"""Locks between processes that share one database: one chat's updates one at a time, and one
leader for the scheduler's producers.

PostgreSQL has advisory locks, which every process of the bot sees whatever machine it runs
on; they are used with two 32-bit keys, a space of our own and a key in it, so they never meet
the start-up lock of storage/db.py (one 64-bit key: the two forms do not overlap).

SQLite is one file on one machine: transactions already run one at a time (BEGIN IMMEDIATE),
and the leader is whoever holds an exclusive lock on a file beside the database (flock: the
kernel releases it when the process dies, however it dies).
"""

from __future__ import annotations

import contextlib
import fcntl
import zlib
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

CHAT_SPACE = 0x6368  # "ch": the first key of the per-chat locks
DOCUMENT_SPACE = 0x646F  # "do": the first key of the per-document locks (imports)
LEADER_SPACE = 0x6C64  # "ld": the first key of the leader locks

KEEPALIVE = (
    "SET tcp_keepalives_idle = 10",
    "SET tcp_keepalives_interval = 5",
    "SET tcp_keepalives_count = 3",
    "SET tcp_user_timeout = 25000",
)
"""On the leader's connection: a leader whose machine vanishes (no FIN, no RST) is noticed by
the server within about 25 s and its lock released, instead of after TCP's two hours."""


async def hold_chat(session: AsyncSession, platform: str, chat_id: str) -> None:
    """Wait for, then hold until this transaction ends, the lock of one chat.

    Two processes handling updates of the same chat run their transactions one after the
    other, so a dialog's steps and the replay check see each other's writes. Different chats
    whose keys collide (a 32-bit hash) merely wait for each other. SQLite: nothing to do, its
    transactions already run one at a time.
    """
    await hold(session, CHAT_SPACE, f"{platform}:{chat_id}")


async def hold(session: AsyncSession, space: int, name: str) -> None:
    """Wait for, then hold until this transaction ends, the lock `name` in `space` (PostgreSQL;
    SQLite's transactions already run one at a time)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:space, hashtext(:name))"),
        {"space": space, "name": name},
    )


class LeaderLock(Protocol):
    """Held by at most one process at a time, released when that process dies."""

    async def take(self) -> bool:
        """Take the lock, or check that it is still ours; False when another process has it."""
        ...

    async def release(self) -> None:
        """Let another process take it (also after `take` failed half-way)."""
        ...


def leader_key(name: str) -> int:
    """A stable positive 32-bit key for a leader's name."""
    return zlib.crc32(name.encode()) & 0x7FFF_FFFF


class AdvisoryLeaderLock:
    """A session-level advisory lock held on a connection of its own (PostgreSQL).

    The lock lives as long as that connection: when the process dies the server closes the
    session and the lock is free at once; each `take` checks in pg_locks that this session
    still holds it, so a leader whose connection broke knows it is no longer leader.
    """

    def __init__(self, engine: AsyncEngine, name: str) -> None:
        self.engine = engine
        self.key = leader_key(name)
        self._connection: AsyncConnection | None = None

    async def take(self) -> bool:
        if self._connection is not None:
            held = await self._connection.scalar(
                text(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                    " AND classid = :space AND objid = :key AND objsubid = 2"
                    " AND pid = pg_backend_pid() AND granted)"
                ),
                {"space": LEADER_SPACE, "key": self.key},
            )
            if held:
                return True
            await self.release()
        connection = await self.engine.connect()
        try:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            taken = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:space, :key)"),
                {"space": LEADER_SPACE, "key": self.key},
            )
        except BaseException:
            await _discard(connection)
            raise
        if not taken:
            await connection.close()  # holds nothing: back to the pool
            return False
        self._connection = connection
        for setting in KEEPALIVE:
            await connection.execute(text(setting))
        return True

    async def release(self) -> None:
        """Close the connection for good (not back to the pool, where it would keep the
        lock): the server frees the lock with the session."""
        connection, self._connection = self._connection, None
        if connection is not None:
            await _discard(connection)


async def _discard(connection: AsyncConnection) -> None:
    with contextlib.suppress(Exception):  # a broken connection is what is being dropped
        await connection.invalidate()
    with contextlib.suppress(Exception):
        await connection.close()


async def holder_pid(engine: AsyncEngine, name: str) -> int | None:
    """The server process (pg_backend_pid) whose session holds the leader lock `name`."""
    async with engine.connect() as connection:
        return await connection.scalar(
            text(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = :space"
                " AND objid = :key AND objsubid = 2 AND granted"
            ),
            {"space": LEADER_SPACE, "key": leader_key(name)},
        )


class FileLeaderLock:
    """An exclusive flock on a file beside the SQLite database. flock locks belong to the
    open file, so two engines of one process exclude each other too."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    async def take(self) -> bool:
        if self._handle is not None:
            return True
        handle = self.path.open("a+b")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # BlockingIOError: another process leads
            handle.close()
            return False
        self._handle = handle
        return True

    async def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()


class AlwaysLeader:
    """An in-memory SQLite database belongs to one process: it always leads."""

    async def take(self) -> bool:
        return True

    async def release(self) -> None:
        return None


def leader_lock(engine: AsyncEngine, name: str) -> LeaderLock:
    """The leader lock `name` for this database."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLeaderLock(engine, name)
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        return FileLeaderLock(Path(f"{database}.{name}.leader"))
    return AlwaysLeader()
