"""Updates of one chat keep their order while different chats run side by side."""

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Update, User
from telegram import Message as TgMessage

from bot.channels.telegram import PerChatUpdateProcessor


def _update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, "private")
    sent = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    message = TgMessage(update_id, sent, chat, from_user=User(chat_id, "U", False), text="x")
    return Update(update_id, message=message)


async def test_one_chat_in_order_many_chats_at_once() -> None:
    """The first update of each of three chats waits until all three are running (so they
    must run at once); the later updates of a chat do not wait at all, so they would finish
    first if the processor let them overtake. Events, not sleeps: no timing involved."""
    processor = PerChatUpdateProcessor(16)
    seen: list[tuple[int, int]] = []
    all_three_running = asyncio.Barrier(3)

    async def work(update_id: int, chat_id: int) -> None:
        if update_id < 3:  # the first update of its chat
            await asyncio.wait_for(all_three_running.wait(), timeout=30)  # else: not at once
        seen.append((chat_id, update_id))

    jobs = [processor.process_update(_update(n, n % 3), work(n, n % 3)) for n in range(12)]
    await asyncio.gather(*jobs)
    for chat_id in range(3):
        order = [u for c, u in seen if c == chat_id]
        assert order == list(range(chat_id, 12, 3)), order
    assert len(processor._chats) == 0  # no lock is kept for a quiet chat
