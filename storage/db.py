"""The database handle: engine, sessions, SQLite pragmas and migrations on start."""

from __future__ import annotations

import asyncio
import fcntl
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from functools import partial
from pathlib import Path
from typing import IO, Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import inline_sqlite, limits, schedule
from storage.inline_sqlite import inline_creator

MIGRATIONS = "storage:migrations"
LOCK_KEY = 0x7468_6964  # "thid": the advisory lock of start-up work on PostgreSQL


def _lock_file(path: Path) -> IO[bytes]:
    """Open and exclusively lock `path`, waiting for another process to release it."""
    handle = path.open("a+b")
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


BUSY_MS = 10_000
"""How long a write waits for another process's write lock (the CLI, a second bot)."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, busy_ms: int = BUSY_MS) -> None:
    """WAL lets readers work while the bot writes; foreign keys are off by default in SQLite;
    in WAL mode synchronous=NORMAL is safe from corruption and spares an fsync per message."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # Let SQLAlchemy, not the driver, open transactions (see _begin).
    dbapi_connection.isolation_level = None


READ_ONLY = "bot_read_only"
"""Execution option of read sessions (`Database.transaction(write=False)`, `Database.read()`):
a deferred BEGIN on SQLite, and no write may run."""

ONE_READ = "bot_one_read"
"""Execution option of `Database.read()`: not even a BEGIN (a single statement needs none)."""

_READS = ("SELECT", "PRAGMA", "BEGIN")
"""What a read session may run; anything else (even a WITH … DELETE) is refused, safely."""


class NeedsWrite(Exception):
    """A read session could not do its work as a read: it was about to write, or the database
    was busy. Nothing was written; do the work again in a write session.

    Raised before the statement runs, so the read transaction can simply be rolled back."""


def _begin(connection: Connection) -> None:
    """Write sessions take the write lock when they start: a transaction that reads first and
    writes later cannot wait for another writer in SQLite ("database is locked"), one that
    starts with BEGIN IMMEDIATE simply waits its turn. Read sessions start with a deferred
    BEGIN: a snapshot to read from, no lock that a writer would wait for."""
    options = connection.get_execution_options()
    if options.get(ONE_READ):
        return  # each statement reads in its own implicit transaction, beside any writer
    if options.get(READ_ONLY):
        connection.info.pop(NeedsWrite.__name__, None)
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _refuse_writes(
    connection: Connection, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
) -> None:
    """In a read session, any statement but a read stops before it runs (NeedsWrite), whatever
    issued it (a flush, a DELETE, raw SQL); the mark on the connection lets the caller notice
    even if a handler swallowed the exception."""
    if connection.get_execution_options().get(READ_ONLY) and not statement.lstrip()[
        :6
    ].upper().startswith(_READS):
        connection.info[NeedsWrite.__name__] = True
        raise NeedsWrite(statement.split(None, 1)[0])


def create_engine(url: str) -> AsyncEngine:
    engine = create_async_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        _listen(engine, _sqlite_pragmas)
    return engine


def _listen(engine: AsyncEngine, pragmas: Callable[[Any, Any], None]) -> None:
    event.listen(engine.sync_engine, "connect", pragmas)
    event.listen(engine.sync_engine, "begin", _begin)
    event.listen(engine.sync_engine, "before_cursor_execute", _refuse_writes)


def create_read_engine(engine: AsyncEngine) -> AsyncEngine | None:
    """For an SQLite file, an engine whose reads run on the event loop (storage/inline_sqlite)
    and never wait for a busy database; None for any other database."""
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:":
        return None
    reads = create_async_engine(engine.url, async_creator=inline_creator(path))
    _listen(reads, partial(_sqlite_pragmas, busy_ms=inline_sqlite.BUSY_MS))
    return reads


def _busy(error: OperationalError) -> bool:
    return isinstance(error.orig, sqlite3.OperationalError) and "locked" in str(error.orig)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


