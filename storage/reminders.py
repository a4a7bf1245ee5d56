"""Reminders and who may see or cancel them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Chat, Reminder


async def create(session: AsyncSession, **values: object) -> Reminder:
    reminder = Reminder(**values)
    session.add(reminder)
    await session.flush()
    return reminder


async def due(session: AsyncSession, now: datetime) -> list[Reminder]:
    return list(
        await session.scalars(
            select(Reminder)
            .where(Reminder.active.is_(True), Reminder.next_at <= now)
            .order_by(Reminder.next_at, Reminder.id)
        )
    )


async def visible_to(
    session: AsyncSession, person_id: int, chat_ids: Sequence[int], unit_ids: Sequence[int]
) -> list[Reminder]:
    """Active reminders this person made, or that reach their chats or units."""
    return list(
        await session.scalars(
            select(Reminder)
            .where(
                Reminder.active.is_(True),
                or_(
                    Reminder.created_by == person_id,
                    Reminder.chat_id.in_(list(chat_ids)),
                    Reminder.unit_id.in_(list(unit_ids)),
                    Reminder.target == "all",
                ),
            )
            .order_by(Reminder.next_at)
        )
    )


async def find(session: AsyncSession, reminder_id: int) -> Reminder | None:
    return await session.get(Reminder, reminder_id)


async def target_chats(session: AsyncSession, reminder: Reminder) -> list[Chat]:
    """The chats a reminder goes to now: its chat, its unit's active groups, or all groups."""
    query = select(Chat).where(Chat.active.is_(True))
    if reminder.target == "chat":
        query = query.where(Chat.id == reminder.chat_id)
    elif reminder.target == "unit":
        query = query.where(Chat.unit_id == reminder.unit_id, Chat.kind == "group")
    else:
        query = query.where(Chat.kind == "group", Chat.unit_id.is_not(None))
    return list(await session.scalars(query.order_by(Chat.id)))
