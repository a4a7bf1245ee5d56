"""What every channel is to the rest of the bot, and what it tells the dispatcher when a message
cannot go out right now.

A channel (Telegram, Zalo, the console) turns the platform's updates into `Incoming` for the
router and sends `Reply`s back. It sends a person's answer and the dispatcher's push (a
reminder, an announcement, read back from the outbox) through the same `send`; `push=True` only
lowers its priority where the channel paces its sends. Each channel maps its own platform's
errors to the outcomes below inside itself, so that neither the dispatcher nor bot/launch.py
knows any platform's exceptions.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from handlers.messages import Reply
from storage import chats
from storage.db import Database

if TYPE_CHECKING:  # bot.web imports tornado: only the sub-commands that serve need it
    from bot.app import App
    from bot.web import Hook

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    pass


class RetryLater(DeliveryError):
    """The platform asked to slow down (429 retry_after)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class QuotaExceeded(DeliveryError):
    """The platform refuses for a spent quota and does not say for how long (Zalo's 429 has
    no retry_after): the n-th refusal of a message waits `delays[n]`, longer each time, so a
    spent quota is not hammered; past the last delay the message is given up (dead) with
    this reason, for admins to count, rather than kept for ever."""

    def __init__(self, reason: str, delays: Sequence[float]) -> None:
        super().__init__(reason)
        self.delays = tuple(delays)


class Transient(DeliveryError):
    """A network error or a 5xx: try again with back-off."""


class ChatGone(DeliveryError):
    """403: the bot was removed from the chat or blocked by the user."""


class ChatMoved(DeliveryError):
    """The group became a supergroup with a new id."""

    def __init__(self, new_chat_id: str) -> None:
        super().__init__(f"moved to {new_chat_id}")
        self.new_chat_id = new_chat_id


class TopicGone(DeliveryError):
    """The forum topic the message was addressed to (`Reply.thread`) no longer exists (it was
    deleted); the chat itself is still there, and its main thread takes messages."""


class Permanent(DeliveryError):
    """The platform refuses this message for good (400)."""


class Sender(Protocol):
    """What the dispatcher needs of a channel."""

    buttons: bool
    """Whether the platform shows options as buttons; without, they are numbered lines and the
    dispatcher remembers them so that "1" typed back chooses the first."""

    async def send(self, chat_id: str, reply: Reply, *, push: bool = False) -> str:
        """Send `reply` to a chat: the platform's id of the last message sent ("" when it has
        none). Failures are raised as the DeliveryErrors above; a push (`push=True`) waits
        behind the answers to people where the channel paces its sends."""
        ...


class Channel(Sender, Protocol):
    """A platform the bot runs on: what bot/launch.py starts, serves and stops."""

    platform: str
    secret_header: str
    """The header in which the platform sends the webhook secret."""

    @classmethod
    def from_settings(cls, app: App) -> Channel | None:
        """The channel as the settings configure it, or None when its token is not set."""
        ...

    async def connect(self) -> None:
        """Connect for sending only (`python -m bot dispatch`); a wrong token or an unreachable
        platform is a UserError with one line for the user."""
        ...

    async def start(self, hook: Hook | None = None) -> None:
        """Connect and receive: polling, or with a Hook have the platform post updates to the
        web server, which hands them to `feed`. Fails as `connect` does."""
        ...

    async def feed(self, body: dict[str, Any]) -> None:
        """One webhook request's body (bot/web.py)."""
        ...

    async def stop(self) -> None: ...

    def invite_link(self, code: str) -> str | None:
        """A deep link that opens the bot with this invite code; None where there is none."""
        ...

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool | None:
        """Whether the user administers the group chat; None where the platform cannot say."""
        ...


async def answer(
    channel: Sender, db: Database, platform: str, chat_id: str, replies: Sequence[Reply]
) -> None:
    """A person's answers, in order, through `channel.send`. A group that became a supergroup
    (ChatMoved) is followed once: the chat's row takes the new id (its unit link kept), and
    the reply goes again to the new id, as do the rest. A deleted topic (TopicGone) is left
    once: the reply goes to the chat's main thread, as do the rest, and the chat's pushes
    too when it was their topic. A chat that is gone is marked inactive (no more pushes go
    there); any other failure (or a second move) is logged and the rest of the answer
    dropped, since its later parts would make no sense alone."""
    moved = topic_gone = False
    for reply in replies:
        if topic_gone:
            reply = replace(reply, thread=None)
        while True:
            try:
                await channel.send(chat_id, reply)
                break
            except ChatMoved as error:
                if moved:
                    log.warning("could not answer in %s chat %s: %s again", platform, chat_id,
                                error)  # fmt: skip
                    return
                moved = True
                log.info("%s chat %s %s; answering there", platform, chat_id, error)
                async with db.transaction() as session:
                    await chats.migrate(session, platform, chat_id, error.new_chat_id)
                chat_id = error.new_chat_id
            except TopicGone as error:
                if topic_gone or reply.thread is None:
                    log.warning("could not answer in %s chat %s: %s", platform, chat_id, error)
                    return
                topic_gone = True
                async with db.transaction() as session:
                    linked = await chats.leave_topic(session, platform, chat_id, reply.thread)
                log_topic_gone(platform, chat_id, reply.thread, error, linked)
                reply = replace(reply, thread=None)
            except ChatGone as error:
                log.info("%s chat %s is gone (%s); marking it inactive", platform, chat_id, error)
                async with db.transaction() as session:
                    await chats.set_active(session, platform, chat_id, False)
                return
            except DeliveryError as error:
                log.warning("could not answer in %s chat %s: %s", platform, chat_id, error)
                return


def log_topic_gone(
    platform: str, chat_id: str, thread: str, error: DeliveryError, linked: bool
) -> None:
    """One warning when a linked topic is found gone (whoever finds it first clears the link,
    so it is said once); a passing mention otherwise."""
    if linked:
        log.warning("%s chat %s: topic %s is gone (%s); its pushes go to the main thread now",
                    platform, chat_id, thread, error)  # fmt: skip
    else:
        log.info("%s chat %s: topic %s is gone (%s); to the main thread instead",
                 platform, chat_id, thread, error)  # fmt: skip
