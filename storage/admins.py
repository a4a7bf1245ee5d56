"""Admins granted in the database (BOT_ADMINS lives in the settings, not here)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Account, Person


async def database_admins(session: AsyncSession) -> list[Person]:
    """People made admins with `admin grant`, with their accounts, in the order created."""
    return list(
        await session.scalars(
            select(Person)
            .where(Person.is_admin.is_(True))
            .options(selectinload(Person.accounts))
            .order_by(Person.id)
        )
    )


async def account_with_person(session: AsyncSession, platform: str, user_id: str) -> Account | None:
    return await session.scalar(
        select(Account)
        .where(Account.platform == platform, Account.platform_user_id == user_id)
        .options(selectinload(Account.person))
    )
