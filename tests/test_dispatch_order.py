"""A chat hears its pushes in the order they were due, though the dispatcher claims the next
batch while the last sends of the current one are still in flight (bot/scheduler.py)."""

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import App
from bot.scheduler import Scheduler
from handlers.messages import Reply, Safe
from storage import outbox
from storage.models import Chat, Outbox
from tests.conftest import Clock

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


class HeldSender:
    """Records each message when its send completes; the first send waits for `release`."""

    buttons = False

    def __init__(self) -> None:
        self.done: list[str] = []
        self.first_started = asyncio.Event()
        self.release = asyncio.Event()

    async def send(self, chat_id: str, reply: Reply, *, push: bool = False) -> str:
        if not self.first_started.is_set():
            self.first_started.set()
            await self.release.wait()
        self.done.append(str(reply.text))
        return f"m{len(self.done)}"


async def status_of(app: App, row_id: int) -> str:
    async with app.db.transaction() as session:
        return str(await session.scalar(select(Outbox.status).where(Outbox.id == row_id)))


async def two_pushes(app: App, key: str) -> tuple[int, int]:
    """Two announcements to one private chat, due a second apart: (the chat, the second row)."""
    async with app.db.transaction() as session:
        chat = Chat(platform="console", platform_chat_id="lan", kind="private")
        session.add(chat)
        await session.flush()
        for n in (1, 2):
            await outbox.enqueue(session, chat_id=chat.id, kind="announce",
                                 message=Reply(Safe(f"thông báo {n}")).to_json(),
                                 dedupe_key=f"{key}:{n}", due_at=NOW + timedelta(seconds=n))  # fmt: skip
        second = await session.scalar(select(Outbox.id).where(Outbox.dedupe_key == f"{key}:2"))
    assert second is not None
    return chat.id, second


async def test_a_later_batch_waits_for_the_same_chats_earlier_send(
    fresh_app: App, clock: Clock
) -> None:
    clock.now = NOW
    _, second = await two_pushes(fresh_app, "order")
    sender = HeldSender()
    scheduler = Scheduler(fresh_app, senders={"console": sender}, batch=1)  # one row a batch
    sending = asyncio.create_task(scheduler.dispatch_due(NOW + timedelta(minutes=1)))
    await asyncio.wait_for(sender.first_started.wait(), timeout=60)
    async with asyncio.timeout(60):  # guards a hang only: the next batch is claimed meanwhile
        while await status_of(fresh_app, second) != "claimed":
            await asyncio.sleep(0.01)
    for _ in range(20):  # let the second batch run as far as it can
        await asyncio.sleep(0)
    assert sender.done == []  # the second message waits for the first, still in flight
    sender.release.set()
    assert await asyncio.wait_for(sending, timeout=60) == 2
    assert sender.done == ["thông báo 1", "thông báo 2"]


class WatchedTurns(dict[int, asyncio.Lock]):
    """The dispatcher's per-chat turns, telling when a batch asks for a chat's turn."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[int] = []
        self.second_ask = asyncio.Event()

    def setdefault(self, key: int, default: asyncio.Lock | None = None) -> asyncio.Lock:
        self.asked.append(key)
        if len(self.asked) == 2:
            self.second_ask.set()
        return super().setdefault(key, default or asyncio.Lock())


async def test_a_batch_takes_its_turn_behind_the_batch_sending_to_the_same_chat(
    fresh_app: App, clock: Clock
) -> None:
    clock.now = NOW
    chat_id, second = await two_pushes(fresh_app, "turn")
    sender = HeldSender()
    scheduler = Scheduler(fresh_app, senders={"console": sender}, batch=1)
    turns, gate, later = WatchedTurns(), asyncio.Semaphore(8), NOW + timedelta(minutes=1)
    first = asyncio.create_task(scheduler.dispatch(later, gate, asyncio.Event(), turns))
    await asyncio.wait_for(sender.first_started.wait(), timeout=60)
    again = asyncio.create_task(scheduler.dispatch(later, gate, asyncio.Event(), turns))
    await asyncio.wait_for(turns.second_ask.wait(), timeout=60)
    await asyncio.sleep(0)  # the second batch now waits for the chat's turn, if it must
    assert turns.asked == [chat_id, chat_id] and turns[chat_id].locked()
    assert await status_of(fresh_app, second) == "claimed" and sender.done == []
    sender.release.set()
    assert list(await asyncio.gather(first, again)) == [(1, 1), (1, 1)]
    assert sender.done == ["thông báo 1", "thông báo 2"]
