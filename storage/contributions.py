"""Contributions in SQL: recorded, confirmed, listed and summed per unit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Contribution, Person, Unit


@dataclass(frozen=True)
class Line:
    """A contribution as the organiser's list shows it."""

    contribution: Contribution
    giver: str | None
    """The person's name; None for a unit's contribution."""
    unit_code: str | None


@dataclass(frozen=True)
class Sums:
    """Money confirmed and waiting for confirmation, and how many gifts in kind."""

    confirmed: int = 0
    pending: int = 0
    items: int = 0


async def add(session: AsyncSession, contribution: Contribution) -> Contribution:
    session.add(contribution)
    await session.flush()
    return contribution


async def find(session: AsyncSession, contribution_id: int) -> Contribution | None:
    return await session.get(Contribution, contribution_id)


async def of_person(session: AsyncSession, activity_id: int, person_id: int) -> list[Contribution]:
    rows = await session.scalars(
        select(Contribution)
        .where(Contribution.activity_id == activity_id, Contribution.person_id == person_id)
        .order_by(Contribution.id)
    )
    return list(rows)


async def lines(session: AsyncSession, activity_id: int) -> list[Line]:
    rows = await session.execute(
        select(Contribution, Person.display_name, Unit.code)
        .outerjoin(Person, Person.id == Contribution.person_id)
        .outerjoin(Unit, Unit.id == Contribution.unit_id)
        .where(Contribution.activity_id == activity_id)
        .order_by(Contribution.id)
    )
    return [Line(c, name if c.person_id is not None else None, code) for c, name, code in rows]


def _sums() -> tuple:
    confirmed = Contribution.confirmed_at.is_not(None)
    return (
        func.coalesce(func.sum(case((confirmed, Contribution.amount), else_=0)), 0),
        func.coalesce(func.sum(case((confirmed, 0), else_=Contribution.amount)), 0),
        func.count(Contribution.items),
    )


async def totals(session: AsyncSession, activity_id: int) -> Sums:
    row = (
        await session.execute(select(*_sums()).where(Contribution.activity_id == activity_id))
    ).one()
    return Sums(int(row[0]), int(row[1]), int(row[2]))


async def totals_by_unit(session: AsyncSession, activity_id: int) -> dict[str | None, Sums]:
    """The sums per unit code (None: contributions counted for no unit), one query."""
    rows = await session.execute(
        select(Unit.code, *_sums())
        .select_from(Contribution)
        .outerjoin(Unit, Unit.id == Contribution.unit_id)
        .where(Contribution.activity_id == activity_id)
        .group_by(Unit.code)
        .order_by(Unit.code)
    )
    return {code: Sums(int(a), int(b), int(c)) for code, a, b, c in rows}
