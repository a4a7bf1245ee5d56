"""The channel protocol: one message model from the handlers through the outbox to every
platform, and Telegram's pacing that puts answers to people before pushes."""

from __future__ import annotations

import asyncio
import io
import itertools
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest

import bot.channels.telegram as telegram_module
from bot.app import App
from bot.channels.console import ConsoleSender
from bot.channels.pacing import Pace, PacedLimiter, paced_limiter
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.config import SettingsError, load_settings
from bot.delivery import Sender
from bot.scheduler import Scheduler
from handlers.messages import Attachment, Option, Reply, Safe
from storage import outbox
from storage.models import Chat, Outbox
from tests.conftest import Clock
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

REMINDER = Reply(
    Safe("🔔 <b>Nhắc việc</b>: Họp lúc 15h &amp; bàn kế hoạch"),
    (Option(Safe("Nhắc lại sau 1 giờ"), "snooze:7"), Option(Safe("Tắt <i>nhắc</i>"), "off:7")),
    key="push.reminder",
)


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram().start()
    yield server
    server.stop()


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZalo]:
    server = FakeZalo().start()
    yield server
    server.stop()


async def queue(
    app: App, platform: str, chat_id: str, message: dict[str, Any], key: str, now: datetime
) -> None:
    async with app.db.transaction() as session:
        chat = Chat(platform=platform, platform_chat_id=chat_id, kind="private")
        session.add(chat)
        await session.flush()
        await outbox.enqueue(session, chat_id=chat.id, kind="reminder", message=message,
                             dedupe_key=key, due_at=now)  # fmt: skip


async def queue_old_row(app: App, platform: str, chat_id: str, now: datetime) -> None:
    """A row as the outbox wrote it before it took Replies: text and a list of option dicts."""
    async with app.db.transaction() as session:
        chat = Chat(platform=platform, platform_chat_id=chat_id, kind="private")
        session.add(chat)
        await session.flush()
        session.add(
            Outbox(chat_id=chat.id, kind="nudge", text="Bạn chưa đăng ký thi đua.",
                   options=[{"label": "Đừng nhắc nữa", "payload": "nudges:off"}],
                   dedupe_key=f"old:{chat_id}", due_at=now, next_attempt_at=now,
                   status="pending", attempts=0, late=False, created_at=now)
        )  # fmt: skip


def test_a_reply_survives_json_and_reads_rows_written_before() -> None:
    report = Attachment("báo cáo quý.xlsx", bytes(range(256)), caption="Quý I")
    reply = Reply(REMINDER.text, REMINDER.options, report, key=REMINDER.key)
    back = Reply.from_json(json.loads(json.dumps(reply.to_json())))
    assert back == reply and back.key == "push.reminder"
    assert isinstance(back.text, Safe) and all(isinstance(o.label, Safe) for o in back.options)
    assert back.file is not None and back.file.data == bytes(range(256))
    photo = Attachment("chart.png", b"\x89PNG", kind="photo")
    assert Reply.from_json(Reply(Safe("x"), file=photo).to_json()).file == photo
    assert Reply.from_json({"text": "Bạn chưa đăng ký.", "options": [
        {"label": "Đừng nhắc nữa", "payload": "nudges:off"}]}) == Reply(
        Safe("Bạn chưa đăng ký."), (Option(Safe("Đừng nhắc nữa"), "nudges:off"),)
    )  # fmt: skip
    assert Reply(Safe("Không có lựa chọn")).to_json() == {
        "text": "Không có lựa chọn",
        "options": [],
    }


async def test_pushes_carry_no_files(fresh_app: App, clock: Clock) -> None:
    with_file = Reply(Safe("Báo cáo"), file=Attachment("a.xlsx", b"x")).to_json()
    with pytest.raises(ValueError, match="no files"):
        await queue(fresh_app, "telegram", "5", with_file, "file", clock())


