"""Several dispatchers on one database: none sends a row another holds, none loses one.

Each dispatcher has its own App (its own engine and connections), so the race is the
database's, not this process's. The channels block on events rather than on time: a dispatcher
is held in the middle of its batch, with rows claimed and rows in flight, while the other one
starts, runs, or takes over; then it is let go.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from bot import launch
from bot.app import App, open_app
from bot.config import SettingsError, load_settings
from bot.scheduler import Scheduler
from storage import outbox
from storage.models import Chat, Outbox
from tests.conftest import Clock, run_cli
from tests.fakes.telegram_api import FakeTelegram

ROWS = 80


class HeldChannel:
    """A push channel that records every send and, until `go` is set, holds each send at its
    start (after saying it started): its dispatcher stays in the middle of its batch."""

    buttons = True

    def __init__(self, name: str, sends: list[tuple[str, str]]) -> None:
        self.name = name
        self.sends = sends
        self.started = asyncio.Event()
        self.go = asyncio.Event()
        self.in_flight: set[str] = set()
        self._changed = asyncio.Condition()

    async def deliver(self, chat_id: str, text: str, options: list[dict[str, Any]]) -> str:
        async with self._changed:
            self.in_flight.add(chat_id)
            self.started.set()
            self._changed.notify_all()
        await self.go.wait()
        self.sends.append((self.name, chat_id))
        return f"{self.name}-{len(self.sends)}"

    async def send(self, chat_id: str, reply: Any, *, push: bool = False) -> str:
        return await self.deliver(chat_id, str(reply.text), [])

    async def holding(self, count: int) -> None:
        """Until `count` sends are held (the dispatcher's whole concurrency)."""
        async with self._changed:
            await self._changed.wait_for(lambda: len(self.in_flight) >= count)


async def seed(app: App, now: datetime, count: int = ROWS, trial: int = 0) -> None:
    """`count` announcements, one per Telegram group, due now."""
    async with app.db.transaction() as session:
        for n in range(count):
            group = str(-1000 * (trial + 1) - n)
            chat = Chat(platform="telegram", platform_chat_id=group, kind="group", active=True)
            session.add(chat)
            await session.flush()
            await outbox.enqueue(session, chat_id=chat.id, kind="announce", text=f"Họp {n}",
                                 dedupe_key=f"race:{group}", due_at=now)  # fmt: skip


async def states(app: App) -> Counter[str]:
    async with app.db.transaction() as session:
        return Counter(r.status for r in await session.scalars(select(Outbox)))


async def until(check: Callable[[], Awaitable[bool]], timeout: float = 60.0) -> None:
    """Wait for something the dispatchers do (not for an amount of time)."""
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, "the dispatchers did not finish"
        await asyncio.sleep(0.02)


@pytest.fixture
async def second(database_url: str, clock: Clock) -> AsyncIterator[Callable[..., Awaitable[App]]]:
    """Open more Apps on the same database, each with its own engine; closed at the end."""
    opened: list[App] = []

    async def open_one(**settings: str) -> App:
        app = await open_app(load_settings(BOT_DATABASE_URL=database_url, **settings), clock=clock)
        opened.append(app)
        return app

    yield open_one
    for app in opened:
        await app.close()


async def cron_dispatch(open_one: Callable[..., Awaitable[App]], fake: FakeTelegram) -> int:
    """`python -m bot dispatch` as cron starts it: its own App, the real Telegram channel."""
    app = await open_one(TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url)
    return await launch.dispatch_once(app, app.services.catalog.translator("vi"))


def received(channel_sends: list[tuple[str, str]], fake: FakeTelegram) -> Counter[str]:
    """How many times each chat got its message, whoever sent it."""
    counts = Counter(chat for _, chat in channel_sends)
    counts.update(str(call.params["chat_id"]) for call in fake.sent())
    return counts


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    server = FakeTelegram().start()
    yield server
    server.stop()


async def test_a_cron_dispatch_leaves_the_rows_of_a_busy_dispatcher_alone(
    fresh_app: App, second: Callable[..., Awaitable[App]], clock: Clock, fake: FakeTelegram
) -> None:
    await seed(fresh_app, clock())
    sends: list[tuple[str, str]] = []
    held = HeldChannel("first", sends)
    first = Scheduler(fresh_app, senders={"telegram": held})
    busy = asyncio.create_task(first.tick(clock()))
    await held.holding(first.concurrency)  # a batch claimed, 8 of it in flight
    assert await states(fresh_app) == {"pending": ROWS - 50, "claimed": 42, "sending": 8}

    assert await cron_dispatch(second, fake) == ROWS - 50  # only what nobody holds
    held.go.set()
    await busy
    counts = received(sends, fake)
    assert len(counts) == ROWS and set(counts.values()) == {1}  # none lost, none twice
    assert await states(fresh_app) == {"sent": ROWS}


async def test_run_and_a_cron_dispatch_send_each_message_once(
    fresh_app: App, second: Callable[..., Awaitable[App]], clock: Clock, fake: FakeTelegram
) -> None:
    await seed(fresh_app, clock())
    sends: list[tuple[str, str]] = []
    held = HeldChannel("run", sends)
    stop = asyncio.Event()
    running = asyncio.create_task(
        Scheduler(fresh_app, senders={"telegram": held}).run(stop, clock, interval=0.05)
    )
    try:
        await held.started.wait()
        await cron_dispatch(second, fake)
        held.go.set()

        async def all_sent() -> bool:
            return await states(fresh_app) == {"sent": ROWS}

        await until(all_sent)
    finally:
        held.go.set()
        stop.set()
        await running
    counts = received(sends, fake)
    assert len(counts) == ROWS and set(counts.values()) == {1}


async def test_two_dispatchers_at_once_share_the_rows(
    fresh_app: App, second: Callable[..., Awaitable[App]], clock: Clock
) -> None:
    """Both claim in small batches and send at the same time; three rounds of rows."""
    other = await second()
    for trial in range(3):
        now = clock() + timedelta(minutes=trial)
        await seed(fresh_app, now, trial=trial)
        sends: list[tuple[str, str]] = []
        one, two = HeldChannel("one", sends), HeldChannel("two", sends)
        both = asyncio.gather(
            Scheduler(fresh_app, senders={"telegram": one}, batch=7).tick(now),
            Scheduler(other, senders={"telegram": two}, batch=7).tick(now),
        )
        await one.started.wait()
        await two.started.wait()  # each holds a batch while the other claims
        one.go.set()
        two.go.set()
        await both
        counts = Counter(chat for _, chat in sends)
        assert len(counts) == ROWS and set(counts.values()) == {1}, trial
        assert {name for name, _ in sends} == {"one", "two"}
    assert await states(fresh_app) == {"sent": 3 * ROWS}


async def test_a_stalled_dispatcher_sends_nothing_that_was_taken_over(
    fresh_app: App, second: Callable[..., Awaitable[App]], clock: Clock
) -> None:
    """Its lease ran out (the process seemed dead): another dispatcher took its rows. When it
    wakes, only the sends it had already started go out twice (the documented in-flight
    case); the rows it had only claimed it leaves to the other."""
    await seed(fresh_app, clock())
    sends: list[tuple[str, str]] = []
    held = HeldChannel("stalled", sends)
    stalled = Scheduler(fresh_app, senders={"telegram": held})
    busy = asyncio.create_task(stalled.tick(clock()))
    await held.holding(stalled.concurrency)
    clock.advance(seconds=outbox.LEASE.total_seconds() - 1)
    later = HeldChannel("later", sends)
    later.go.set()
    taker = Scheduler(await second(), senders={"telegram": later})
    assert await taker.tick(clock()) == ROWS - 50  # the lease is not over yet
    clock.advance(seconds=2)
    assert await taker.tick(clock()) == 50  # now it is: everything the first one held
    in_flight = set(held.in_flight)
    held.go.set()
    await busy
    counts = Counter(chat for _, chat in sends)
    assert len(counts) == ROWS
    assert {chat for chat, n in counts.items() if n > 1} == in_flight
    assert len(in_flight) == stalled.concurrency
    async with fresh_app.db.transaction() as session:
        rows = list(await session.scalars(select(Outbox)))
    assert {r.status for r in rows} == {"sent"}
    assert {r.claimed_by for r in rows} == {taker.owner}  # the late one wrote nothing


async def test_a_busy_dispatcher_renews_its_claims(
    fresh_app: App, second: Callable[..., Awaitable[App]], clock: Clock
) -> None:
    """However long its sends take, a live dispatcher's rows do not look abandoned."""
    await seed(fresh_app, clock(), count=20)
    sends: list[tuple[str, str]] = []
    held = HeldChannel("slow", sends)
    lease = timedelta(seconds=0.3)  # renewed every 0.1 s of this test
    slow = Scheduler(fresh_app, senders={"telegram": held}, lease=lease)
    busy = asyncio.create_task(slow.tick(clock()))
    await held.started.wait()
    clock.advance(hours=1)

    async def renewed() -> bool:
        async with fresh_app.db.transaction() as session:
            times = set(await session.scalars(select(Outbox.claimed_at)))
        return times == {clock()}

    await until(renewed)
    other = HeldChannel("other", sends)
    other.go.set()
    assert (
        await Scheduler(await second(), senders={"telegram": other}, lease=lease).tick(clock()) == 0
    )
    held.go.set()
    await busy
    assert Counter(name for name, _ in sends) == {"slow": 20}


async def test_the_claim_is_taken_by_one_of_two_at_the_same_moment(
    fresh_app: App, second: Callable[..., Awaitable[App]], clock: Clock
) -> None:
    """Two claims in two transactions at once never return the same row."""
    await seed(fresh_app, clock(), count=30)
    other = await second()

    async def take(app: App, owner: str) -> list[int]:
        async with app.db.transaction() as session:
            rows = await outbox.claim(session, clock(), 20, owner=owner, at=clock())
            return [r.id for r in rows]

    first, then = await asyncio.gather(take(fresh_app, "a"), take(other, "b"))
    assert not set(first) & set(then) and len(first) + len(then) == 30


async def test_sent_rows_are_purged_after_30_days(fresh_app: App, clock: Clock) -> None:
    now = clock()
    await seed(fresh_app, now - timedelta(days=40), count=6)
    async with fresh_app.db.transaction() as session:
        ids = list(await session.scalars(select(Outbox.id).order_by(Outbox.id)))
        finished = [("sent", 31), ("sent", 29), ("failed", 31), ("dead", 31), ("pending", 40)]
        for row_id, (status, days) in zip(ids, finished, strict=False):
            at = now - timedelta(days=days)
            await session.execute(
                update(Outbox).where(Outbox.id == row_id).values(
                    status=status, next_attempt_at=at, sent_at=at if status == "sent" else None
                )
            )  # fmt: skip
    scheduler = Scheduler(fresh_app)
    await scheduler.sweep(now)
    async with fresh_app.db.transaction() as session:
        left = {r.id: r.status for r in await session.scalars(select(Outbox))}
    assert left == {ids[1]: "sent", ids[4]: "pending", ids[5]: "pending"}  # young or still due
    clock.advance(days=2)
    await scheduler.sweep(clock())
    async with fresh_app.db.transaction() as session:
        left = {r.id: r.status for r in await session.scalars(select(Outbox))}
    assert left == {ids[4]: "pending", ids[5]: "pending"}


@pytest.mark.parametrize("seconds", ["0", "1", "29", "-5", "nan", "86400"])
def test_a_lease_too_short_or_too_long_is_refused(seconds: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(BOT_OUTBOX_LEASE_SECONDS=seconds)
    assert str(raised.value).startswith("BOT_OUTBOX_LEASE_SECONDS: use 30 to 3600 seconds")
    assert load_settings(BOT_OUTBOX_LEASE_SECONDS="30").outbox_lease_seconds == 30


def test_dispatch_refuses_a_short_lease_in_one_line(tmp_path: Path) -> None:
    result = run_cli("dispatch", database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
                     cwd=tmp_path, env={"BOT_OUTBOX_LEASE_SECONDS": "1"})  # fmt: skip
    assert result.returncode == 2
    assert "BOT_OUTBOX_LEASE_SECONDS" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
