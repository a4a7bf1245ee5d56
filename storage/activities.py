"""Activities and sign-ups: every statement of them (issue 17).

Concurrency. A sign-up, a withdrawal and a move up from the waitlist first lock the
activity's row (`lock`: SELECT … FOR UPDATE on PostgreSQL; SQLite's write transactions are
already one at a time, BEGIN IMMEDIATE), then count and write: a thousand people pressing
"Đăng ký" at once, in as many transactions, are counted one after another, so the places are
never oversold and a person never has two rows (the unique (activity, person) constraint
stands behind it as well).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import exists, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from storage.chats import PRIVATE_CHAT_OF_ACCOUNT
from storage.models import (
    Account,
    Activity,
    ActivityUnit,
    Chat,
    Membership,
    Person,
    Signup,
    Unit,
)

CONFIRMED, WAITLIST, WITHDRAWN = "confirmed", "waitlist", "withdrawn"
OPEN, CANCELLED = "open", "cancelled"


@dataclass(frozen=True)
class Tally:
    confirmed: int = 0
    waitlist: int = 0


async def create(
    session: AsyncSession,
    *,
    name: str,
    kind: str,
    starts_at: datetime,
    place: str | None,
    capacity: int | None,
    signup_until: datetime | None,
    organiser_id: int | None,
    unit_ids: Sequence[int],
    at: datetime,
) -> Activity:
    activity = Activity(
        name=name, kind=kind, starts_at=starts_at, place=place, capacity=capacity,
        signup_until=signup_until, organiser_id=organiser_id, status=OPEN, created_at=at,
    )  # fmt: skip
    session.add(activity)
    await session.flush()
    session.add_all(ActivityUnit(activity_id=activity.id, unit_id=u) for u in sorted(set(unit_ids)))
    await session.flush()
    return activity


async def find(session: AsyncSession, activity_id: int) -> Activity | None:
    return await session.get(Activity, activity_id)


async def lock(session: AsyncSession, activity_id: int) -> Activity | None:
    """The activity, its row locked until the transaction ends (PostgreSQL; SQLite's writer is
    alone already): what sign-ups count and change waits for the one before."""
    return await session.scalar(
        select(Activity)
        .where(Activity.id == activity_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def unit_ids(session: AsyncSession, activity_id: int) -> list[int]:
    """The units it is meant for; empty: everyone."""
    return list(
        await session.scalars(
            select(ActivityUnit.unit_id)
            .where(ActivityUnit.activity_id == activity_id)
            .order_by(ActivityUnit.unit_id)
        )
    )


async def audience_units(
    session: AsyncSession, activity_ids: Sequence[int]
) -> dict[int, list[Unit]]:
    """The units of each activity (none: everyone), by code."""
    rows = await session.execute(
        select(ActivityUnit.activity_id, Unit)
        .join(Unit, Unit.id == ActivityUnit.unit_id)
        .where(ActivityUnit.activity_id.in_(list(activity_ids)))
        .order_by(Unit.code)
    )
    found: dict[int, list[Unit]] = defaultdict(list)
    for activity_id, unit in rows.all():
        found[activity_id].append(unit)
    return found


def _meant_for(unit_ids: Sequence[int]) -> object:
    """Activities for everyone, or for one of these units."""
    anyone = ~exists().where(ActivityUnit.activity_id == Activity.id)
    if not unit_ids:
        return anyone
    theirs = exists().where(
        ActivityUnit.activity_id == Activity.id, ActivityUnit.unit_id.in_(list(unit_ids))
    )
    return anyone | theirs


async def coming(
    session: AsyncSession, now: datetime, unit_ids: Sequence[int] | None, limit: int = 30
) -> list[Activity]:
    """Open activities not started yet, soonest first: those meant for these units or for
    everyone (None: all of them, an admin's view)."""
    query = select(Activity).where(Activity.status == OPEN, Activity.starts_at > now)
    if unit_ids is not None:
        query = query.where(_meant_for(unit_ids))  # type: ignore[arg-type]
    return list(await session.scalars(query.order_by(Activity.starts_at, Activity.id).limit(limit)))


async def tallies(session: AsyncSession, activity_ids: Sequence[int]) -> dict[int, Tally]:
    """Confirmed and waiting sign-ups of each activity."""
    rows = await session.execute(
        select(Signup.activity_id, Signup.status, func.count())
        .where(Signup.activity_id.in_(list(activity_ids)), Signup.status != WITHDRAWN)
        .group_by(Signup.activity_id, Signup.status)
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for activity_id, status, n in rows.all():
        counts[activity_id][status] = int(n)
    return {a: Tally(counts[a].get(CONFIRMED, 0), counts[a].get(WAITLIST, 0)) for a in activity_ids}


async def confirmed_count(session: AsyncSession, activity_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(
                Signup.activity_id == activity_id, Signup.status == CONFIRMED
            )
        )
        or 0
    )


async def signup_of(session: AsyncSession, activity_id: int, person_id: int) -> Signup | None:
    return await session.scalar(
        select(Signup)
        .where(Signup.activity_id == activity_id, Signup.person_id == person_id)
        .execution_options(populate_existing=True)
    )


async def marks(
    session: AsyncSession, person_id: int, activity_ids: Sequence[int]
) -> dict[int, tuple[str, int | None]]:
    """This person's standing in each activity they are signed up for: (status, place in the
    waitlist or None)."""
    mine = list(
        await session.scalars(
            select(Signup).where(
                Signup.person_id == person_id,
                Signup.activity_id.in_(list(activity_ids)),
                Signup.status != WITHDRAWN,
            )
        )
    )
    found: dict[int, tuple[str, int | None]] = {}
    for signup in mine:
        position = await waitlist_position(session, signup) if signup.status == WAITLIST else None
        found[signup.activity_id] = (signup.status, position)
    return found


async def waitlist_position(session: AsyncSession, signup: Signup) -> int:
    """1 for the first in line: the waitlist moves up in (queued_at, id) order."""
    ahead = await session.scalar(
        select(func.count()).where(
            Signup.activity_id == signup.activity_id,
            Signup.status == WAITLIST,
            tuple_(Signup.queued_at, Signup.id) < tuple_(signup.queued_at, signup.id),
        )
    )
    return int(ahead or 0) + 1


async def first_waiting(session: AsyncSession, activity_id: int) -> Signup | None:
    return await session.scalar(
        select(Signup)
        .where(Signup.activity_id == activity_id, Signup.status == WAITLIST)
        .order_by(Signup.queued_at, Signup.id)
        .limit(1)
    )


@dataclass(frozen=True)
class Line:
    """An activity's sign-ups as a new one needs them: one statement, under the lock."""

    confirmed: int
    waiting: int
    last_queued: datetime | None


async def line_of(session: AsyncSession, activity_id: int) -> Line:
    row = (
        await session.execute(
            select(
                func.count().filter(Signup.status == CONFIRMED),
                func.count().filter(Signup.status == WAITLIST),
                func.max(Signup.queued_at),
            ).where(Signup.activity_id == activity_id)
        )
    ).one()
    return Line(int(row[0] or 0), int(row[1] or 0), None if row[2] is None else _aware(row[2]))


async def add_signup(
    session: AsyncSession,
    activity_id: int,
    person_id: int,
    status: str,
    at: datetime,
    *,
    existing: Signup | None,
    after: datetime | None,
    added_by: int | None = None,
) -> Signup:
    """A new sign-up, or `existing` (withdrawn) taken up again, at the back of the line: its
    `queued_at` is after `after` (the activity's latest, read under the lock), even with a
    clock that reads the same twice, so the line's order is strict."""
    if after is not None:
        at = max(at, after + timedelta(microseconds=1))
    signup = existing
    if signup is None:
        signup = Signup(activity_id=activity_id, person_id=person_id, created_at=at)
        session.add(signup)
    signup.status = status
    signup.queued_at = at
    signup.added_by = added_by
    await session.flush()
    return signup


@dataclass(frozen=True)
class RosterLine:
    signup: Signup
    name: str
    units: list[str]


async def roster(session: AsyncSession, activity_id: int) -> list[RosterLine]:
    """Everyone confirmed, then the waitlist, each in the order they signed up."""
    rows = await session.execute(
        select(Signup, Person.display_name)
        .join(Person, Person.id == Signup.person_id)
        .where(Signup.activity_id == activity_id, Signup.status != WITHDRAWN)
        .order_by((Signup.status == WAITLIST), Signup.queued_at, Signup.id)
    )
    found = [(signup, name) for signup, name in rows.all()]
    codes: dict[int, list[str]] = defaultdict(list)
    if found:
        for person_id, code in await session.execute(
            select(Membership.person_id, Unit.code)
            .join(Unit, Unit.id == Membership.unit_id)
            .where(Membership.person_id.in_([s.person_id for s, _ in found]))
            .order_by(Membership.id)
        ):
            codes[person_id].append(code)
    return [RosterLine(s, name or "", codes[s.person_id]) for s, name in found]


async def people_signed_up(
    session: AsyncSession, activity_id: int, statuses: Sequence[str] = (CONFIRMED, WAITLIST)
) -> list[int]:
    return list(
        await session.scalars(
            select(Signup.person_id)
            .where(Signup.activity_id == activity_id, Signup.status.in_(list(statuses)))
            .order_by(Signup.queued_at, Signup.id)
        )
    )


async def private_readers(
    session: AsyncSession, person_ids: Sequence[int]
) -> dict[int, tuple[Chat, str | None]]:
    """Each person's private chat with the bot (on the app they used last, where they have
    one there) and their language; people with none are left out."""
    if not person_ids:
        return {}
    rows = await session.execute(
        select(Account.person_id, Chat, Person.last_platform, Person.language)
        .join(Chat, PRIVATE_CHAT_OF_ACCOUNT)
        .join(Person, Person.id == Account.person_id)
        .where(
            Account.person_id.in_(list(person_ids)),
            Chat.kind == "private",
            Chat.active.is_(True),
        )
        .order_by(Chat.id)
    )
    options: dict[int, list[tuple[Chat, str | None, str | None]]] = defaultdict(list)
    for person_id, chat, last_platform, language in rows.all():
        options[person_id].append((chat, last_platform, language))
    found: dict[int, tuple[Chat, str | None]] = {}
    for person_id, chats in options.items():
        chat, _, language = next((c for c in chats if c[0].platform == c[1]), chats[0])
        found[person_id] = (chat, language)
    return found


async def starting_between(
    session: AsyncSession, after: datetime, until: datetime
) -> list[Activity]:
    """Open activities that start in (after, until]: the ones whose reminders may be due."""
    return list(
        await session.scalars(
            select(Activity)
            .where(Activity.status == OPEN, Activity.starts_at > after, Activity.starts_at <= until)
            .order_by(Activity.starts_at, Activity.id)
        )
    )


async def next_start_after(session: AsyncSession, moment: datetime) -> datetime | None:
    """The start of the first open activity strictly after `moment`."""
    return await session.scalar(
        select(func.min(Activity.starts_at)).where(
            Activity.status == OPEN, Activity.starts_at > moment
        )
    )


def earliest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return min(present) if present else None


async def next_reminder_at(
    session: AsyncSession, now: datetime, before: Sequence[timedelta]
) -> datetime | None:
    """When the next reminder of any activity falls due: for each lead time (a day, an hour),
    the first start more than that lead after now, less the lead."""
    found: list[datetime | None] = []
    for lead in before:
        start = await next_start_after(session, now + lead)
        found.append(None if start is None else _aware(start) - lead)
    return earliest(*found)


def _aware(value: datetime | str) -> datetime:
    if isinstance(value, str):  # min() over SQLite's stored text
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
