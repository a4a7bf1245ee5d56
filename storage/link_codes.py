"""The one-time codes of /taikhoan, which link a person's accounts on two platforms."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from campaign.invites import new_code
from storage.models import AccountLinkCode


async def issue_code(
    session: AsyncSession, *, person_id: int, platform: str, expires_at: datetime, now: datetime
) -> AccountLinkCode:
    """A new code for this person, replacing their earlier one.

    Codes that expired, anyone's, are cleared on the way: the table only ever holds a handful
    of live codes, and no job is needed to sweep it.
    """
    await session.execute(
        delete(AccountLinkCode).where(
            or_(AccountLinkCode.person_id == person_id, AccountLinkCode.expires_at <= now)
        )
    )
    while True:
        code = new_code()
        taken = select(AccountLinkCode.id).where(AccountLinkCode.code == code)
        if await session.scalar(taken) is None:
            break
    row = AccountLinkCode(
        code=code, person_id=person_id, platform=platform, expires_at=expires_at, created_at=now
    )
    session.add(row)
    await session.flush()
    return row


async def find_code(session: AsyncSession, code: str) -> AccountLinkCode | None:
    return await session.scalar(select(AccountLinkCode).where(AccountLinkCode.code == code))


async def consume_code(session: AsyncSession, code_id: int, now: datetime) -> bool:
    """Use the code up atomically; False when another message used it first (or it expired
    in between), so that one code joins one account, never two."""
    result = await session.execute(
        delete(AccountLinkCode).where(
            AccountLinkCode.id == code_id, AccountLinkCode.expires_at > now
        )
    )
    return result.rowcount == 1


async def cancel_code(session: AsyncSession, code: str) -> bool:
    """Withdraw a code that was shown where others could read it."""
    result = await session.execute(delete(AccountLinkCode).where(AccountLinkCode.code == code))
    return result.rowcount == 1
