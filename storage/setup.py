"""What an agency has set up so far: the counts the first-run checklist reads (one query)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import ScalarSelect

from storage.models import Base, Chat, Invite, Membership, Unit


@dataclass(frozen=True)
class Counts:
    units: int
    invites: int
    """Invite codes ever made (used or not): making them is the step."""
    members: int
    groups: int
    """Group chats linked to a unit and still active."""


async def counts(session: AsyncSession) -> Counts:
    def count(model: type[Base]) -> ScalarSelect[int]:
        return select(func.count()).select_from(model).scalar_subquery()

    groups = (
        select(func.count())
        .select_from(Chat)
        .where(Chat.unit_id.is_not(None), Chat.active.is_(True), Chat.kind != "private")
        .scalar_subquery()
    )
    row = (
        await session.execute(select(count(Unit), count(Invite), count(Membership), groups))
    ).one()
    return Counts(units=row[0], invites=row[1], members=row[2], groups=row[3])
