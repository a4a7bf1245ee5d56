"""Figures of units against the campaign, in a fixed number of queries whatever the size.

Every function here runs grouped queries (one per kind of figure), never one per person:
bench/stats.py measures it against the one-query-per-person way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, Subquery, and_, case, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from campaign.ratings import Rating
from campaign.standing import Tally
from storage.models import (
    Assessment,
    Commitment,
    Membership,
    Person,
    Pledge,
    Unit,
)

DEPARTMENT = 0
"""Key of the whole department (every person in any unit) in the tallies."""


def _people(unit_ids: Sequence[int] | None, by_unit: bool) -> Subquery:
    """(key, person_id) rows: per unit, or once per person for the department."""
    if by_unit:
        query = select(Membership.unit_id.label("key"), Membership.person_id.label("person_id"))
        if unit_ids is not None:
            query = query.where(Membership.unit_id.in_(list(unit_ids)))
        return query.subquery()
    return (
        select(func.min(0).label("key"), Membership.person_id.label("person_id"))
        .group_by(Membership.person_id)
        .subquery()
    )


async def tallies(
    session: AsyncSession, campaign_id: int, unit_ids: Sequence[int] | None = None
) -> dict[int, Tally]:
    """Tally per unit id (all units when `unit_ids` is None), plus DEPARTMENT when all."""
    result: dict[int, Tally] = {}
    groups = [True] if unit_ids is not None else [True, False]
    for by_unit in groups:
        people = _people(unit_ids, by_unit)
        await _fill(session, result, people, campaign_id)
    return result


async def _fill(
    session: AsyncSession, result: dict[int, Tally], people: Subquery, campaign_id: int
) -> None:
    members = await session.execute(
        select(people.c.key, func.count(distinct(people.c.person_id))).group_by(people.c.key)
    )
    for key, count in members.all():
        result[key] = Tally(members=int(count))
    pledged = await session.execute(
        select(
            people.c.key,
            func.count(Pledge.id),
            func.coalesce(func.sum(func.coalesce(Pledge.progress, 0)), 0),
        )
        .join(
            Pledge, and_(Pledge.person_id == people.c.person_id, Pledge.campaign_id == campaign_id)
        )
        .group_by(people.c.key)
    )
    for key, count, total in pledged.all():
        tally = result[key]
        tally.pledged, tally.progress_sum, tally.progress_count = (
            int(count),
            float(total),
            int(count),
        )
    # final and self-assessed ratings apart (targets count only the final ones); one query,
    # at most 25 rows per unit whatever the size
    ratings = await session.execute(
        select(people.c.key, Assessment.final_rating, Assessment.self_rating, func.count())
        .join(
            Assessment,
            and_(Assessment.person_id == people.c.person_id, Assessment.campaign_id == campaign_id),
        )
        .group_by(people.c.key, Assessment.final_rating, Assessment.self_rating)
    )
    for key, final, own, count in ratings.all():
        tally = result[key]
        for code, counts in ((final, tally.ratings), (own, tally.self_ratings)):
            if code is not None:
                counts[Rating(code)] = counts.get(Rating(code), 0) + int(count)


@dataclass(frozen=True)
class MemberRow:
    """One person of a unit, as the report and the lead's lists show them."""

    person_id: int
    name: str
    role: str
    title: str | None
    target_rating: str | None
    commitments: list[str]
    progress: int | None
    last_update: datetime | None
    pledged_at: datetime | None
    self_rating: str | None
    self_comment: str | None
    final_rating: str | None


async def member_rows(
    session: AsyncSession, campaign_id: int, unit_ids: Sequence[int]
) -> dict[int, list[MemberRow]]:
    """Every member of the units with pledge, commitments, latest progress and ratings
    (four queries in all)."""
    rows = await session.execute(
        select(
            Membership.unit_id,
            Person.id,
            Person.display_name,
            Membership.role,
            Pledge.id,
            Pledge.title,
            Pledge.target_rating,
            Pledge.created_at,
            Pledge.progress,
            Pledge.progress_at,
            Assessment.self_rating,
            Assessment.self_comment,
            Assessment.final_rating,
        )
        .join(Person, Person.id == Membership.person_id)
        .outerjoin(Pledge, and_(Pledge.person_id == Person.id, Pledge.campaign_id == campaign_id))
        .outerjoin(
            Assessment,
            and_(Assessment.person_id == Person.id, Assessment.campaign_id == campaign_id),
        )
        .where(Membership.unit_id.in_(list(unit_ids)))
        .order_by(
            Membership.unit_id,
            case((Membership.role == "lead", 0), else_=1),
            Person.display_name,
            Person.id,
        )
    )
    records = rows.all()
    pledge_ids = [r[4] for r in records if r[4] is not None]
    commitments: dict[int, list[str]] = {}
    if pledge_ids:
        found = await session.execute(
            select(Commitment.pledge_id, Commitment.text)
            .where(Commitment.pledge_id.in_(pledge_ids), Commitment.retired_at.is_(None))
            .order_by(Commitment.pledge_id, Commitment.position)
        )
        for pledge_id, text in found.all():
            commitments.setdefault(pledge_id, []).append(text)
    result: dict[int, list[MemberRow]] = {unit_id: [] for unit_id in unit_ids}
    for (unit_id, person_id, name, role, pledge_id, title, target, pledged_at, progress,
         updated, self_rating, comment, final) in records:  # fmt: skip
        result[unit_id].append(
            MemberRow(
                person_id=person_id,
                name=name or f"#{person_id}",
                role=role,
                title=title,
                target_rating=target,
                commitments=commitments.get(pledge_id, []) if pledge_id else [],
                progress=progress,
                last_update=updated,
                pledged_at=pledged_at,
                self_rating=self_rating,
                self_comment=comment,
                final_rating=final,
            )
        )
    return result


async def units_by_ids(session: AsyncSession, unit_ids: Sequence[int] | None) -> list[Unit]:
    query: Select[Unit] = select(Unit).order_by(Unit.code)
    if unit_ids is not None:
        query = query.where(Unit.id.in_(list(unit_ids)))
    return list(await session.scalars(query))
