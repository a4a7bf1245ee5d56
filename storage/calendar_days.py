"""The days admins put on the calendar (/sukien them) or took off it (/sukien xoa).

Both are rows of `custom_event`: a hidden row (`hidden=True`) names a national, pack or
document day that the agency does not want to see (see docs/decisions.md). Every calendar use
reads them, so `admin_days` gets both kinds in one query.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CustomEvent


async def admin_days(session: AsyncSession) -> tuple[list[CustomEvent], list[CustomEvent]]:
    """The days admins added (to show) and the days they hid, in one query."""
    rows = list(await session.scalars(select(CustomEvent).order_by(CustomEvent.id)))
    return [r for r in rows if not r.hidden], [r for r in rows if r.hidden]


async def custom_events(session: AsyncSession) -> list[CustomEvent]:
    """The days admins added, oldest first; hidden rows are not days to show."""
    return list(
        await session.scalars(
            select(CustomEvent).where(CustomEvent.hidden.is_(False)).order_by(CustomEvent.id)
        )
    )


async def hidden_days(session: AsyncSession) -> list[CustomEvent]:
    """The days admins took off the calendar, oldest first (the numbers of /sukien hien)."""
    return list(
        await session.scalars(
            select(CustomEvent).where(CustomEvent.hidden.is_(True)).order_by(CustomEvent.id)
        )
    )


async def add_custom_event(
    session: AsyncSession,
    *,
    name: str,
    day: int,
    month: int,
    year: int,
    one_off: bool,
    created_by: int | None,
) -> CustomEvent:
    event = CustomEvent(
        name=name, day=day, month=month, year=year, one_off=one_off, created_by=created_by
    )
    session.add(event)
    await session.flush()
    return event


async def hide_day(
    session: AsyncSession, *, name: str, day: int, month: int, year: int, created_by: int | None
) -> CustomEvent:
    """Take a national, pack or document day off the calendar (it stays in the code or the
    document; this row says not to show it)."""
    row = CustomEvent(
        name=name[:300],
        day=day,
        month=month,
        year=year,
        one_off=False,
        hidden=True,
        created_by=created_by,
    )
    session.add(row)
    await session.flush()
    return row


async def delete_day(session: AsyncSession, event_id: int) -> None:
    """Delete an admin's day, or a hidden row (which brings the hidden day back)."""
    await session.execute(delete(CustomEvent).where(CustomEvent.id == event_id))
