"""A fake push channel with the failure modes of a real one (429, 5xx, 403, migration)."""

from __future__ import annotations

from typing import Any

from bot.delivery import ChatGone, ChatMoved, DeliveryError, Permanent, RetryLater, Transient
from handlers.messages import Reply


class FakeChannel:
    def __init__(self, *, buttons: bool = True) -> None:
        self.buttons = buttons
        self.delivered: list[tuple[str, str, list[dict[str, Any]]]] = []
        self.failures: dict[str, list[DeliveryError]] = {}

    def fail(self, chat_id: str, *errors: DeliveryError) -> None:
        self.failures.setdefault(chat_id, []).extend(errors)

    async def deliver(self, chat_id: str, text: str, options: list[dict[str, Any]]) -> str:
        queue = self.failures.get(chat_id)
        if queue:
            raise queue.pop(0)
        self.delivered.append((chat_id, text, options))
        return f"m{len(self.delivered)}"

    async def send(self, chat_id: str, reply: Reply, *, push: bool = False) -> str:
        """The channel protocol's send (bot/delivery.py): recorded like `deliver`, the options
        in their stored form."""
        return await self.deliver(chat_id, str(reply.text), [o.to_json() for o in reply.options])

    def to(self, chat_id: str) -> list[str]:
        return [text for chat, text, _ in self.delivered if chat == chat_id]


__all__ = ["ChatGone", "ChatMoved", "FakeChannel", "Permanent", "RetryLater", "Transient"]
