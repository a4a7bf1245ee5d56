"""Chats the bot is in, and the unit each group chat is linked to."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from storage.models import Account, Chat, Person


async def get_or_create_chat(
    session: AsyncSession, platform: str, chat_id: str, kind: str, title: str | None = None
) -> Chat:
    chat = await session.scalar(
        select(Chat)
        .where(Chat.platform == platform, Chat.platform_chat_id == chat_id)
        .options(joinedload(Chat.unit))
    )
    if chat is None:
        chat = Chat(platform=platform, platform_chat_id=chat_id, kind=kind, title=title)
        session.add(chat)
        await session.flush()
        await session.refresh(chat, ["unit"])
        return chat
    if title and chat.title != title:
        chat.title = title
    if not chat.active:
        chat.active = True
    return chat


async def find_chat(session: AsyncSession, platform: str, chat_id: str) -> Chat | None:
    return await session.scalar(
        select(Chat).where(Chat.platform == platform, Chat.platform_chat_id == chat_id)
    )


async def set_active(session: AsyncSession, platform: str, chat_id: str, active: bool) -> bool:
    """Mark a chat (in)active: the bot was removed from it, or a user blocked the bot."""
    chat = await find_chat(session, platform, chat_id)
    if chat is None:
        return False
    chat.active = active
    return True


async def migrate(session: AsyncSession, platform: str, old_id: str, new_id: str) -> Chat | None:
    """A group became a supergroup with a new id: keep its unit link and title under the new id.

    When the bot has already seen the new id (a message arrived there first), the old row's
    link moves over and the old row is retired."""
    old = await find_chat(session, platform, old_id)
    if old is None:
        return None
    new = await find_chat(session, platform, new_id)
    if new is None:
        old.platform_chat_id = new_id
        return old
    new.unit_id = new.unit_id or old.unit_id
    new.title = new.title or old.title
    new.active = True
    old.active = False
    old.unit_id = None
    return new


async def reader_languages(session: AsyncSession, chat_ids: list[int]) -> dict[int, str]:
    """The language chosen by the person behind each private chat among `chat_ids` (those who
    chose one): pushes into a private chat speak its reader's language, groups the bot's."""
    if not chat_ids:
        return {}
    rows = await session.execute(
        select(Chat.id, Person.language)
        .join(
            Account,
            (Account.platform == Chat.platform)
            & (Account.platform_user_id == Chat.platform_chat_id),
        )
        .join(Person, Person.id == Account.person_id)
        .where(Chat.id.in_(chat_ids), Chat.kind == "private", Person.language.is_not(None))
    )
    return {chat_id: language for chat_id, language in rows.all() if language}
