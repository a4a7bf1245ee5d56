"""Who speaks where, read once and kept between messages while nothing about it changed.

Every message needs the account with its person, memberships and their units (for Actor),
the chat with its unit, and the dialog of that account in that chat. The first two rarely
change; the dialog changes at every step. So accounts and chats are cached in the process,
tagged with the `identity_version` read when they were loaded, and each message reads the
version, the dialog and (for a read session) whether the update was seen, in one statement.
Database triggers move the version on any change of membership, person, account, unit or
chat (migration 0014), from this process or another one (the CLI, a second bot process), so
no code path can forget to invalidate: at worst a change elsewhere costs each cached entry
one reload. Cached objects never enter a session: each message gets copies
(`Session.merge(load=False)`, no SQL) that it may change like freshly loaded ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import seen
from storage.models import Account, Chat, DialogState, IdentityVersion


@dataclass(frozen=True)
class Check:
    """What the first statement of a message says."""

    version: int
    seen: bool
    """The update is already in seen_update (only asked in read sessions)."""
    dialog: DialogState | None
    """The dialog of the cached account in the cached chat (None: none, or not asked)."""


async def check(
    session: AsyncSession,
    update: tuple[str, str] | None,
    account_id: int | None,
    chat_id: int | None,
) -> Check:
    """The identity version; with `update` (platform, key), whether it was seen; with the ids
    of a cached account and chat, the dialog there. One statement."""
    seen_column = seen.was_seen(*update) if update is not None else false()
    if account_id is None or chat_id is None:
        plain = (
            await session.execute(select(IdentityVersion.version, seen_column.label("seen")))
        ).one()
        return Check(plain[0], bool(plain[1]), None)
    in_progress = (DialogState.account_id == account_id) & (DialogState.chat_id == chat_id)
    row = (
        await session.execute(
            select(IdentityVersion.version, seen_column.label("seen"), DialogState)
            .select_from(IdentityVersion)
            .outerjoin(DialogState, in_progress)
        )
    ).one()
    return Check(row[0], bool(row[1]), row[2])


class IdentityCache:
    """Accounts (with person, memberships, units) and chats (with unit) of this process, each
    valid for the identity version it was loaded under. Bounded: the oldest go first."""

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self._accounts: dict[tuple[str, str], tuple[int, Account]] = {}
        self._chats: dict[tuple[str, str], tuple[int, Chat]] = {}

    def account(self, platform: str, user_id: str, version: int) -> Account | None:
        entry = self._accounts.get((platform, user_id))
        return entry[1] if entry is not None and entry[0] == version else None

    def chat(self, platform: str, chat_id: str, version: int) -> Chat | None:
        entry = self._chats.get((platform, chat_id))
        return entry[1] if entry is not None and entry[0] == version else None

    def ids(self, platform: str, user_id: str, chat_id: str) -> tuple[int | None, int | None]:
        """The ids of the cached account and chat, whatever their version (for `check`)."""
        account = self._accounts.get((platform, user_id))
        chat = self._chats.get((platform, chat_id))
        return (
            account[1].id if account is not None else None,
            chat[1].id if chat is not None else None,
        )

    def keep(self, version: int, account: Account, chat: Chat) -> None:
        """Remember what a committed transaction loaded under `version` (a change it made
        itself moved the version, so its own copies are never served)."""
        _put(self._accounts, (account.platform, account.platform_user_id), version, account)
        _put(self._chats, (chat.platform, chat.platform_chat_id), version, chat)
        for cache in (self._accounts, self._chats):
            while len(cache) > self.limit:
                del cache[next(iter(cache))]

    def clear(self) -> None:
        self._accounts.clear()
        self._chats.clear()


def _put(cache: dict, key: tuple[str, str], version: int, value: object) -> None:
    cache.pop(key, None)
    cache[key] = (version, value)


async def attach(session: AsyncSession, account: Account, chat: Chat) -> tuple[Account, Chat]:
    """Copies of cached objects in `session`, as if just loaded, without a statement."""
    return (
        await session.merge(account, load=False),
        await session.merge(chat, load=False),
    )