async def test_a_reply_through_the_outbox_on_telegram_has_its_buttons(
    fresh_app: App, clock: Clock, telegram: FakeTelegram
) -> None:
    """A pushed Reply reaches Telegram exactly as the same Reply sent as an answer does."""
    channel = TelegramChannel(fresh_app, telegram.token, base_url=telegram.base_url,
                              max_per_second=0)  # fmt: skip
    await channel.connect()
    try:
        await queue(fresh_app, "telegram", "4242", REMINDER.to_json(), "r", clock())
        await queue_old_row(fresh_app, "telegram", "4343", clock())
        assert await Scheduler(fresh_app, senders={"telegram": channel}).tick(clock()) == 2
        await channel.send("4444", REMINDER)  # the same Reply as a direct answer
    finally:
        await channel.application.shutdown()
    (pushed,), (answered,) = telegram.sent(4242), telegram.sent(4444)
    assert pushed.params["text"] == "🔔 <b>Nhắc việc</b>: Họp lúc 15h &amp; bàn kế hoạch"
    assert pushed.params["parse_mode"] == "HTML"
    assert pushed.params["reply_markup"] == {"inline_keyboard": [
        [{"text": "Nhắc lại sau 1 giờ", "callback_data": "snooze:7"}],
        [{"text": "Tắt nhắc", "callback_data": "off:7"}],
    ]}  # fmt: skip
    same = ("text", "parse_mode", "reply_markup")
    assert {k: pushed.params[k] for k in same} == {k: answered.params[k] for k in same}
    (old,) = telegram.sent(4343)
    assert old.params["text"] == "Bạn chưa đăng ký thi đua."
    assert old.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "nudges:off"
    async with fresh_app.db.transaction() as session:
        assert {r.status for r in await outbox.rows(session)} == {"sent"}


async def test_a_reply_through_the_outbox_on_zalo_and_the_console_is_numbered(
    fresh_app: App, clock: Clock, zalo: FakeZalo
) -> None:
    channel = ZaloChannel(fresh_app, zalo.token, base_url=zalo.base_url)
    await channel.connect()
    printed = io.StringIO()
    try:
        await queue(fresh_app, "zalo", "z1", REMINDER.to_json(), "z", clock())
        await queue_old_row(fresh_app, "zalo", "z2", clock())
        await queue(fresh_app, "console", "local", REMINDER.to_json(), "c", clock())
        senders: dict[str, Sender] = {"zalo": channel, "console": ConsoleSender(printed)}
        assert await Scheduler(fresh_app, senders=senders).tick(clock()) == 3
    finally:
        await channel.stop()
    assert zalo.texts("z1") == [
        "🔔 Nhắc việc: Họp lúc 15h & bàn kế hoạch\n\n1. Nhắc lại sau 1 giờ\n2. Tắt nhắc"
    ]
    assert zalo.texts("z2") == ["Bạn chưa đăng ký thi đua.\n\n1. Đừng nhắc nữa"]
    assert printed.getvalue() == (
        "[→ local] 🔔 Nhắc việc: Họp lúc 15h & bàn kế hoạch\n"
        "  1. Nhắc lại sau 1 giờ\n  2. Tắt nhắc\n\n"
    )


class HeldClock:
    """A pace that stands still: every wait for a slot waits until `go` is set, or for a
    `step` that lets one wait end (one more slot handed out)."""

    def __init__(self) -> None:
        self.go = asyncio.Event()
        self._steps = asyncio.Semaphore(0)

    async def sleep(self, delay: float) -> None:
        if self.go.is_set():
            return
        stepped = asyncio.ensure_future(self._steps.acquire())
        going = asyncio.ensure_future(self.go.wait())
        await asyncio.wait({stepped, going}, return_when=asyncio.FIRST_COMPLETED)
        going.cancel()
        stepped.cancel()

    def step(self) -> None:
        self._steps.release()


