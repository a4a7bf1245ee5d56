"""Alembic environment. The bot runs migrations itself on an open connection (storage.db);
the `alembic` command line uses BOT_DATABASE_URL for developers writing new revisions."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from storage.db import create_engine
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def _online_from_url() -> None:
    url = os.environ.get("BOT_DATABASE_URL", "sqlite+aiosqlite:///thidua.db")
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(_online_from_url())
