"""The database handle: engine, sessions, SQLite pragmas and migrations on start."""

from __future__ import annotations

import asyncio
import fcntl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO, Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

MIGRATIONS = "storage:migrations"
LOCK_KEY = 0x7468_6964  # "thid": the advisory lock of start-up work on PostgreSQL


def _lock_file(path: Path) -> IO[bytes]:
    """Open and exclusively lock `path`, waiting for another process to release it."""
    handle = path.open("a+b")
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers work while the bot writes; foreign keys are off by default in SQLite."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_engine(url: str) -> AsyncEngine:
    engine = create_async_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


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
        self.engine = create_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

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

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work is committed as a whole, or rolled back on any error."""
        async with self.sessions() as session, session.begin():
            yield session

    async def close(self) -> None:
        await self.engine.dispose()