async def test_an_answer_goes_before_the_pushes_waiting_for_the_pace(
    fresh_app: App, clock: Clock, telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twelve pushes due, the dispatcher's eight in flight: one took the free slot, the others
    wait (and more as the first one's place is taken). A person writes meanwhile; their answer
    takes the next slot, before every push still waiting."""
    monkeypatch.setattr(telegram_module, "TYPING_AFTER", 3600.0)  # no "typing…" in the pace
    held = HeldClock()
    pace = Pace(29, clock=lambda: 0.0, sleep=held.sleep)
    channel = TelegramChannel(fresh_app, telegram.token, base_url=telegram.base_url,
                              rate_limiter=PacedLimiter(29, pace=pace), poll_timeout=1)  # fmt: skip
    announcement = Reply(Safe("📣 Thông báo: chiều nay họp toàn cơ quan")).to_json()
    for n in range(12):
        await queue(fresh_app, "telegram", str(9000 + n), announcement, f"a{n}", clock())
    await channel.start()
    try:
        dispatching = asyncio.create_task(
            Scheduler(fresh_app, senders={"telegram": channel}, concurrency=8).tick(clock())
        )
        await telegram.wait_for(lambda: len(telegram.sent()) == 1 and pace.waiting(push=True) >= 7)
        telegram.message(55, "/trogiup")
        await telegram.wait_for(lambda: pace.waiting(push=False) == 1)
        held.step()  # one more slot: the answer's, every push still waiting
        await telegram.wait_sent(55, 1)
        first, answered = [int(call.params["chat_id"]) for call in telegram.sent()]
        assert first in range(9000, 9012) and answered == 55
        assert pace.waiting(push=True) >= 7
        held.go.set()  # the pushes' slots, handed out at once: they reach Telegram in any order
        assert await dispatching == 12
    finally:
        await channel.stop()
    order = [int(call.params["chat_id"]) for call in telegram.sent()]
    assert sorted(order[2:]) == sorted(set(range(9000, 9012)) - {first})


async def test_the_pace_hands_slots_to_answers_first() -> None:
    held = HeldClock()
    pace = Pace(10, clock=lambda: 0.0, sleep=held.sleep)
    went: list[str] = []

    async def send(name: str, push: bool) -> None:
        await pace.wait(push=push)
        went.append(name)

    await send("first", True)  # a free slot: at once
    waiting = [asyncio.create_task(send(f"push{n}", True)) for n in range(3)]
    while pace.waiting(push=True) < 3:
        await asyncio.sleep(0)
    waiting += [asyncio.create_task(send(f"answer{n}", False)) for n in range(2)]
    while pace.waiting(push=False) < 2:
        await asyncio.sleep(0)
    held.go.set()
    await asyncio.gather(*waiting)
    assert went == ["first", "answer0", "answer1", "push0", "push1", "push2"]


def test_the_pace_is_a_setting_with_bounds() -> None:
    assert load_settings().telegram_max_per_second == 29
    assert load_settings(TELEGRAM_MAX_PER_SECOND="0").telegram_max_per_second == 0
    assert load_settings(TELEGRAM_MAX_PER_SECOND="1000").telegram_max_per_second == 1000
    assert paced_limiter(0) is None and paced_limiter(29) is not None
    for wrong in ("-1", "0.5", "1001", "nhanh"):
        with pytest.raises(SettingsError) as raised:
            load_settings(TELEGRAM_MAX_PER_SECOND=wrong)
        assert str(raised.value).startswith("TELEGRAM_MAX_PER_SECOND: ")
    with pytest.raises(SettingsError) as raised:
        load_settings(TELEGRAM_MAX_PER_SECOND="5000")
    assert str(raised.value) == (
        "TELEGRAM_MAX_PER_SECOND: use 0 (no pacing) or 1 to 1000 messages per second, not 5000 "
        "(Telegram's own limit is 30; more only with a local Bot API server or paid broadcasts)"
    )


class LateClock:
    """A clock that moves only when the pace sleeps, and wakes it `late` seconds after the
    time asked for (an event loop on a busy machine), `late` changing from sleep to sleep."""

    def __init__(self, lateness: list[float]) -> None:
        self.now = 0.0
        self.lateness = lateness
        self.sleeps = 0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        await asyncio.sleep(0)  # the slots handed out so far are taken at the time they were
        self.now += delay + self.lateness[self.sleeps % len(self.lateness)]
        self.sleeps += 1


async def slot_times(pace: Pace, clock: LateClock, count: int) -> list[float]:
    """When `count` pushes, all waiting from the start, got their slots."""
    times: list[float] = []

    async def send() -> None:
        await pace.wait(push=True)
        times.append(clock())

    await asyncio.gather(*(send() for _ in range(count)))
    return times


@pytest.mark.parametrize("lateness", [[0.0], [0.004], [0.0, 0.006, 0.001, 0.0, 0.008]])
async def test_the_pace_keeps_its_rate_when_woken_late_and_never_exceeds_it(
    lateness: list[float],
) -> None:
    """Saturated, the pace hands out its full rate even when every wake-up comes late (the
    slots follow a schedule), yet no window of a second ever holds more than the rate, and no
    two slots are closer than three quarters of an interval."""
    clock = LateClock(lateness)
    pace = Pace(29, clock=clock, sleep=clock.sleep)
    times = await slot_times(pace, clock, 29 * 20)
    for first, time in enumerate(times):
        within = [t for t in times[first:] if t < time + 1.0]
        assert len(within) <= 29
    assert all(b - a >= pace.interval * 3 / 4 - 1e-9 for a, b in itertools.pairwise(times))
    # 580 slots at 29 a second take 20 s less one interval. Waking late costs at most one
    # lateness per window (the window's cap counts the slots really handed out), where a pace
    # adding each wake-up's lateness to the next slot would lose it 580 times.
    windows = len(times) / 29 + 1
    slowest = (len(times) - 1) * pace.interval + windows * max(lateness)
    assert times[-1] - times[0] <= slowest + 1e-9
