"""Polls, their options, audiences and votes: every query of the polls feature.

A vote is rows of poll_vote, one per option chosen (several on a multiple-choice poll); an
anonymous poll keeps them too, so that nobody votes twice, but no reader of this module other
than `voters` returns names, and the use cases never call it for an anonymous poll. Closing is
compare-and-set on the status, so that two schedulers (or the clock and `/binhchon dong`) never
announce a poll twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import Membership, Person, Poll, PollOption, PollUnit, PollVote, Unit
from storage.rowcount import rowcount


async def create(
    session: AsyncSession,
    *,
    question: str,
    options: Sequence[str],
    multiple: bool,
    anonymous: bool,
    closes_at: datetime,
    created_by: int,
    created_at: datetime,
    unit_ids: Sequence[int] | None,
) -> Poll:
    """A new open poll; `unit_ids` None: for everyone."""
    poll = Poll(
        question=question,
        multiple=multiple,
        anonymous=anonymous,
        closes_at=closes_at,
        status="open",
        created_by=created_by,
        created_at=created_at,
    )
    session.add(poll)
    await session.flush()
    session.add_all(
        PollOption(poll_id=poll.id, position=n, text=text) for n, text in enumerate(options, 1)
    )
    session.add_all(PollUnit(poll_id=poll.id, unit_id=unit_id) for unit_id in unit_ids or ())
    await session.flush()
    return poll


async def find(session: AsyncSession, poll_id: int) -> Poll | None:
    return await session.get(Poll, poll_id)


async def options(session: AsyncSession, poll_id: int) -> list[PollOption]:
    return list(
        await session.scalars(
            select(PollOption).where(PollOption.poll_id == poll_id).order_by(PollOption.position)
        )
    )


async def unit_ids(session: AsyncSession, poll_id: int) -> list[int]:
    """The units a poll is put to (empty: everyone)."""
    return list(
        await session.scalars(
            select(PollUnit.unit_id).where(PollUnit.poll_id == poll_id).order_by(PollUnit.unit_id)
        )
    )


async def units_of(session: AsyncSession, poll_id: int) -> list[Unit]:
    return list(
        await session.scalars(
            select(Unit)
            .join(PollUnit, PollUnit.unit_id == Unit.id)
            .where(PollUnit.poll_id == poll_id)
            .order_by(Unit.code)
        )
    )


async def choices(session: AsyncSession, poll_id: int, person_id: int) -> frozenset[int]:
    """The positions this person has chosen."""
    found = await session.scalars(
        select(PollOption.position)
        .join(PollVote, PollVote.option_id == PollOption.id)
        .where(PollVote.poll_id == poll_id, PollVote.person_id == person_id)
    )
    return frozenset(found)


async def choices_in(
    session: AsyncSession, poll_ids: Sequence[int], person_id: int
) -> dict[int, list[int]]:
    """For a list: the positions this person chose in each of these polls."""
    if not poll_ids:
        return {}
    rows = await session.execute(
        select(PollVote.poll_id, PollOption.position)
        .join(PollOption, PollVote.option_id == PollOption.id)
        .where(PollVote.poll_id.in_(list(poll_ids)), PollVote.person_id == person_id)
        .order_by(PollOption.position)
    )
    chosen: dict[int, list[int]] = defaultdict(list)
    for poll_id, position in rows.all():
        chosen[poll_id].append(position)
    return dict(chosen)


async def set_choices(
    session: AsyncSession,
    poll: Poll,
    person_id: int,
    options: Sequence[PollOption],
    before: frozenset[int],
    chosen: frozenset[int],
    at: datetime,
) -> None:
    """Make this person's vote `chosen` (positions) where it was `before`: the rows of the
    options let go deleted, those of the options taken added (at most two statements)."""
    by_position = {option.position: option.id for option in options}
    dropped = [by_position[p] for p in before - chosen]
    if dropped:
        await session.execute(
            delete(PollVote).where(PollVote.person_id == person_id, PollVote.option_id.in_(dropped))
        )
    session.add_all(
        PollVote(poll_id=poll.id, option_id=by_position[p], person_id=person_id, created_at=at)
        for p in sorted(chosen - before)
    )
    await session.flush()


async def counts(session: AsyncSession, poll_id: int) -> tuple[dict[int, int], int]:
    """Votes per position, and the number of people who voted (two grouped queries)."""
    rows = await session.execute(
        select(PollOption.position, func.count(PollVote.id))
        .join(PollVote, PollVote.option_id == PollOption.id)
        .where(PollOption.poll_id == poll_id)
        .group_by(PollOption.position)
    )
    voters = await session.scalar(
        select(func.count(func.distinct(PollVote.person_id))).where(PollVote.poll_id == poll_id)
    )
    return {position: int(n) for position, n in rows.all()}, int(voters or 0)


async def voters(session: AsyncSession, poll_id: int) -> dict[int, list[str]]:
    """Names per position, for a named poll's creator and admins only (the use case checks)."""
    rows = await session.execute(
        select(PollOption.position, Person.display_name)
        .join(PollVote, PollVote.option_id == PollOption.id)
        .join(Person, Person.id == PollVote.person_id)
        .where(PollOption.poll_id == poll_id)
        .order_by(PollOption.position, Person.display_name)
    )
    names: dict[int, list[str]] = defaultdict(list)
    for position, name in rows.all():
        names[position].append(name or "?")
    return dict(names)


