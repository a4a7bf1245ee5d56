"""Quick polls: making one for an audience, voting, closing early, and what a viewer may see.

Who: an outreach officer or a lead puts a poll to their own units (`Actor.announces_to`), an
admin to any units or to everyone. Who votes: a member of one of its units (of any unit, for
a poll to everyone; admins too). What a viewer sees: the creator and admins the counts at any
time and, on a named poll, who chose what; a member the counts once they voted or once the
poll closed (so the first voters do not steer the others), never names. An anonymous poll
shows no names to anyone, its creator and admins included.

Sending is the chat's: the handler puts the poll into the outbox in the same transaction (as
announcements do); the scheduler announces the results when the poll closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.polls import PollError, PollSpec, Share, closing_time, press, shares
from campaign.roles import Role
from storage import audience, polls, schedule, units
from storage.audience import Audience
from storage.models import Poll, PollOption, Unit
from usecases.access import Actor
from usecases.errors import Refused, Who, unit_named

POLLS_PRODUCER = "polls"
"""The scheduler's producer that closes polls (bot/scheduler.py)."""
RECENT = timedelta(days=7)
"""Closed polls stay in the list, with their results, this long."""


@dataclass(frozen=True)
class Created:
    poll: Poll
    options: list[PollOption]
    units: list[Unit]
    """Empty: everyone."""
    reached: Audience


async def create_poll(
    session: AsyncSession, who: Who, actor: Actor, spec: PollSpec, now: datetime
) -> Created:
    """Store a poll (`spec` already follows campaign.polls.check) closing when it says, for
    the units it names or the author's default audience. `now` is aware, in the bot's zone
    (the closing phrase is read there). Refused: no role, a unit unknown or not the author's,
    a closing time unusable, past or too far, nobody to reach. Audited."""
    if not actor.may_use(Role.OUTREACH):
        raise Refused("poll.not_allowed", {"command": "/binhchon them"})
    chosen = await _units(session, actor, spec.units)
    try:
        closes_at = closing_time(spec.closes, now)
    except PollError as error:
        raise Refused(error.key, dict(error.values)) from None
    unit_ids = None if chosen is None else [unit.id for unit in chosen]
    reached = await audience.of_units(session, unit_ids)
    if not reached:
        raise Refused("poll.nobody")
    assert who.person_id is not None
    poll = await polls.create(
        session,
        question=spec.question,
        options=spec.options,
        multiple=spec.multiple,
        anonymous=spec.anonymous,
        closes_at=closes_at,
        created_by=who.person_id,
        created_at=now,
        unit_ids=unit_ids,
    )
    await schedule.wake(session, [POLLS_PRODUCER])  # its closing time: the producer's next run
    codes = ",".join(unit.code for unit in chosen) if chosen is not None else "all"
    await who.audit(session, "poll.create", codes, {"id": poll.id})
    return Created(poll, await polls.options(session, poll.id), chosen or [], reached)


async def _units(session: AsyncSession, actor: Actor, codes: Sequence[str]) -> list[Unit] | None:
    """The units named (each the author's to address), or the default: None (everyone) for an
    admin, else the units the author leads or does outreach for."""
    if not codes:
        if actor.is_admin:
            return None
        own = set(actor.announces_to or [])
        return sorted((u for u in actor.units if u.id in own), key=lambda u: u.code)
    found: dict[int, Unit] = {}
    allowed = actor.announces_to
    for code in codes:
        unit = await units.find_unit(session, code)
        if unit is None:
            raise Refused("unit.unknown", {"code": code})
        if allowed is not None and unit.id not in allowed:
            raise Refused("poll.not_your_unit", named={"unit": unit_named(unit.code, unit.name)})
        found[unit.id] = unit
    return sorted(found.values(), key=lambda u: u.code)


async def find_poll(session: AsyncSession, poll_id: int | None) -> Poll:
    poll = None if poll_id is None else await polls.find(session, poll_id)
    if poll is None:
        raise Refused("poll.not_found", {"id": poll_id if poll_id is not None else "?"})
    return poll


def may_vote(actor: Actor, poll_units: Sequence[int]) -> bool:
    """In the poll's audience: a member of one of its units; for a poll to everyone, anyone
    in a unit, or an admin."""
    if not poll_units:
        return actor.is_admin or bool(actor.member_unit_ids)
    return any(unit_id in actor.member_unit_ids for unit_id in poll_units)


def is_owner(actor: Actor, poll: Poll) -> bool:
    """The creator or an admin: closes it early, sees the counts at any time (and the names
    of a named poll)."""
    return actor.is_admin or poll.created_by == actor.person_id


