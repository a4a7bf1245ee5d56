"""Units and memberships."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Membership, Unit


async def find_unit(session: AsyncSession, code: str) -> Unit | None:
    return await session.scalar(select(Unit).where(Unit.code == code.strip().upper()))


async def list_units(session: AsyncSession) -> list[tuple[Unit, int]]:
    """Every unit with its number of members, by code."""
    counts = (
        select(Membership.unit_id, func.count().label("n")).group_by(Membership.unit_id).subquery()
    )
    rows = await session.execute(
        select(Unit, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.unit_id == Unit.id)
        .order_by(Unit.code)
    )
    return [(unit, int(n)) for unit, n in rows.all()]


async def existing_codes(session: AsyncSession, codes: Sequence[str]) -> set[str]:
    rows = await session.scalars(select(Unit.code).where(Unit.code.in_(list(codes))))
    return set(rows)


async def add_unit(session: AsyncSession, code: str, name: str, kind: str) -> Unit:
    unit = Unit(code=code, name=name, kind=kind)
    session.add(unit)
    await session.flush()
    return unit


async def add_units(session: AsyncSession, rows: Sequence[tuple[str, str, str]]) -> None:
    """Many units (code, name, kind) in one statement: a bulk import's batch."""
    if rows:
        await session.execute(
            insert(Unit), [{"code": code, "name": name, "kind": kind} for code, name, kind in rows]
        )


async def membership(session: AsyncSession, person_id: int, unit_id: int) -> Membership | None:
    return await session.scalar(
        select(Membership).where(Membership.person_id == person_id, Membership.unit_id == unit_id)
    )


async def set_membership(
    session: AsyncSession, person_id: int, unit_id: int, role: str
) -> Membership:
    """Join a unit, or change the role in it: a person holds one role per unit."""
    existing = await membership(session, person_id, unit_id)
    if existing is not None:
        existing.role = role
        return existing
    created = Membership(person_id=person_id, unit_id=unit_id, role=role)
    session.add(created)
    await session.flush()
    return created
