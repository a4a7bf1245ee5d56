"""The outbox: messages the bot promised, one row per message per chat.

Delivery guarantee: a dispatcher claims due rows ("claimed": reserved, not yet sent), marks
each one "sending" just before the request, and "sent" with the platform's message id right
after. A row marked sent is never sent again; a claimed row that was never sent goes out once
after a crash; only a row whose request was in flight when the process died ("sending") may
reach its chat twice. So: exactly once for every row but those in flight at a crash (at most
the dispatcher's concurrency), at least once for those.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from storage.models import Chat, Outbox

LEASE = timedelta(minutes=2)
"""A claim older than this belongs to a process that died: the row may be claimed again."""


async def enqueue(
    session: AsyncSession,
    *,
    chat_id: int,
    kind: str,
    text: str,
    dedupe_key: str,
    due_at: datetime,
    options: list[Any] | None = None,
    late: bool = False,
) -> bool:
    """Add a message unless one with this key exists; True when it was added."""
    insert = postgresql_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    result = await session.execute(
        insert(Outbox)
        .values(
            chat_id=chat_id,
            kind=kind,
            text=text,
            options=options or [],
            dedupe_key=dedupe_key[:200],
            due_at=due_at,
            next_attempt_at=due_at,
            status="pending",
            attempts=0,
            late=late,
            created_at=due_at,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
    )
    return result.rowcount == 1


async def claim(
    session: AsyncSession, now: datetime, limit: int, lease: timedelta = LEASE
) -> list[Outbox]:
    """Take up to `limit` due rows for this process; other processes skip them (PostgreSQL
    FOR UPDATE SKIP LOCKED; SQLite has one writer at a time)."""
    due = (
        select(Outbox.id)
        .where(
            Outbox.next_attempt_at <= now,
            or_(
                Outbox.status == "pending",
                Outbox.status.in_(("claimed", "sending")) & (Outbox.claimed_at <= now - lease),
            ),
        )
        .order_by(Outbox.next_attempt_at, Outbox.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(await session.scalars(due))
    if not ids:
        return []
    await session.execute(
        update(Outbox).where(Outbox.id.in_(ids)).values(status="claimed", claimed_at=now)
    )
    rows = await session.scalars(
        select(Outbox)
        .where(Outbox.id.in_(ids))
        .options(joinedload(Outbox.chat))
        .order_by(Outbox.next_attempt_at, Outbox.id)
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def mark_sending(session: AsyncSession, row_id: int) -> None:
    await session.execute(update(Outbox).where(Outbox.id == row_id).values(status="sending"))


async def mark_sent(session: AsyncSession, row_id: int, message_id: str, at: datetime) -> None:
    await session.execute(
        update(Outbox)
        .where(Outbox.id == row_id)
        .values(status="sent", sent_message_id=message_id, sent_at=at, last_error=None)
    )


async def retry_at(
    session: AsyncSession, row_id: int, at: datetime, error: str, *, count: bool
) -> None:
    """Back to pending until `at`; `count` adds an attempt (a 429 is no failed attempt)."""
    values: dict[str, Any] = {"status": "pending", "next_attempt_at": at, "last_error": error[:500]}
    if count:
        values["attempts"] = Outbox.attempts + 1
    await session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))


async def give_up(session: AsyncSession, row_id: int, status: str, error: str) -> None:
    await session.execute(
        update(Outbox).where(Outbox.id == row_id).values(status=status, last_error=error[:500])
    )


async def move_chat(session: AsyncSession, row_id: int, chat: Chat) -> None:
    await session.execute(
        update(Outbox).where(Outbox.id == row_id).values(chat_id=chat.id, status="pending")
    )


async def release_all_claims(session: AsyncSession) -> int:
    """On start with SQLite (one process): rows a killed process left claimed or in flight
    go again."""
    result = await session.execute(
        update(Outbox).where(Outbox.status.in_(("claimed", "sending"))).values(status="pending")
    )
    return result.rowcount or 0


async def rows(session: AsyncSession) -> list[Outbox]:
    return list(await session.scalars(select(Outbox).order_by(Outbox.id)))
