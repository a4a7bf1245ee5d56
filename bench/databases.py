"""The empty database every benchmark starts from, whichever database it is given."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine


async def empty_database(url: str) -> None:
    """Nothing left of an earlier run: on PostgreSQL a new `public` schema, on SQLite the file
    and its companions removed (the bot migrates and seeds it again when it opens it)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(parsed.database + suffix).unlink(missing_ok=True)
        return
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
