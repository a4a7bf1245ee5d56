"""The audit log of privileged actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditLog


async def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    actor_id: int | None = None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Write who (`actor`, e.g. "telegram:42" or "cli") did what to which target, and when
    (`at`: the bot's clock where the caller has it, else now)."""
    entry = AuditLog(
        actor=actor, actor_id=actor_id, action=action, target=target, detail=detail or {}
    )
    if at is not None:
        entry.at = at
    session.add(entry)


async def entries(session: AsyncSession, action: str | None = None) -> list[AuditLog]:
    query = select(AuditLog).order_by(AuditLog.id)
    if action is not None:
        query = query.where(AuditLog.action == action)
    return list(await session.scalars(query))


async def latest(session: AsyncSession, limit: int, offset: int = 0) -> list[AuditLog]:
    """The newest entries first: `offset` skips that many newer ones (the pages of /nhatky)."""
    return list(
        await session.scalars(
            select(AuditLog).order_by(AuditLog.id.desc()).limit(limit).offset(offset)
        )
    )


async def count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(AuditLog)) or 0)
