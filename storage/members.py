"""Finding a member of some units from what a lead typed: "@lan", "lan_nguyen", "Nguyễn Thị Lan"."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from campaign.naming import same_name
from storage.models import Account, Membership, Person, Unit


def _members(unit_ids: Sequence[int] | None) -> Select[int]:
    members = select(Membership.person_id)
    if unit_ids is not None:
        members = members.where(Membership.unit_id.in_(list(unit_ids)))
    return members


async def find_members(
    session: AsyncSession, unit_ids: Sequence[int] | None, typed: str
) -> list[Person]:
    """People of the units (any unit when None) that `typed` names exactly: an @handle, an
    account id (with or without its platform, "telegram:42"), else the full name (diacritics
    and capitals aside), never a part of a name: acting on the wrong person (rating them,
    pledging for them, removing them from a unit) is worse than asking again. Several
    matches (two people of the same name) mean the caller must ask which."""
    wanted = typed.strip().lstrip("@")
    if not wanted:
        return []
    named = (Account.platform_user_id == wanted) | (Account.username == wanted.lower())
    platform, sep, user_id = wanted.partition(":")
    if sep and user_id and " " not in wanted:
        named = named | (
            (Account.platform == platform.lower()) & (Account.platform_user_id == user_id)
        )
    by_account = list(
        await session.scalars(
            select(Person)
            .join(Account, Account.person_id == Person.id)
            .where(named, Person.id.in_(_members(unit_ids)))
            .options(selectinload(Person.accounts))
        )
    )
    if by_account:
        return list({p.id: p for p in by_account}.values())
    return [p for p in await member_people(session, unit_ids) if same_name(wanted, p.display_name)]


async def member_people(session: AsyncSession, unit_ids: Sequence[int] | None) -> list[Person]:
    """The people of the units (any unit when None), in the order they were created."""
    query = (
        select(Person)
        .where(Person.id.in_(_members(unit_ids)))
        .options(selectinload(Person.accounts))
        .order_by(Person.id)
    )
    return list(await session.scalars(query))


async def unit_codes(session: AsyncSession, person_ids: Sequence[int]) -> dict[int, list[str]]:
    """The codes of the units each person is in: told apart, two people of one name."""
    rows = await session.execute(
        select(Membership.person_id, Unit.code)
        .join(Unit, Unit.id == Membership.unit_id)
        .where(Membership.person_id.in_(list(person_ids)))
        .order_by(Membership.id)
    )
    codes: dict[int, list[str]] = {}
    for person_id, code in rows:
        codes.setdefault(person_id, []).append(code)
    return codes
