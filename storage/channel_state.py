"""The channel_state rows: how sending through each platform went lately (bot/health.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChannelState, Chat, Outbox


async def note(
    session: AsyncSession, platform: str, *, up: bool, error: str | None, at: datetime
) -> None:
    """A send went through (`up`), or failed with `error` for a reason the platform gave."""
    row = await session.get(ChannelState, platform)
    if row is None:
        row = ChannelState(platform=platform, up=up)
        session.add(row)
    row.up = up
    if up:
        row.ok_at = at
    else:
        row.last_error, row.error_at = (error or "")[:500], at


async def states(session: AsyncSession) -> list[ChannelState]:
    return list(await session.scalars(select(ChannelState).order_by(ChannelState.platform)))


async def outbox_counts(session: AsyncSession) -> dict[str, dict[str, int]]:
    """Per platform, outbox rows by status (pending and claimed: still to go; dead: gave up
    after retrying; failed: the chat is gone or refused the message)."""
    rows = await session.execute(
        select(Chat.platform, Outbox.status, func.count())
        .join(Chat, Chat.id == Outbox.chat_id)
        .group_by(Chat.platform, Outbox.status)
    )
    counts: dict[str, dict[str, int]] = {}
    for platform, status, count in rows.all():
        counts.setdefault(platform, {})[status] = int(count)
    return counts


async def last_deliveries(session: AsyncSession) -> dict[str, datetime]:
    """Per platform, when the dispatcher last delivered a push."""
    rows = await session.execute(
        select(Chat.platform, func.max(Outbox.sent_at))
        .join(Chat, Chat.id == Outbox.chat_id)
        .where(Outbox.sent_at.is_not(None))
        .group_by(Chat.platform)
    )
    return {platform: at for platform, at in rows.all() if at is not None}
