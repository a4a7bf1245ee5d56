"""Things a person is told at most once a day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Notice


async def first_today(session: AsyncSession, person_id: int, topic: str, day: date) -> bool:
    """Whether `topic` is still to be told to this person on `day`; records that it is told."""
    row = await session.scalar(
        select(Notice).where(Notice.person_id == person_id, Notice.topic == topic)
    )
    if row is not None and row.day >= day:
        return False
    if row is None:
        session.add(Notice(person_id=person_id, topic=topic, day=day))
    else:
        row.day = day
    await session.flush()
    return True
