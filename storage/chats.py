"""Chats the bot is in, and the unit each group chat is linked to."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Chat


async def get_or_create_chat(
    session: AsyncSession, platform: str, chat_id: str, kind: str, title: str | None = None
) -> Chat:
    chat = await session.scalar(
        select(Chat)
        .where(Chat.platform == platform, Chat.platform_chat_id == chat_id)
        .options(selectinload(Chat.unit))
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
