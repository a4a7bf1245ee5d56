"""Updates of one chat keep their order while different chats run side by side."""

import asyncio

from telegram import Chat, Update, User
from telegram import Message as TgMessage

from bot.channels.telegram import PerChatUpdateProcessor


def _update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, "private")
    message = TgMessage(update_id, None, chat, from_user=User(chat_id, "U", False), text="x")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_one_chat_in_order_many_chats_at_once() -> None:
    processor = PerChatUpdateProcessor(16)
    seen: list[tuple[int, int]] = []
    running = 0
    peak = 0

    async def work(update_id: int, chat_id: int, delay: float) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(delay)
        seen.append((chat_id, update_id))
        running -= 1

    jobs = []
    for n in range(12):
        chat_id = n % 3
        delay = 0.03 if n < 3 else 0.001  # the first update of each chat is the slowest
        jobs.append(processor.process_update(_update(n, chat_id), work(n, chat_id, delay)))
    await asyncio.gather(*jobs)
    for chat_id in range(3):
        order = [u for c, u in seen if c == chat_id]
        assert order == sorted(order), order
    assert peak >= 3  # three chats were handled at the same time
    assert len(processor._chats) == 0  # no lock is kept for a quiet chat
