"""A fake push channel with the failure modes of a real one (429, 5xx, 403, migration)."""

from __future__ import annotations

from typing import Any

from bot.delivery import ChatGone, ChatMoved, DeliveryError, Permanent, RetryLater, Transient


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

    def to(self, chat_id: str) -> list[str]:
        return [text for chat, text, _ in self.delivered if chat == chat_id]


__all__ = ["ChatGone", "ChatMoved", "FakeChannel", "Permanent", "RetryLater", "Transient"]
