"""The one-time codes of /taikhoan, which link a person's accounts on two platforms."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from campaign.invites import new_code
from storage.models import AccountLinkAttempt, AccountLinkCode
from storage.rowcount import rowcount

GUESS_MEMORY = timedelta(days=1)


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
    return rowcount(result) == 1


async def cancel_code(session: AsyncSession, code: str) -> bool:
    """Withdraw a code that was shown where others could read it."""
    result = await session.execute(delete(AccountLinkCode).where(AccountLinkCode.code == code))
    return rowcount(result) == 1


async def find_by_id(session: AsyncSession, code_id: int) -> AccountLinkCode | None:
    return await session.get(AccountLinkCode, code_id)


async def claim(
    session: AsyncSession, code_id: int, account_id: int, *, now: datetime, until: datetime
) -> bool:
    """Mark the code as sent back by `account_id`, to be confirmed by its owner by `until`.
    False when another account claimed it first or it expired: one code, one claim."""
    result = await session.execute(
        update(AccountLinkCode)
        .where(
            AccountLinkCode.id == code_id,
            AccountLinkCode.expires_at > now,
            AccountLinkCode.claimed_by.is_(None),
        )
        .values(claimed_by=account_id, claimed_at=now, expires_at=until)
    )
    return rowcount(result) == 1


async def wrong_guesses(session: AsyncSession, person_id: int, since: datetime) -> list[datetime]:
    """When this person typed a wrong code since `since`, oldest first."""
    rows = await session.scalars(
        select(AccountLinkAttempt.at)
        .where(AccountLinkAttempt.person_id == person_id, AccountLinkAttempt.at > since)
        .order_by(AccountLinkAttempt.at)
    )
    return list(rows)


async def record_wrong_guess(session: AsyncSession, person_id: int, now: datetime) -> None:
    """Count a wrong code; marks older than a day are of no use any more and go."""
    await session.execute(
        delete(AccountLinkAttempt).where(AccountLinkAttempt.at <= now - GUESS_MEMORY)
    )
    session.add(AccountLinkAttempt(person_id=person_id, at=now))
    await session.flush()
