"""Forgetting a person (`/xoadulieu`): their data goes, the audit keeps that it happened."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit, forget


async def forget_me(session: AsyncSession, person_id: int) -> None:
    """Delete the person and everything that names them (storage.forget); the audit line says
    a person was forgotten, not who: no id, no name, no account."""
    await forget.forget_person(session, person_id)
    await audit.record(session, actor=forget.DELETED, action="person.forget")
