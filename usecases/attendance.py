"""Attendance: the organiser opens check-in and shows a code at the venue; members send it
and are marked present; the organiser marks others from the list; the tally says who signed
up, who came and who did not.

Decisions: someone present who had not signed up (a walk-in) gets a confirmed sign-up with
its attendance, so they count as signed up and present; a waitlisted person who came is
marked present and stays on the waitlist (the tally shows them apart); a withdrawn person who
came is confirmed again. A code works from 30 minutes before the start to the end
(campaign/attendance.py); the organiser may mark people from the window's start on, also after
the end, to complete the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.attendance import (
    Attendee,
    Tally,
    checkin_window,
    is_code,
    new_code,
    tally,
    window_problem,
)
from campaign.invites import normalize_code
from storage import attendance
from storage.models import Activity, Person, Signup
from usecases.access import Actor
from usecases.errors import Refused, Who
from usecases.outreach_access import in_audience, may_organise

CODE_TRIES = 20


@dataclass(frozen=True)
class Opened:
    activity: Activity
    code: str
    opens: datetime
    closes: datetime
    again: bool
    """The code was already open: the same one is shown again."""


@dataclass(frozen=True)
class CheckedIn:
    activity: Activity
    at: datetime
    walk_in: bool
    waitlisted: bool


@dataclass(frozen=True)
class Marked:
    activity: Activity
    person: Person
    already: bool


@dataclass(frozen=True)
class Roll:
    activity: Activity
    rows: list[tuple[Signup, Person]]


@dataclass(frozen=True)
class Summary:
    activity: Activity
    tally: Tally
    ended: bool
    absent: list[Person]


async def activity_for(session: AsyncSession, number: int) -> tuple[Activity, list[int]]:
    """Activity `number` and its audience; refused when unknown or cancelled."""
    activity = await attendance.find_activity(session, number)
    if activity is None:
        raise Refused("attendance.unknown_activity", {"number": number})
    if activity.status == "cancelled":
        raise Refused("attendance.cancelled", {"number": number, "name": activity.name})
    return activity, await attendance.audience_of(session, activity.id)


async def _organised(session: AsyncSession, actor: Actor, number: int) -> Activity:
    activity, audience = await activity_for(session, number)
    if not may_organise(actor, activity, audience):
        raise Refused("attendance.not_allowed", {"number": number, "name": activity.name})
    return activity


def window_of(activity: Activity) -> tuple[datetime, datetime]:
    """The check-in window as stored when check-in was opened, else by the rule."""
    if activity.checkin_from is not None and activity.checkin_until is not None:
        return activity.checkin_from, activity.checkin_until
    return checkin_window(activity.starts_at, activity.ends_at)


async def open_checkin(session: AsyncSession, who: Who, actor: Actor, number: int) -> Opened:
    """A code for the venue, valid in the activity's window; asked again, the same code."""
    assert who.at is not None
    activity = await _organised(session, actor, number)
    opens, closes = checkin_window(activity.starts_at, activity.ends_at)
    if who.at > closes:
        raise Refused("checkin.ended", {"number": number, "name": activity.name})
    if activity.checkin_code:
        return Opened(activity, activity.checkin_code, *window_of(activity), again=True)
    for _ in range(CODE_TRIES):
        code = new_code()
        if not await attendance.code_taken(session, code):
            break
    else:  # pragma: no cover - 20 collisions in millions of codes
        raise Refused("error.unexpected")
    activity.checkin_code, activity.checkin_from, activity.checkin_until = code, opens, closes
    await who.audit(session, "checkin.open", str(activity.id), {"code": code})
    return Opened(activity, code, opens, closes, again=False)


async def check_in(
    session: AsyncSession, who: Who, actor: Actor, typed: str, number: int | None = None
) -> CheckedIn:
    """A member sends the code shown at the venue (`number`: the activity they meant)."""
    assert who.at is not None and who.person_id is not None
    code = normalize_code(typed)
    activity = await attendance.by_code(session, code) if is_code(code) else None
    if activity is None:
        raise Refused("checkin.unknown_code", {"code": typed})
    if number is not None and activity.id != number:
        raise Refused("checkin.wrong_activity", {"code": typed, "number": number})
    activity, audience = await activity_for(session, activity.id)
    if not in_audience(actor, audience):
        raise Refused("attendance.not_in_audience", {"name": activity.name})
    opens, closes = window_of(activity)
    if window_problem(who.at, opens, closes) is not None:
        raise Refused("checkin.outside_window", {"name": activity.name, "opens": opens,
                                                 "closes": closes})  # fmt: skip
    signup = await attendance.signup_of(session, activity.id, who.person_id)
    if signup is not None and signup.attended_at is not None:
        raise Refused("checkin.already", {"name": activity.name, "at": signup.attended_at})
    if signup is None:
        await attendance.add_walk_in(session, activity.id, who.person_id, who.at, None)
        return CheckedIn(activity, who.at, walk_in=True, waitlisted=False)
    _attend(signup, who.at)
    return CheckedIn(activity, who.at, walk_in=False, waitlisted=signup.status == "waitlist")


def _attend(signup: Signup, at: datetime) -> None:
    signup.attended_at = at
    if signup.status == "withdrawn":
        signup.status = "confirmed"


async def mark_present(
    session: AsyncSession, who: Who, actor: Actor, number: int, person: Person
) -> Marked:
    """The organiser marks someone present (from the list, or named)."""
    assert who.at is not None
    activity = await _organised(session, actor, number)
    opens, _ = window_of(activity)
    if who.at < opens:
        raise Refused("checkin.too_early", {"name": activity.name, "opens": opens})
    signup = await attendance.signup_of(session, activity.id, person.id)
    if signup is not None and signup.attended_at is not None:
        return Marked(activity, person, already=True)
    if signup is None:
        await attendance.add_walk_in(session, activity.id, person.id, who.at, who.person_id)
    else:
        _attend(signup, who.at)
    await who.audit(session, "checkin.mark", str(activity.id), {"person": person.id})
    return Marked(activity, person, already=False)


async def audience_units(session: AsyncSession, actor: Actor, number: int) -> list[int] | None:
    """Where the organiser looks for a person to mark: the activity's units, None for all."""
    activity, audience = await activity_for(session, number)
    if not may_organise(actor, activity, audience):
        raise Refused("attendance.not_allowed", {"number": number, "name": activity.name})
    return audience or None


async def roll(session: AsyncSession, actor: Actor, number: int) -> Roll:
    """The signed-up list the organiser marks people present from."""
    activity = await _organised(session, actor, number)
    return Roll(activity, await attendance.roll(session, activity.id))


async def attendance_summary(
    session: AsyncSession, actor: Actor, number: int, now: datetime
) -> Summary:
    """Signed up, present, absent (once the activity is over) and the rate, with the names
    of those absent."""
    activity = await _organised(session, actor, number)
    rows = await attendance.roll(session, activity.id)
    ended = now > window_of(activity)[1]
    found = tally((Attendee(s.status, s.attended_at is not None) for s, _ in rows), ended=ended)
    absent = [p for s, p in rows if ended and s.status == "confirmed" and s.attended_at is None]
    return Summary(activity, found, ended, absent)
