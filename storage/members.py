"""Finding a member of some units from what a lead typed: "@lan", "lan", "Nguyễn Thị Lan"."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

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
