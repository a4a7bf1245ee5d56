"""What a channel tells the dispatcher when a push message cannot go out right now."""

from __future__ import annotations

from typing import Any, Protocol


class DeliveryError(Exception):
    pass


class RetryLater(DeliveryError):
    """The platform asked to slow down (429 retry_after)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Transient(DeliveryError):
    """A network error or a 5xx: try again with back-off."""


class ChatGone(DeliveryError):
    """403: the bot was removed from the chat or blocked by the user."""


class ChatMoved(DeliveryError):
    """The group became a supergroup with a new id."""

    def __init__(self, new_chat_id: str) -> None:
        super().__init__(f"moved to {new_chat_id}")
        self.new_chat_id = new_chat_id


class Permanent(DeliveryError):
    """The platform refuses this message for good (400)."""


class Sender(Protocol):
    buttons: bool
    """Whether the platform shows options as buttons; without, they are numbered lines and the
    dispatcher remembers them so that "1" typed back chooses the first."""

    async def deliver(self, chat_id: str, text: str, options: list[dict[str, Any]]) -> str:
        """Send safe-HTML `text` (with option buttons) to a chat; the platform's message id."""
        ...
