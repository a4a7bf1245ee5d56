"""Updates of different chats at the same time, those of one chat in the order they came.

Three hundred staff must not wait for each other, but a dialog's steps (title, then
commitments, then "xong") must be handled in the order they were typed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Hashable


class ChatLocks:
    """One FIFO lock per chat, forgotten once nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}
        """Per chat: its lock and how many tasks hold or wait for it."""

    @contextlib.asynccontextmanager
    async def hold(self, chat: Hashable) -> AsyncIterator[None]:
        lock, users = self._locks.get(chat, (asyncio.Lock(), 0))
        self._locks[chat] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat]
            if users == 1:
                del self._locks[chat]
            else:
                self._locks[chat] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)
