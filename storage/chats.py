"""Chats the bot is in, and the unit each group chat is linked to."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from storage.limits import clip
from storage.models import Account, Chat, DialogState, Person
from storage.rowcount import rowcount


def _chat_with_unit(platform: str, chat_id: str) -> Select[Chat]:
    """The chat of this platform id with its unit joined in: handlers read `chat.unit`, and a
    lazy load is not possible in async code."""
    return (
        select(Chat)
        .where(Chat.platform == platform, Chat.platform_chat_id == chat_id)
        .options(joinedload(Chat.unit))
    )


async def _create_chat(
    session: AsyncSession, platform: str, chat_id: str, kind: str, title: str | None
) -> Chat:
    """A chat seen for the first time, linked to no unit (`unit=None`) nor topic yet: handlers
    may read `chat.unit` and `chat.thread_id` at once, and nothing needs to be read back after
    the insert (a column left unset would be, lazily, which async code cannot do)."""
    title = clip(title, Chat.title) if title else title
    chat = Chat(platform=platform, platform_chat_id=chat_id, kind=kind, title=title, unit=None,
                thread_id=None)  # fmt: skip
    session.add(chat)
    await session.flush()
    return chat


def seen_again(chat: Chat, title: str | None) -> None:
    """A known chat spoke: its title follows the platform's, and a chat the bot was removed
    from (or blocked in) is active again. Unchanged values are not written."""
    title = clip(title, Chat.title) if title else title
    if title and chat.title != title:
        chat.title = title
    if not chat.active:
        chat.active = True


async def get_or_create_chat(
    session: AsyncSession, platform: str, chat_id: str, kind: str, title: str | None = None
) -> Chat:
    chat = await session.scalar(_chat_with_unit(platform, chat_id))
    if chat is None:
        return await _create_chat(session, platform, chat_id, kind, title)
    seen_again(chat, title)
    return chat


async def get_or_create_chat_with_dialog(
    session: AsyncSession,
    platform: str,
    chat_id: str,
    kind: str,
    title: str | None,
    account_id: int,
) -> tuple[Chat, DialogState | None]:
    """As get_or_create_chat, and the dialog `account_id` has in progress in this chat (what
    dialogs.current_dialog gives), fetched in the same statement: the router needs both for
    every message, and on SQLite every statement is paid for inside the single-writer lock.
    A chat seen for the first time has no dialog yet."""
    in_progress = (DialogState.chat_id == Chat.id) & (DialogState.account_id == account_id)
    row = (
        await session.execute(
            _chat_with_unit(platform, chat_id)
            .add_columns(DialogState)
            .outerjoin(DialogState, in_progress)
        )
    ).one_or_none()
    if row is None:
        return await _create_chat(session, platform, chat_id, kind, title), None
    chat, dialog = row
    seen_again(chat, title)
    return chat, dialog


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
    if new.unit_id is None:  # the link (unit and topic) moves over
        new.unit_id, new.thread_id = old.unit_id, old.thread_id
    new.title = new.title or old.title
    new.active = True
    old.active = False
    old.unit_id = old.thread_id = None
    return new


async def leave_topic(session: AsyncSession, platform: str, chat_id: str, thread_id: str) -> bool:
    """The forum topic `thread_id` of this chat is gone (deleted): pushes go to the chat's
    main thread from now on, the unit stays linked. True when this call cleared it (the
    topic was still the linked one), so that only the first one to notice says so."""
    result = await session.execute(
        update(Chat)
        .where(
            Chat.platform == platform,
            Chat.platform_chat_id == chat_id,
            Chat.thread_id == thread_id,
        )
        .values(thread_id=None)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


PRIVATE_CHAT_OF_ACCOUNT = (Account.platform == Chat.platform) & (
    Account.platform_user_id == Chat.platform_chat_id
)
"""Join condition: a private chat's id is its user's id on the platform (Telegram, Zalo)."""


async def reader_languages(session: AsyncSession, chat_ids: list[int]) -> dict[int, str]:
    """The language chosen by the person behind each private chat among `chat_ids` (those who
    chose one): pushes into a private chat speak its reader's language, groups the bot's."""
    if not chat_ids:
        return {}
    rows = await session.execute(
        select(Chat.id, Person.language)
        .join(Account, PRIVATE_CHAT_OF_ACCOUNT)
        .join(Person, Person.id == Account.person_id)
        .where(Chat.id.in_(chat_ids), Chat.kind == "private", Person.language.is_not(None))
    )
    return {chat_id: language for chat_id, language in rows.all() if language}


async def private_chat(
    session: AsyncSession, person_id: int, platform: str | None = None
) -> Chat | None:
    """This person's private chat with the bot on `platform` (any platform when None: the
    first, when they use two apps), where a message meant for them alone goes; None when
    they have no active one."""
    query = (
        select(Chat)
        .join(Account, PRIVATE_CHAT_OF_ACCOUNT)
        .where(Account.person_id == person_id, Chat.kind == "private", Chat.active.is_(True))
    )
    if platform is not None:
        query = query.where(Account.platform == platform)
    return await session.scalar(query.order_by(Chat.id).limit(1))


async def chats_of(
    session: AsyncSession, platform: str, platform_user_id: str, unit_ids: list[int]
) -> list[int]:
    """Ids of the private chat of this account and of the chats linked to these units."""
    rows = await session.scalars(
        select(Chat.id).where(
            (Chat.platform == platform) & Chat.platform_chat_id.in_([platform_user_id])
            | Chat.unit_id.in_(unit_ids)
        )
    )
    return list(rows)


async def linked_groups(session: AsyncSession, unit_ids: Sequence[int] | None = None) -> list[Chat]:
    """The active group chats linked to a unit (to one of `unit_ids` when given, None: any),
    which hear announcements, unit and "all" reminders and commemorations; by id."""
    query = select(Chat).where(
        Chat.active.is_(True), Chat.kind == "group", Chat.unit_id.is_not(None)
    )
    if unit_ids is not None:
        query = query.where(Chat.unit_id.in_(list(unit_ids)))
    return list(await session.scalars(query.order_by(Chat.id)))
