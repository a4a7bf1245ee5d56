"""The audit log of privileged actions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
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
) -> None:
    """Write who (`actor`, e.g. "telegram:42" or "cli") did what to which target."""
    session.add(
        AuditLog(actor=actor, actor_id=actor_id, action=action, target=target, detail=detail or {})
    )


async def entries(session: AsyncSession, action: str | None = None) -> list[AuditLog]:
    query = select(AuditLog).order_by(AuditLog.id)
    if action is not None:
        query = query.where(AuditLog.action == action)
    return list(await session.scalars(query))
