"""The outbox: messages the bot promised, one row per message per chat.

Delivery guarantee. Any number of dispatchers may run on one database (`run`, a cron
`dispatch`, several processes behind a load balancer), on SQLite as on PostgreSQL:

- A dispatcher claims due rows in one transaction (picked `FOR UPDATE SKIP LOCKED` on
  PostgreSQL, under SQLite's single writer, then `UPDATE … WHERE <free> RETURNING`), writing
  its own name (`claimed_by`) and the time (`claimed_at`). A row is free when it is pending,
  or when its claim is older than the lease: nothing else ever takes a claim away, in
  particular not a dispatcher that starts.
- Every later step is compare-and-set on the claim: the row goes "sending" just before its
  request, and "sent" (with the platform's message id), back to pending or failed just after,
  only while `claimed_by` is still this dispatcher. A dispatcher whose claim was taken over
  sends nothing more of that row.
- A live dispatcher renews its claims every third of the lease while it works, so its rows
  never look abandoned however long a send takes (a 429 waited out, a slow network). The lease
  (`BOT_OUTBOX_LEASE_SECONDS`, at least MIN_LEASE) only decides how soon the rows of a process
  that died are taken over.

Hence: a row marked sent is never sent again; a due row is sent by the next dispatcher that
runs (a dead process's claims after its lease); a row is sent exactly once, except a row whose
request was in flight when its dispatcher died or stalled for longer than the lease without
renewing ("sending"): Telegram may have it already, and it goes again, so at least once for
those (at most the dispatcher's concurrency per dead process).

Sent, failed and dead rows are deleted KEPT after they were sent or last due: the texts hold
names and personal reminders.

What a row holds is a `Reply` (handlers/messages.py), the same message a handler answers with,
in its JSON form (`Reply.to_json()`, which storage takes as it is): `text` its safe-HTML text,
`options` its options as {"label", "payload"} (the form rows have always had, so rows written
before read the same). The dispatcher reads it back (`message_of`, `Reply.from_json`) and sends
it through the channel's `send`, like a direct answer. Pushes carry no files: one announcement
to 3,000 chats would store the file 3,000 times (a file goes out as a download link instead).
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from storage.models import Chat, Outbox
from storage.rowcount import rowcount

LEASE = timedelta(minutes=2)
"""A claim not renewed for this long belongs to a process that died: the row may be taken."""
MIN_LEASE = timedelta(seconds=30)
"""The shortest lease the settings accept: well above a stall of the event loop or of the
database (SQLite's busy timeout is 10 s), so that renewal every third of it cannot miss."""
MAX_LEASE = timedelta(hours=1)
"""The longest: a dead process's messages wait at most this long for another dispatcher."""
KEPT = timedelta(days=30)
"""How long sent (and failed, dead) rows are kept: long enough to answer "did it go out?"."""
FINISHED = ("sent", "failed", "dead")
IN_HAND = ("claimed", "sending")


async def enqueue(
    session: AsyncSession,
    *,
    chat_id: int,
    kind: str,
    dedupe_key: str,
    due_at: datetime,
    message: dict[str, Any] | None = None,
    text: str | None = None,
    late: bool = False,
    download_id: int | None = None,
) -> bool:
    """Add a message unless one with this key exists; True when it was added. `message` is a
    Reply's `to_json()`; `text` alone stands for a reply of that safe HTML without options.
    `download_id`: a file kept once (storage/downloads.py) that the message carries, for a
    push to a few chats (a poll's results chart), never stored again per chat."""
    if message is None:
        if text is None:
            raise TypeError("enqueue needs a message or a text")
        message = {"text": text}
    if message.get("file"):
        raise ValueError("pushes carry no files: send a download link in the text")
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    result = await session.execute(
        insert(Outbox)
        .values(
            chat_id=chat_id,
            kind=kind,
            text=message["text"],
            options=list(message.get("options") or []),
            dedupe_key=dedupe_key[:200],
            due_at=due_at,
            next_attempt_at=due_at,
            status="pending",
            attempts=0,
            late=late,
            created_at=due_at,
            download_id=download_id,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
    )
    return rowcount(result) == 1


async def enqueue_many(session: AsyncSession, messages: list[dict[str, Any]]) -> None:
    """`enqueue` for many messages in one statement (a producer's hundreds of nudges): each a
    dict of enqueue's keyword arguments; those whose key exists are left out."""
    if not messages:
        return
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [
        {
            "chat_id": m["chat_id"],
            "kind": m["kind"],
            "text": m["text"],
            "options": m.get("options") or [],
            "dedupe_key": m["dedupe_key"][:200],
            "due_at": m["due_at"],
            "next_attempt_at": m["due_at"],
            "status": "pending",
            "attempts": 0,
            "late": m.get("late", False),
            "created_at": m["due_at"],
        }
        for m in messages
    ]
    await session.execute(
        insert(cast(Table, Outbox.__table__)).on_conflict_do_nothing(index_elements=["dedupe_key"]),
        rows,
    )


def message_of(row: Outbox) -> dict[str, Any]:
    """The message a row holds, in `Reply.to_json()`'s form (with its kept file, if any: the
    row must have been read with its download, as `claim` reads it)."""
    message: dict[str, Any] = {"text": row.text, "options": list(row.options or [])}
    if row.download_id is not None and row.download is not None:
        kept = row.download
        message["file"] = {
            "filename": kept.filename,
            "data": base64.b64encode(kept.data).decode("ascii"),
            "kind": "photo" if kept.filename.lower().endswith(".png") else "document",
        }
    return message


async def claim(
    session: AsyncSession,
    now: datetime,
    limit: int,
    *,
    owner: str,
    at: datetime,
    lease: timedelta = LEASE,
) -> list[Outbox]:
    """Take up to `limit` rows due by `now` for `owner`: pending ones, and those whose claim was
    last renewed before `at - lease`. The rows are picked `FOR UPDATE SKIP LOCKED` (PostgreSQL:
    another transaction taking rows skips these; SQLite: BEGIN IMMEDIATE makes this
    transaction the only writer), then taken by an UPDATE that checks again that each is free
    and returns those it took: two dispatchers never both take a row.

    Two statements, not `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)`: in
    PostgreSQL the subquery, run again while the UPDATE goes, skips the rows the UPDATE has
    just changed and takes the next ones, far beyond the limit."""
    free = or_(
        Outbox.status == "pending",
        Outbox.status.in_(IN_HAND) & (Outbox.claimed_at <= at - lease),
    )
    due = (
        select(Outbox.id)
        .where(Outbox.next_attempt_at <= now, free)
        .order_by(Outbox.next_attempt_at, Outbox.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    picked = list(await session.scalars(due))
    if not picked:
        return []
    taken = await session.execute(
        update(Outbox)
        .where(Outbox.id.in_(picked), Outbox.next_attempt_at <= now, free)
        .values(status="claimed", claimed_by=owner, claimed_at=at)
        .returning(Outbox.id)
        .execution_options(synchronize_session=False)
    )
    ids = list(taken.scalars())
    if not ids:
        return []
    rows = await session.scalars(
        select(Outbox)
        .where(Outbox.id.in_(ids))
        .options(joinedload(Outbox.chat), joinedload(Outbox.download))
        .order_by(Outbox.next_attempt_at, Outbox.id)
        .execution_options(populate_existing=True)
    )
    return list(rows)


def _held(row_id: int, owner: str, *states: str):
    """The row, while this dispatcher still holds it in one of `states`."""
    return (Outbox.id == row_id, Outbox.claimed_by == owner, Outbox.status.in_(states or IN_HAND))


async def _set(session: AsyncSession, conditions: tuple[Any, ...], **values: Any) -> bool:
    result = await session.execute(
        update(Outbox)
        .where(*conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


async def mark_sending(session: AsyncSession, row_id: int, *, owner: str, at: datetime) -> bool:
    """Just before the request; False when the claim was taken over (then do not send)."""
    return await _set(session, _held(row_id, owner, "claimed"), status="sending", claimed_at=at)


async def mark_sent(
    session: AsyncSession, row_id: int, message_id: str, at: datetime, *, owner: str
) -> bool:
    return await _set(session, _held(row_id, owner, "sending"), status="sent",
                      sent_message_id=message_id, sent_at=at, last_error=None)  # fmt: skip


async def retry_at(
    session: AsyncSession, row_id: int, at: datetime, error: str, *, count: bool, owner: str
) -> bool:
    """Back to pending until `at`; `count` adds an attempt (a 429 is no failed attempt)."""
    values: dict[str, Any] = {"status": "pending", "next_attempt_at": at, "last_error": error[:500]}
    if count:
        values["attempts"] = Outbox.attempts + 1
    return await _set(session, _held(row_id, owner), **values)


async def give_up(
    session: AsyncSession, row_id: int, status: str, error: str, *, owner: str
) -> bool:
    return await _set(session, _held(row_id, owner), status=status, last_error=error[:500])


async def move_chat(session: AsyncSession, row_id: int, chat: Chat, *, owner: str) -> bool:
    return await _set(session, _held(row_id, owner), chat_id=chat.id, status="pending")


async def renew(session: AsyncSession, owner: str, at: datetime) -> int:
    """Keep this dispatcher's claims from looking abandoned while it is still working."""
    result = await session.execute(
        update(Outbox)
        .where(Outbox.claimed_by == owner, Outbox.status.in_(IN_HAND))
        .values(claimed_at=at)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result)


async def purge(session: AsyncSession, before: datetime) -> int:
    """Delete rows that are done with (sent, failed, dead) since before `before`: sent rows by
    when they were sent, the others by when their last attempt was due."""
    result = await session.execute(
        delete(Outbox)
        .where(
            Outbox.status.in_(FINISHED),
            func.coalesce(Outbox.sent_at, Outbox.next_attempt_at) < before,
        )
        .execution_options(synchronize_session=False)
    )
    return rowcount(result)


async def dead_letters(session: AsyncSession) -> list[tuple[str, str, int]]:
    """(platform, reason, rows) of the messages given up (status dead), the most first: what a
    status view shows admins. The reason is the row's last error, which the dispatcher writes
    without chat ids or times (a Zalo quota: "… (gave up after 6 attempts)"), so alike rows
    group together. Kept KEPT days, like every finished row."""
    result = await session.execute(
        select(Chat.platform, Outbox.last_error, func.count(Outbox.id))
        .join(Chat, Chat.id == Outbox.chat_id)
        .where(Outbox.status == "dead")
        .group_by(Chat.platform, Outbox.last_error)
        .order_by(func.count(Outbox.id).desc(), Chat.platform, Outbox.last_error)
    )
    return [(platform, error or "", count) for platform, error, count in result.all()]


async def rows(session: AsyncSession) -> list[Outbox]:
    return list(await session.scalars(select(Outbox).order_by(Outbox.id)))
