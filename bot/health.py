"""Each channel's sends watched for the status view: a send that goes through marks the
platform up; a network error, a platform that asks to wait or a spent quota marks it down
with the error.

Per-chat refusals (a blocked bot, a message refused) say nothing about the platform and are
not counted. The database row (storage/channel_state.py) is written when the state or the
error changes, and otherwise at most once a minute, so a busy dispatcher adds almost no
writes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.delivery import QuotaExceeded, RetryLater, Sender, Transient
from handlers.messages import Reply
from storage import channel_state
from storage.db import Database

log = logging.getLogger(__name__)
REFRESH = timedelta(minutes=1)


class Watched:
    """A Sender that reports how its sends go; otherwise the channel it wraps."""

    def __init__(
        self, platform: str, sender: Sender, db: Database, clock: Callable[[], datetime]
    ) -> None:
        self.platform, self.sender, self.db, self.clock = platform, sender, db, clock
        self.buttons = sender.buttons
        self._written: tuple[bool, str | None] | None = None
        self._written_at: datetime | None = None

    async def send(self, chat_id: str, reply: Reply, *, push: bool = False) -> str:
        try:
            sent = await self.sender.send(chat_id, reply, push=push)
        except (RetryLater, QuotaExceeded, Transient) as error:
            await self.note(up=False, error=str(error))
            raise
        await self.note(up=True, error=None)
        return sent

    async def note(self, *, up: bool, error: str | None) -> None:
        """Write the state when it changed, or when the last write is a minute old. A failure
        to write is logged: the send's own outcome matters more."""
        now = self.clock()
        state = (up, error)
        fresh = self._written_at is not None and now - self._written_at < REFRESH
        if state == self._written and fresh:
            return
        try:
            async with self.db.transaction() as session:
                await channel_state.note(session, self.platform, up=up, error=error, at=now)
        except Exception:
            log.exception("could not record the state of the %s channel", self.platform)
            return
        self._written, self._written_at = state, now
