"""Finding a member of some units from what a lead typed: "@lan", "lan", "Nguyễn Thị Lan"."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from campaign.text import fold
from storage.models import Account, Membership, Person


async def find_members(
    session: AsyncSession, unit_ids: Sequence[int] | None, typed: str
) -> list[Person]:
    """People of the units (any unit when None) whose account id or @handle is `typed`, else
    whose name contains it (diacritics folded). Several matches mean the lead must say more."""
    wanted = typed.strip().lstrip("@")
    if not wanted:
        return []
    members = select(Membership.person_id)
    if unit_ids is not None:
        members = members.where(Membership.unit_id.in_(list(unit_ids)))
    by_account = list(
        await session.scalars(
            select(Person)
            .join(Account, Account.person_id == Person.id)
            .where(
                (Account.platform_user_id == wanted) | (Account.username == wanted.lower()),
                Person.id.in_(members),
            )
        )
    )
    if by_account:
        return list({p.id: p for p in by_account}.values())
    folded = fold(wanted)
    people = await session.scalars(select(Person).where(Person.id.in_(members)))
    return [p for p in people if folded and folded in fold(p.display_name)]


def _exact_name(text: str) -> str:
    """A full name as compared: case, diacritics, "đ" and spacing do not count."""
    return fold(text)


async def find_members_exactly(
    session: AsyncSession, text: str, unit_ids: Sequence[int] | None = None
) -> list[Person]:
    """The members of the units (any unit when None) that `text` names exactly: an @username,
    an account id (with or without its platform, "telegram:42"), or the full display name
    compared without case or diacritics. Never a part of a name: "/thanhvien xoa Lan" must not
    remove "Nguyễn Thị Lan". Several people may match one full name; the caller asks which.

    For /thanhvien (issue 13, item 7); h-privacy's lookup for /danhgia and /dangky is to be
    unified with this one at merge.
    """
    wanted = text.strip()
    if not wanted:
        return []
    members = select(Membership.person_id)
    if unit_ids is not None:
        members = members.where(Membership.unit_id.in_(list(unit_ids)))
    in_units = Person.id.in_(members)
    if wanted.startswith("@"):
        handle = wanted[1:].lower()
        condition = Account.username == handle
    else:
        platform, sep, user_id = wanted.partition(":")
        if sep and user_id and " " not in wanted:
            condition = (Account.platform == platform.lower()) & (
                Account.platform_user_id == user_id
            )
        else:
            condition = Account.platform_user_id == wanted
    by_account = list(
        await session.scalars(
            select(Person)
            .join(Account, Account.person_id == Person.id)
            .where(condition, in_units)
            .options(selectinload(Person.accounts))
        )
    )
    if by_account:
        return list({p.id: p for p in by_account}.values())
    name = _exact_name(wanted)
    people = await session.scalars(
        select(Person).where(in_units).options(selectinload(Person.accounts)).order_by(Person.id)
    )
    return [p for p in people if _exact_name(p.display_name) == name]
