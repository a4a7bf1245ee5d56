"""Invite codes to join a unit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from campaign.invites import new_code
from storage.models import Invite
from storage.rowcount import rowcount


async def create_invite(
    session: AsyncSession,
    *,
    unit_id: int,
    role: str,
    uses: int,
    expires_at: datetime,
    created_by: int | None,
) -> Invite:
    """A new invite with a code that no other invite has."""
    while True:
        code = new_code()
        if await session.scalar(select(Invite.id).where(Invite.code == code)) is None:
            break
    invite = Invite(
        code=code,
        unit_id=unit_id,
        role=role,
        uses_left=uses,
        expires_at=expires_at,
        created_by=created_by,
    )
    session.add(invite)
    await session.flush()
    return invite


async def find_invite(session: AsyncSession, code: str) -> Invite | None:
    return await session.scalar(
        select(Invite).where(Invite.code == code).options(selectinload(Invite.unit))
    )


async def use_invite(session: AsyncSession, invite_id: int) -> bool:
    """Take one use atomically; False when another user took the last one first."""
    result = await session.execute(
        update(Invite)
        .where(Invite.id == invite_id, Invite.uses_left > 0)
        .values(uses_left=Invite.uses_left - 1)
    )
    return rowcount(result) == 1


async def active_invites(
    session: AsyncSession, now: datetime, *, unit_ids: Sequence[int] | None, roles: Sequence[str]
) -> list[Invite]:
    """Codes still usable (not expired, uses left) of these units (all when None) and roles."""
    query = (
        select(Invite)
        .where(Invite.expires_at > now, Invite.uses_left > 0, Invite.role.in_(list(roles)))
        .options(selectinload(Invite.unit))
        .order_by(Invite.expires_at, Invite.id)
    )
    if unit_ids is not None:
        query = query.where(Invite.unit_id.in_(list(unit_ids)))
    return list(await session.scalars(query))


async def revoke(session: AsyncSession, invite_id: int) -> None:
    """A code withdrawn works no more; the row goes (the audit keeps that it existed)."""
    await session.execute(delete(Invite).where(Invite.id == invite_id))
