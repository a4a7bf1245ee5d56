"""Units and memberships."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Chat, Invite, Membership, Person, Reminder, Unit
from storage.rowcount import rowcount


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


async def memberships_of(session: AsyncSession, unit_id: int) -> list[Membership]:
    """The unit's memberships with their people and accounts, leads first, then by name."""
    rows = await session.scalars(
        select(Membership)
        .where(Membership.unit_id == unit_id)
        .options(selectinload(Membership.person).selectinload(Person.accounts))
    )
    order = {"lead": 0, "outreach": 1, "member": 2}
    return sorted(
        rows, key=lambda m: (order.get(m.role, 3), m.person.display_name.casefold(), m.id)
    )


async def remove_membership(session: AsyncSession, person_id: int, unit_id: int) -> bool:
    result = await session.execute(
        delete(Membership).where(Membership.person_id == person_id, Membership.unit_id == unit_id)
    )
    return bool(rowcount(result))


@dataclass(frozen=True)
class Footprint:
    """What hangs on a unit: what deleting it takes away (told before the admin confirms)."""

    members: int
    chats: int
    reminders: int


async def footprint(session: AsyncSession, unit_id: int) -> Footprint:
    async def count(query: Any) -> int:
        return int(await session.scalar(query) or 0)

    return Footprint(
        members=await count(
            select(func.count()).select_from(Membership).where(Membership.unit_id == unit_id)
        ),
        chats=await count(select(func.count()).select_from(Chat).where(Chat.unit_id == unit_id)),
        reminders=await count(
            select(func.count())
            .select_from(Reminder)
            .where(Reminder.unit_id == unit_id, Reminder.active.is_(True))
        ),
    )


async def delete_unit(session: AsyncSession, unit_id: int) -> None:
    """Delete a unit: memberships, invites and the unit's reminders go, linked group chats
    stay (their people still chat there) but are no longer linked. Done explicitly rather
    than by the foreign keys' ON DELETE, so it holds whatever the database enforces."""
    await session.execute(delete(Membership).where(Membership.unit_id == unit_id))
    await session.execute(delete(Invite).where(Invite.unit_id == unit_id))
    await session.execute(delete(Reminder).where(Reminder.unit_id == unit_id))
    unlinked = {"unit_id": None, "thread_id": None}  # the link is the unit and its topic
    await session.execute(update(Chat).where(Chat.unit_id == unit_id).values(**unlinked))
    await session.execute(delete(Unit).where(Unit.id == unit_id))


async def memberships_of_person(
    session: AsyncSession, person_id: int, unit_ids: Sequence[int] | None = None
) -> list[Membership]:
    """A person's memberships (only in these units when given), with their units."""
    query = (
        select(Membership)
        .where(Membership.person_id == person_id)
        .options(selectinload(Membership.unit), selectinload(Membership.person))
        .order_by(Membership.id)
    )
    if unit_ids is not None:
        query = query.where(Membership.unit_id.in_(list(unit_ids)))
    return list(await session.scalars(query))