class Database:
    """One engine and its session factory, created once at start-up and passed to handlers."""

    def __init__(self, url: str) -> None:
        self.url = url
        limits.install()
        schedule.install()
        self.engine = create_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._read_engine = create_read_engine(self.engine)
        read_engine = self._read_engine or self.engine
        self._reads = (
            async_sessionmaker(
                read_engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
            )
            if self.engine.dialect.name == "sqlite"
            else self.sessions
        )
        """SQLite: sessions that read on the event loop, without the writer lock, and refuse
        to write (NeedsWrite). PostgreSQL has no single writer: a read session is an ordinary
        one."""
        self._writer = asyncio.Lock() if self.engine.dialect.name == "sqlite" else None
        """SQLite has one writer at a time: transactions of this process queue here instead of
        spinning in SQLite's busy handler (other processes still wait on busy_timeout)."""

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def upgrade(self, revision: str = "head") -> None:
        """Apply the Alembic migrations up to `revision` (run on every start, idempotent)."""
        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade, revision)

    @asynccontextmanager
    async def startup_lock(self) -> AsyncIterator[None]:
        """Hold off other processes starting on the same database (migrations, seeding).

        Several processes may start at once (a script running `ask` twice in parallel, two bot
        processes behind a load balancer): the first migrates, the others wait and find the
        work done. SQLite: an exclusive lock on a file beside the database; PostgreSQL: a
        session-level advisory lock.
        """
        if self.dialect == "postgresql":
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
                await connection.commit()
                try:
                    yield
                finally:
                    await connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY}
                    )
                    await connection.commit()
            return
        database = self.engine.url.database
        if self.dialect != "sqlite" or not database or database == ":memory:":
            yield
            return
        handle = await asyncio.to_thread(_lock_file, Path(f"{database}.lock"))
        try:
            yield
        finally:
            handle.close()

    @property
    def single_writer(self) -> bool:
        """Whether writes queue on one lock (SQLite), so reading without it is worth a retry."""
        return self._writer is not None

    @asynccontextmanager
    async def transaction(self, *, write: bool = True) -> AsyncIterator[AsyncSession]:
        """A session whose work is committed as a whole, or rolled back on any error.

        `write=False` on SQLite: a deferred transaction outside the writer lock, for work that
        only reads; a write in it raises NeedsWrite before it runs (and ends it), so the
        caller can do the work again with `write=True`. On PostgreSQL both are the same."""
        if self._writer is None or not write:
            try:
                async with self._reads() as session, session.begin():
                    yield session
                    if self._writer is not None:
                        connection = await session.connection()
                        if connection.info.get(NeedsWrite.__name__):
                            raise NeedsWrite("a write was refused and the error swallowed")
            except OperationalError as error:
                if self._writer is None or not _busy(error):
                    raise
                raise NeedsWrite("the database was busy") from error
            return
        async with self._writer, self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for a read of one statement that must not wait for, nor hold up, a
        writer: the scheduler's idle check every second. SQLite: neither this process's writer
        lock nor BEGIN IMMEDIATE (a deferred BEGIN, and writes refused); PostgreSQL:
        autocommit, sparing the round trips of BEGIN and ROLLBACK."""
        options: dict[str, Any] = {READ_ONLY: True, ONE_READ: True}
        if self.dialect == "postgresql":
            options["isolation_level"] = "AUTOCOMMIT"
        async with self.sessions() as session:
            await session.connection(execution_options=options)
            yield session

    @contextmanager
    def statements(self) -> Iterator[list[str]]:
        """The SQL of every statement sent while the block runs, on one line each, from the
        engines of writes and of reads alike: tests and benchmarks count and read them."""
        seen: list[str] = []

        def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
            seen.append(" ".join(statement.split()))

        engines = [e.sync_engine for e in (self.engine, self._read_engine) if e is not None]
        for engine in engines:
            event.listen(engine, "before_cursor_execute", record)
        try:
            yield seen
        finally:
            for engine in engines:
                event.remove(engine, "before_cursor_execute", record)

    async def close(self) -> None:
        if self._read_engine is not None:
            await self._read_engine.dispose()
        await self.engine.dispose()
