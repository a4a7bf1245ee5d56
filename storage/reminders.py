"""Reminders and who may see or cancel them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audience
from storage.chats import reader_languages
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


async def target_readers(
    session: AsyncSession, reminder: Reminder
) -> list[tuple[Chat, str | None]]:
    """The chats a reminder goes to now, each with its reader's language (None: the bot's):
    its chat; or for a unit (all units) their groups and, privately, the members no group
    reaches (storage/audience.py)."""
    if reminder.target == "chat":
        chat = await session.get(Chat, reminder.chat_id)
        if chat is None or not chat.active:
            return []
        return [(chat, (await reader_languages(session, [chat.id])).get(chat.id))]
    units = None if reminder.target == "all" else [reminder.unit_id] if reminder.unit_id else []
    return (await audience.of_units(session, units)).readers
