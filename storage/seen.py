"""Remembering which updates were handled, so a replayed one is answered once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SeenUpdate, utcnow
from storage.rowcount import rowcount


async def first_time(session: AsyncSession, platform: str, key: str) -> bool:
    """Mark the update seen; False when it was seen before (by this or another process)."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    result = await session.execute(
        insert(SeenUpdate)
        .values(platform=platform, update_key=key, seen_at=utcnow())
        .on_conflict_do_nothing(index_elements=["platform", "update_key"])
    )
    return rowcount(result) == 1


async def forget_before(session: AsyncSession, moment: datetime) -> int:
    """Drop marks older than `moment` (platforms stop redelivering after a day or so)."""
    result = await session.execute(delete(SeenUpdate).where(SeenUpdate.seen_at < moment))
    return rowcount(result)