def is_open(poll: Poll, now: datetime) -> bool:
    return poll.status == "open" and poll.closes_at > now


@dataclass(frozen=True)
class Voted:
    poll: Poll
    options: list[PollOption]
    chosen: frozenset[int]
    """The positions the person has chosen now (empty: the vote was withdrawn)."""


async def vote(
    session: AsyncSession, actor: Actor, poll_id: int | None, position: int | None, now: datetime
) -> Voted:
    """One press of an option: chooses, changes, withdraws (single choice) or toggles
    (multiple). Refused, storing nothing: no such poll or option, closed, not in its audience."""
    poll = await find_poll(session, poll_id)
    if not may_vote(actor, await polls.unit_ids(session, poll.id)):
        raise Refused("poll.not_for_you", {"id": poll.id})
    if not is_open(poll, now):
        raise Refused("poll.closed", {"id": poll.id})
    options = await polls.options(session, poll.id)
    if position not in {option.position for option in options}:
        raise Refused("poll.no_such_option", {"id": poll.id})
    assert position is not None
    before = await polls.choices(session, poll.id, actor.person_id)
    chosen = press(before, position, poll.multiple)
    await polls.set_choices(session, poll, actor.person_id, options, before, chosen, now)
    return Voted(poll, options, chosen)


async def close_poll(session: AsyncSession, who: Who, actor: Actor, poll_id: int | None) -> Poll:
    """Close a poll before its time (its creator or an admin); the results go out as at its
    closing time (the caller announces them in the same transaction). Audited."""
    poll = await find_poll(session, poll_id)
    if not is_owner(actor, poll):
        raise Refused("poll.not_yours", {"id": poll.id})
    at = who.at or poll.closes_at
    if poll.status != "open" or not await polls.close(session, poll, at):
        raise Refused("poll.already_closed", {"id": poll.id})
    await who.audit(session, "poll.close", str(poll.id))
    return poll


@dataclass(frozen=True)
class Results:
    poll: Poll
    shares: list[Share]
    voters: int
    names: dict[int, list[str]] = field(default_factory=dict)
    """Per position, who chose it: only for a named poll, and only for its creator and admins
    (or for the results sent to its creator)."""


async def results(session: AsyncSession, poll: Poll, *, with_names: bool) -> Results:
    """The counts of a poll; names only when asked for and the poll is named."""
    options = await polls.options(session, poll.id)
    counts, voters = await polls.counts(session, poll.id)
    found = shares([(o.position, o.text) for o in options], counts, voters)
    names = await polls.voters(session, poll.id) if with_names and not poll.anonymous else {}
    return Results(poll, found, voters, names)


@dataclass(frozen=True)
class Seen:
    """One poll as a viewer may see it."""

    poll: Poll
    options: list[PollOption]
    chosen: frozenset[int]
    may_vote: bool
    results: Results | None
    """None: counts hidden from this viewer until they vote or the poll closes."""


async def seen_by(session: AsyncSession, actor: Actor, poll_id: int | None, now: datetime) -> Seen:
    """`/binhchon <n>`: a poll for someone in its audience, its creator or an admin."""
    poll = await find_poll(session, poll_id)
    poll_units = await polls.unit_ids(session, poll.id)
    voter = may_vote(actor, poll_units)
    owner = is_owner(actor, poll)
    if not (voter or owner):
        raise Refused("poll.not_for_you", {"id": poll.id})
    chosen = await polls.choices(session, poll.id, actor.person_id)
    shown = owner or bool(chosen) or not is_open(poll, now)
    found = await results(session, poll, with_names=owner) if shown else None
    options = await polls.options(session, poll.id)
    return Seen(poll, options, chosen, voter and is_open(poll, now), found)


@dataclass(frozen=True)
class Listing:
    open: list[Poll]
    chosen: dict[int, list[int]]
    """Per open poll, the positions the viewer chose."""
    closed: list[Results]


async def listing(session: AsyncSession, actor: Actor, now: datetime) -> Listing:
    """`/binhchon`: the open polls meant for this person (or made by them; all for an admin)
    with their own choices, and those closed in the last RECENT days with their results."""
    unit_ids = None if actor.is_admin else actor.member_unit_ids
    opened, closed = await polls.listed(session, unit_ids, actor.person_id, now - RECENT)
    chosen = await polls.choices_in(session, [p.id for p in opened], actor.person_id)
    done = [await results(session, poll, with_names=False) for poll in closed]
    return Listing(opened, chosen, done)
