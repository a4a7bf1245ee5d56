"""The calendar's days: the coming ones, numbered; adding a day; taking one off; bringing a
hidden one back (`/sukien`, `python -m bot events`).

The numbers are those of the list of today: the order is fixed (campaign.calendar.upcoming),
so event 3 of a list of five is event 3 of a list of thirty too, and removing number 3 removes
exactly the day shown as 3. A day an admin added is deleted; a national, pack or document day
cannot be deleted (it lives in the code or the document), so it is hidden: a row of
custom_event with hidden=True.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from campaign import calendar
from campaign.calendar import Occurrence
from campaign.text import fold
from storage import calendar_days
from storage.models import CustomEvent
from usecases.errors import Refused, Who
from usecases.library import CampaignLibrary

MAX_COUNT = 50
"""The longest numbered list (/sukien 50): a count of events, and so the highest number an
admin removes."""


async def coming(
    session: AsyncSession, library: CampaignLibrary, today: date, count: int
) -> list[Occurrence]:
    """The first `count` events from today: the same list to show and to remove from."""
    observances = await library.observances(session, today)
    return calendar.upcoming(observances, today, limit=count)


async def window(
    session: AsyncSession, library: CampaignLibrary, today: date, start: date, days: int
) -> list[Occurrence]:
    """Every event in `days` days from `start`, on the calendar of today."""
    observances = await library.observances(session, today)
    return calendar.upcoming(observances, start, days=days)


@dataclass(frozen=True)
class Added:
    name: str
    moment: date
    one_off: bool
    """True for a day of this or a later year only; False for a yearly day since its year."""


async def add_event(
    session: AsyncSession, who: Who, today: date, name: str, day: int, month: int, year: int
) -> Added:
    """An admin's day: once when its year is this year or later (not in the past), else
    every year since; refused when the date does not exist or the day is already there."""
    try:
        moment = date(year, month, day)
    except ValueError:
        raise Refused("events.bad_date", {"date": f"{day:02d}/{month:02d}/{year}"}) from None
    one_off = year >= today.year
    if one_off and moment < today:
        raise Refused("events.past", {"date": f"{day:02d}/{month:02d}/{year}"})
    existing = await calendar_days.custom_events(session)
    if any(fold(e.name) == fold(name) and (e.day, e.month) == (day, month) for e in existing):
        raise Refused("events.exists", {"name": name})
    await calendar_days.add_custom_event(
        session,
        name=name,
        day=day,
        month=month,
        year=year,
        one_off=one_off,
        created_by=who.person_id,
    )
    await who.audit(session, "event.add", moment.isoformat())
    return Added(name, moment, one_off)


@dataclass(frozen=True)
class Removed:
    occurrence: Occurrence
    deleted: bool
    """True: an admin's day, deleted; False: a day of the code or a document, hidden."""


async def remove_event(
    session: AsyncSession, library: CampaignLibrary, who: Who, today: date, number: int
) -> Removed:
    """Event `number` (from 1) of today's list off the calendar."""
    occurrences = await coming(session, library, today, number)
    if number > len(occurrences):
        raise Refused("events.remove_range", {"number": number, "limit": len(occurrences)})
    occurrence = occurrences[number - 1]
    observance = occurrence.observance
    if observance.scope == "custom":
        for row in await calendar_days.custom_events(session):
            if _is_row_of(row, observance):
                await calendar_days.delete_day(session, row.id)
        await who.audit(
            session, "event.delete", occurrence.date.isoformat(), {"name": observance.name}
        )
        return Removed(occurrence, deleted=True)
    await calendar_days.hide_day(
        session,
        name=observance.name,
        day=occurrence.date.day,
        month=occurrence.date.month,
        year=observance.first_year or occurrence.date.year,
        created_by=who.person_id,
    )
    await who.audit(
        session,
        "event.hide",
        occurrence.date.isoformat(),
        {"name": observance.name, "scope": observance.scope},
    )
    return Removed(occurrence, deleted=False)


def _is_row_of(row: CustomEvent, observance: calendar.Observance) -> bool:
    """The custom_event row an admin's day was made from (usecases.library.custom_observance)."""
    return (row.name, row.day, row.month, row.year) == (
        observance.name,
        observance.day,
        observance.month,
        observance.first_year,
    )


async def hidden_days(session: AsyncSession) -> list[CustomEvent]:
    """The days taken off the calendar, in the order they are numbered for `restore_event`."""
    return list(await calendar_days.hidden_days(session))


async def restore_event(session: AsyncSession, who: Who, number: int) -> CustomEvent:
    """Hidden day `number` (from 1) back on the calendar; returns the row (now deleted)."""
    rows = await hidden_days(session)
    if not 1 <= number <= len(rows):
        raise Refused("events.restore_usage", {"count": len(rows)})
    row = rows[number - 1]
    await calendar_days.delete_day(session, row.id)
    await who.audit(
        session, "event.restore", f"--{row.month:02d}-{row.day:02d}", {"name": row.name}
    )
    return row
