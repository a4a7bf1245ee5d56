"""Union and youth activities: putting one on, signing up and withdrawing (with the waitlist
moving up), organisers adding people, cancelling.

Each function checks who acts (`Actor`) and the input, raises `Refused` before writing
anything, and returns what the chat needs to answer and whom to tell: the chat writes the
private notices into the outbox in the same transaction, so they go out if and only if the
change was saved. Sign-ups lock the activity first (storage/activities.py): counted one after
another, the places are never oversold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage import activities as store
from storage.activities import CANCELLED, CONFIRMED, OPEN, WAITLIST, WITHDRAWN
from storage.models import Activity, Person, Signup
from usecases.access import Actor
from usecases.errors import Refused, Who


@dataclass(frozen=True)
class NewActivity:
    name: str
    kind: str
    starts_at: datetime
    place: str | None
    capacity: int | None
    signup_until: datetime | None
    unit_ids: list[int] | None
    """None: everyone."""


def check_new(actor: Actor, new: NewActivity, now: datetime) -> None:
    """Everything that would refuse `create`, for a dialog to say before its last step."""
    if not actor.may_organise:
        raise Refused("activity.not_allowed")
    if not actor.organises_for(new.unit_ids):
        raise Refused("activity.not_your_unit")
    if new.starts_at <= now:
        raise Refused("activity.past")
    if new.signup_until is not None:
        if new.signup_until > new.starts_at:
            raise Refused("activity.deadline_after_start")
        if new.signup_until <= now:
            raise Refused("activity.deadline_past")
    if new.capacity is not None and new.capacity < 1:
        raise Refused("activity.bad_places", {"value": new.capacity})


async def create(
    session: AsyncSession, who: Who, actor: Actor, new: NewActivity, now: datetime
) -> Activity:
    check_new(actor, new, now)
    activity = await store.create(
        session,
        name=new.name,
        kind=new.kind,
        starts_at=new.starts_at,
        place=new.place,
        capacity=new.capacity,
        signup_until=new.signup_until,
        organiser_id=actor.person_id,
        unit_ids=new.unit_ids or [],
        at=now,
    )
    await who.audit(session, "activity.create", str(activity.id), {"name": new.name[:60]})
    return activity


async def open_activity(session: AsyncSession, activity_id: int | None) -> Activity:
    """The activity of that number, or the refusal an unknown number gets."""
    activity = None if activity_id is None else await store.find(session, activity_id)
    if activity is None:
        raise Refused("activity.not_found", {"number": activity_id or ""})
    return activity


@dataclass(frozen=True)
class Standing:
    """Where a person stands after pressing the button."""

    activity: Activity
    status: str
    """confirmed, waitlist or withdrawn."""
    position: int | None = None
    """Their place on the waitlist."""
    promoted: list[int] = field(default_factory=list)
    """People moved up from the waitlist by this change: to be told."""


def deadline_of(activity: Activity) -> datetime:
    return activity.signup_until or activity.starts_at


async def toggle(
    session: AsyncSession, actor: Actor, activity_id: int | None, now: datetime
) -> Standing:
    """One press signs up (or onto the waitlist, past the places), the next withdraws. What
    does not change (the activity exists, whom it is for) is read first; then the activity's
    row is locked and counting and writing are one step for everyone, in as few statements as
    can be (the lock is held until the commit)."""
    found = None if activity_id is None else await store.find(session, activity_id)
    if found is None:
        raise Refused("activity.not_found", {"number": activity_id or ""})
    unit_ids = await store.unit_ids(session, found.id)
    if not actor.may_join(unit_ids):
        raise Refused("activity.not_for_you", {"number": found.id})
    activity = await store.lock(session, found.id)
    assert activity is not None  # an activity is never deleted, only cancelled
    if activity.status == CANCELLED:
        raise Refused("activity.is_cancelled", {"number": activity.id, "name": activity.name})
    signup = await store.signup_of(session, activity.id, actor.person_id)
    if signup is not None and signup.status != WITHDRAWN:
        if now >= activity.starts_at:
            raise Refused("activity.started", {"name": activity.name})
        promoted = await _withdraw(session, activity, signup, now)
        return Standing(activity, WITHDRAWN, promoted=promoted)
    if now >= deadline_of(activity):
        raise Refused("activity.closed", {"name": activity.name})
    status, position = await _take_place(session, activity, actor.person_id, now, None, signup)
    return Standing(activity, status, position)


async def _take_place(
    session: AsyncSession,
    activity: Activity,
    person_id: int,
    now: datetime,
    by: int | None,
    existing: Signup | None,
) -> tuple[str, int | None]:
    """A place, or the back of the waitlist when none is left (the activity is locked)."""
    line = await store.line_of(session, activity.id)
    full = activity.capacity is not None and line.confirmed >= activity.capacity
    await store.add_signup(
        session, activity.id, person_id, WAITLIST if full else CONFIRMED, now,
        existing=existing, after=line.last_queued, added_by=by,
    )  # fmt: skip
    return (WAITLIST, line.waiting + 1) if full else (CONFIRMED, None)


async def _withdraw(
    session: AsyncSession, activity: Activity, signup: Signup, now: datetime
) -> list[int]:
    """Withdraw; a confirmed place freed goes to the first on the waitlist, in this same
    transaction (the activity is locked), who is returned to be told."""
    was = signup.status
    signup.status = WITHDRAWN
    await session.flush()
    if was != CONFIRMED:
        return []
    return await _fill_places(session, activity)


async def _fill_places(session: AsyncSession, activity: Activity) -> list[int]:
    promoted: list[int] = []
    while activity.capacity is None or (
        await store.confirmed_count(session, activity.id) < activity.capacity
    ):
        first = await store.first_waiting(session, activity.id)
        if first is None:
            break
        first.status = CONFIRMED
        await session.flush()
        promoted.append(first.person_id)
    return promoted


@dataclass(frozen=True)
class Added:
    person: Person
    status: str
    """confirmed, waitlist, or "already" (signed up before)."""
    position: int | None = None


async def add_people(
    session: AsyncSession,
    who: Who,
    actor: Actor,
    activity_id: int | None,
    people: Sequence[Person],
    now: datetime,
) -> tuple[Activity, list[Added]]:
    """The organiser (a lead of its units, an admin) signs people up; past the places they
    wait like anyone. Allowed after the sign-up deadline, until the start."""
    activity = None if activity_id is None else await store.lock(session, activity_id)
    if activity is None:
        raise Refused("activity.not_found", {"number": activity_id or ""})
    unit_ids = await store.unit_ids(session, activity.id)
    if not actor.runs_activity(activity.organiser_id, unit_ids):
        raise Refused("activity.not_organiser", {"number": activity.id})
    if activity.status == CANCELLED:
        raise Refused("activity.is_cancelled", {"number": activity.id, "name": activity.name})
    if now >= activity.starts_at:
        raise Refused("activity.started", {"name": activity.name})
    done: list[Added] = []
    for person in people:
        signup = await store.signup_of(session, activity.id, person.id)
        if signup is not None and signup.status != WITHDRAWN:
            position = (
                await store.waitlist_position(session, signup)
                if signup.status == WAITLIST
                else None
            )
            done.append(Added(person, "already", position))
            continue
        status, position = await _take_place(
            session, activity, person.id, now, actor.person_id, signup
        )
        done.append(Added(person, status, position))
    await who.audit(
        session, "activity.add_people", str(activity.id), {"people": [p.id for p in people]}
    )
    return activity, done


@dataclass(frozen=True)
class Cancelled:
    activity: Activity
    told: list[int]
    """Everyone signed up (confirmed and waiting): to be told."""


async def cancel(
    session: AsyncSession, who: Who, actor: Actor, activity_id: int | None, now: datetime
) -> Cancelled:
    activity = None if activity_id is None else await store.lock(session, activity_id)
    if activity is None:
        raise Refused("activity.not_found", {"number": activity_id or ""})
    if not actor.may_cancel_activity(activity.organiser_id):
        raise Refused("activity.not_organiser", {"number": activity.id})
    if activity.status != OPEN:
        raise Refused("activity.is_cancelled", {"number": activity.id, "name": activity.name})
    activity.status = CANCELLED
    activity.cancelled_at = now
    told = await store.people_signed_up(session, activity.id)
    await who.audit(session, "activity.cancel", str(activity.id), {"signed_up": len(told)})
    return Cancelled(activity, told)


async def roster(
    session: AsyncSession, actor: Actor, activity_id: int | None
) -> tuple[Activity, list[store.RosterLine]]:
    activity = await open_activity(session, activity_id)
    unit_ids = await store.unit_ids(session, activity.id)
    if not actor.runs_activity(activity.organiser_id, unit_ids):
        raise Refused("activity.not_organiser", {"number": activity.id})
    return activity, await store.roster(session, activity.id)


__all__ = [
    "CANCELLED",
    "CONFIRMED",
    "OPEN",
    "WAITLIST",
    "WITHDRAWN",
    "Added",
    "Cancelled",
    "NewActivity",
    "Standing",
    "add_people",
    "cancel",
    "check_new",
    "create",
    "deadline_of",
    "open_activity",
    "roster",
    "toggle",
]
