"""The scheduler's failures: one row per failing part (a producer, a reminder, an outbox
row), counted while it keeps failing and deleted when it works again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SchedulerFailure

MAX_ERROR = 500


async def record(session: AsyncSession, source: str, error: str, now: datetime) -> bool:
    """Count one failure of `source`; True when it is new (not failing before)."""
    row = await session.scalar(select(SchedulerFailure).where(SchedulerFailure.source == source))
    if row is not None:
        row.count += 1
        row.error = error[:MAX_ERROR]
        row.last_at = now
        return False
    session.add(
        SchedulerFailure(
            source=source[:100], count=1, error=error[:MAX_ERROR], first_at=now, last_at=now
        )
    )
    await session.flush()
    return True


async def clear(session: AsyncSession, sources: set[str]) -> None:
    """These parts work again."""
    await session.execute(delete(SchedulerFailure).where(SchedulerFailure.source.in_(sources)))


async def current(session: AsyncSession) -> list[SchedulerFailure]:
    """What is failing now, the oldest first."""
    return list(await session.scalars(select(SchedulerFailure).order_by(SchedulerFailure.first_at)))
