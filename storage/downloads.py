"""Files kept behind unguessable links, for platforms that take files only by URL."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Download
from storage.rowcount import rowcount


async def keep(
    session: AsyncSession, filename: str, data: bytes, *, expires_at: datetime
) -> Download:
    """Store a file; its token (about 190 random bits) is the only key to it."""
    download = Download(
        token=secrets.token_urlsafe(24), filename=filename, data=data, expires_at=expires_at
    )
    session.add(download)
    await session.flush()
    return download


async def find(session: AsyncSession, token: str, now: datetime) -> Download | None:
    """The file behind `token`, unless it has expired."""
    return await session.scalar(
        select(Download).where(Download.token == token, Download.expires_at > now)
    )


async def forget_expired(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(delete(Download).where(Download.expires_at <= now))
    return rowcount(result)
