"""What a handler gets: the message, the person behind it, the session and the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.messages import Incoming, Option, Reply, Safe, join
from storage import audit, dialogs
from storage.models import Account, Chat, Person
from usecases.access import Actor
from usecases.errors import Who
from usecases.library import CampaignLibrary


class Translate(Protocol):
    def __call__(self, key: str, /, **values: object) -> Safe: ...


class Catalog(Protocol):
    """The messages in every language (built by bot.i18n from locales/)."""

    languages: tuple[str, ...]

    def translator(self, language: str) -> Translate: ...


class PlatformAbilities(Protocol):
    """What a platform can do for the chat besides carrying messages (bot/delivery.Channel)."""

    platform: str

    def invite_link(self, code: str) -> str | None:
        """A link that opens the bot with the invite code typed for you (Telegram's t.me)."""
        ...

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool | None:
        """Whether the user administers the group chat; None where the platform cannot say."""
        ...


class Platforms:
    """The platforms the bot runs on now, by name. Filled once at start (bot/launch.py) and
    read by handlers; a platform not added (the console, a test without channels) simply has
    no deep links and no group admins to ask."""

    def __init__(self) -> None:
        self._by_name: dict[str, PlatformAbilities] = {}

    def add(self, platform: PlatformAbilities) -> None:
        self._by_name[platform.platform] = platform

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def invite_link(self, name: str, code: str) -> str | None:
        platform = self._by_name.get(name)
        return platform.invite_link(code) if platform is not None else None

    async def is_chat_admin(self, name: str, chat_id: str, user_id: str) -> bool | None:
        platform = self._by_name.get(name)
        return await platform.is_chat_admin(chat_id, user_id) if platform is not None else None


@dataclass(frozen=True)
class Services:
    """Long-lived services, made once at start-up and passed to every handler."""

    catalog: Catalog
    admins: frozenset[str]
    zone: ZoneInfo
    default_language: str
    clock: Callable[[], datetime]
    library: CampaignLibrary = field(default_factory=CampaignLibrary)
    """The campaign documents, parsed and indexed once, and the calendar with the packs the
    agency chose (open_app builds it from BOT_PROVINCE and BOT_SECTOR)."""
    platforms: Platforms = field(default_factory=lambda: Platforms())
    """What the running platforms can tell the chat beyond sending (a deep link, a group's
    admins): bot/launch.py adds each channel once it is connected."""


@dataclass
class Context:
    incoming: Incoming
    session: AsyncSession
    account: Account
    person: Person
    chat: Chat
    actor: Actor
    language: str
    t: Translate
    services: Services
    dialog_changed: bool = False
    """A dialog was asked or ended while handling this message (the router tells a dialog
    that still waits from one that was replaced)."""

    def now(self) -> datetime:
        return self.services.clock()

    def reply(self, key: str, /, *, options: tuple[Option, ...] = (), **values: object) -> Reply:
        return Reply(self.t(key, **values), options=options, key=key)

    @property
    def actor_ref(self) -> str:
        return self.incoming.account_ref

    @property
    def who(self) -> Who:
        """This person as the use cases name who acts (written to the audit log)."""
        return Who(self.actor_ref, self.person.id, self.now())

    async def ask(self, dialog: str, step: str, reply: Reply, **data: Any) -> Reply:
        """Show a question and remember that the next answer in this chat belongs to `dialog`.

        The payloads of the options are kept so that "2" typed on a console or Zalo means the
        second option, even after a restart.
        """
        data["_options"] = [option.payload for option in reply.options]
        await dialogs.save_dialog(self.session, self.account.id, self.chat.id, dialog, step, data)
        self.dialog_changed = True
        if dialog in dialogs.OFFERS:  # any other message ends an offer: nothing to leave
            return reply
        hint = self.t("dialog.how_to_leave")
        return replace(reply, text=join([reply.text, hint], "\n\n"))

    async def audit(
        self, action: str, target: str | None = None, detail: dict[str, Any] | None = None
    ) -> None:
        """Record a privileged action of this person (who, what, when) in the audit log."""
        await audit.record(
            self.session,
            actor=self.actor_ref,
            actor_id=self.person.id,
            action=action,
            target=target,
            detail=detail,
            at=self.now(),
        )

    async def is_chat_admin(self) -> bool | None:
        """Whether the sender administers this group on the platform; None where unknowable."""
        incoming = self.incoming
        return await self.services.platforms.is_chat_admin(
            incoming.platform, incoming.chat_id, incoming.user_id
        )

    async def end_dialog(self) -> None:
        self.dialog_changed = True
        await dialogs.end_dialog(self.session, self.account.id, self.chat.id)