def _meant_for(unit_ids: Sequence[int] | None) -> ColumnElement[bool]:
    """Polls put to everyone or to one of these units (None: all polls, an admin's view)."""
    if unit_ids is None:
        return true()
    own = exists().where(PollUnit.poll_id == Poll.id, PollUnit.unit_id.in_(list(unit_ids)))
    everyone = ~exists().where(PollUnit.poll_id == Poll.id)
    return or_(own, everyone)


async def listed(
    session: AsyncSession,
    unit_ids: Sequence[int] | None,
    person_id: int,
    closed_since: datetime,
    limit: int = 20,
) -> tuple[list[Poll], list[Poll]]:
    """(open polls, polls closed since `closed_since`) meant for someone in these units, or
    made by them; soonest closing first, latest closed first."""
    meant = or_(_meant_for(unit_ids), Poll.created_by == person_id)
    opened = await session.scalars(
        select(Poll)
        .where(Poll.status == "open", meant)
        .order_by(Poll.closes_at, Poll.id)
        .limit(limit)
    )
    closed = await session.scalars(
        select(Poll)
        .where(Poll.status == "closed", Poll.closed_at >= closed_since, meant)
        .order_by(Poll.closed_at.desc(), Poll.id.desc())
        .limit(limit)
    )
    return list(opened), list(closed)


async def due(session: AsyncSession, now: datetime) -> list[Poll]:
    """Open polls whose closing time has come."""
    return list(
        await session.scalars(
            select(Poll)
            .where(Poll.status == "open", Poll.closes_at <= now)
            .order_by(Poll.closes_at, Poll.id)
        )
    )


async def next_closing(session: AsyncSession) -> datetime | None:
    """When the next open poll closes (the polls producer's next run), None when none is open."""
    found = await session.scalar(select(func.min(Poll.closes_at)).where(Poll.status == "open"))
    if found is None:
        return None
    if isinstance(found, str):  # SQLite's text, when the column's type is not applied
        found = datetime.fromisoformat(found)
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


async def close(session: AsyncSession, poll: Poll, at: datetime) -> bool:
    """Mark the poll closed, once: False when another transaction closed it first."""
    result = await session.execute(
        update(Poll)
        .where(Poll.id == poll.id, Poll.status == "open")
        .values(status="closed", closed_at=at)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        return False
    poll.status, poll.closed_at = "closed", at
    return True


async def per_unit(
    session: AsyncSession, start: datetime, end: datetime
) -> dict[int, tuple[int, int]]:
    """For the integrator's outreach report: per unit id, (polls held, votes cast) for polls
    made in [start, end). A poll is held in each unit it was put to, and a poll for everyone
    in every unit; a vote is one person's (whatever the number of options they chose),
    counted in each unit that person belongs to where the poll was held. Two grouped queries
    whatever the number of units and polls."""
    made = and_(Poll.created_at >= start, Poll.created_at < end)
    audience = aliased(PollUnit)  # the subqueries' own: the outer query joins PollUnit too
    everyone = ~exists().where(audience.poll_id == Poll.id)
    held_rows = await session.execute(
        select(Unit.id, func.count(func.distinct(Poll.id)))
        .select_from(Unit)
        .join(Poll, made)
        .outerjoin(PollUnit, and_(PollUnit.poll_id == Poll.id, PollUnit.unit_id == Unit.id))
        .where(or_(PollUnit.id.is_not(None), everyone))
        .group_by(Unit.id)
    )
    held = {unit_id: int(n) for unit_id, n in held_rows.all()}
    ballots = (
        select(PollVote.poll_id, PollVote.person_id)
        .join(Poll, Poll.id == PollVote.poll_id)
        .where(made)
        .distinct()
        .subquery()
    )
    vote_rows = await session.execute(
        select(Membership.unit_id, func.count())
        .select_from(ballots)
        .join(Membership, Membership.person_id == ballots.c.person_id)
        .where(
            or_(
                exists().where(
                    audience.poll_id == ballots.c.poll_id, audience.unit_id == Membership.unit_id
                ),
                ~exists().where(audience.poll_id == ballots.c.poll_id),
            )
        )
        .group_by(Membership.unit_id)
    )
    votes = {unit_id: int(n) for unit_id, n in vote_rows.all()}
    return {
        unit_id: (held.get(unit_id, 0), votes.get(unit_id, 0))
        for unit_id in sorted(held.keys() | votes.keys())
    }
