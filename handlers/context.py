"""What a handler gets: the message, the person behind it, the session and the services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.messages import Incoming, Option, Reply, Safe
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
    invite_links: dict[str, Callable[[str], str]] = field(default_factory=dict)
    """Per platform, the deep link that opens the bot with an invite code (Telegram's t.me)."""
    chat_admin_checks: dict[str, Callable[[str, str], Awaitable[bool]]] = field(
        default_factory=dict
    )
    """Per platform, whether a user is an admin of a group chat (Telegram's getChatMember);
    channels register theirs at start-up."""


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
        return reply

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
        check = self.services.chat_admin_checks.get(self.incoming.platform)
        if check is None:
            return None
        return await check(self.incoming.chat_id, self.incoming.user_id)

    async def end_dialog(self) -> None:
        await dialogs.end_dialog(self.session, self.account.id, self.chat.id)
