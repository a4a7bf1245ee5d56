"""One bad row or one broken producer does not stop the scheduler: the rest of the tick, the
dispatch above all, goes on; the failure is logged once and counted for admins (`status`)."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.scheduler import Scheduler
from handlers.documents import import_document
from handlers.library import Parsed, read
from storage.models import Reminder
from tests.conftest import CAMPAIGN_2026, Clock, User, members_of_kt, run_cli
from tests.fakes.channel import FakeChannel

MONDAY_9 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # Monday 09/03/2026 09:00 in Hà Nội
TUESDAY_8 = MONDAY_9 + timedelta(hours=23)
HANG_GUARD = 120
"""Seconds after which a test that waits on an event gives up: a hang, not a slow run."""


async def lan_with_reminder(app: App, admin: User, clock: Clock, text: str) -> User:
    clock.now = MONDAY_9
    _head, lan = await members_of_kt(app, admin)
    assert "Đã đặt nhắc việc" in await lan.say(f"/nhacnho mai 8h {text}")
    return lan


async def status(database_url: str, tmp_path: Path) -> list[dict]:
    result = await asyncio.to_thread(
        run_cli, "status", "--json", database_url=database_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["scheduler_failures"]


async def test_a_document_with_a_superscript_digit_still_lets_reminders_out(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    text = CAMPAIGN_2026.read_text("utf-8")
    text = text.replace("(17/8/1910 - 17/8/2026)", "(17/8/1910 - 05¹/8/2026)")
    text = text.replace("ngày 31 tháng 12 năm 2026", "ngày 31¹ tháng 12 năm 2026")
    assert text.count("¹") == 2
    await import_document(app.db, text, "ke-hoach-2026-loi.txt")
    await lan_with_reminder(app, admin, clock, "Nộp báo cáo quý")

    await scheduler.tick(TUESDAY_8)

    assert channel.delivered == [
        ("lan", "🔔 <b>Nhắc việc</b>: Nộp báo cáo quý", channel.delivered[0][2])
    ]


async def test_a_broken_producer_fails_alone_is_logged_once_and_counted(
    app: App,
    admin: User,
    clock: Clock,
    scheduler: Scheduler,
    channel: FakeChannel,
    caplog: pytest.LogCaptureFixture,
    database_url: str,
    tmp_path: Path,
) -> None:
    await lan_with_reminder(app, admin, clock, "Nộp báo cáo quý")
    broken = True

    async def announcements(session: AsyncSession, now: datetime) -> None:
        if broken:
            raise ValueError("invalid literal for int() with base 10: '05¹'")

    scheduler.producers = {"announcements": announcements, **scheduler.producers}
    caplog.set_level(logging.INFO, logger="bot.scheduler")

    await scheduler.tick(TUESDAY_8)  # the broken producer runs first: the others still run
    await scheduler.tick(TUESDAY_8 + timedelta(minutes=1))
    await scheduler.tick(TUESDAY_8 + timedelta(minutes=2))

    assert [chat for chat, _, _ in channel.delivered] == ["lan"]  # dispatched, once
    logged = [r for r in caplog.records if "producer:announcements" in r.getMessage()]
    assert len(logged) == 1 and logged[0].levelno == logging.ERROR
    [failure] = await status(database_url, tmp_path)
    assert (failure["source"], failure["count"]) == ("producer:announcements", 3)
    assert "05¹" in failure["error"]
    plain = await asyncio.to_thread(run_cli, "status", database_url=database_url, cwd=tmp_path)
    assert "producer:announcements: lỗi 3 lần, từ 08:00 10/03/2026" in plain.stdout

    broken = False
    await scheduler.tick(TUESDAY_8 + timedelta(minutes=3))
    assert await status(database_url, tmp_path) == []
    plain = await asyncio.to_thread(run_cli, "status", database_url=database_url, cwd=tmp_path)
    assert "\nBộ lập lịch: mọi phần đều chạy bình thường.\n" in plain.stdout


async def test_a_bad_reminder_fails_alone(
    app: App,
    admin: User,
    clock: Clock,
    scheduler: Scheduler,
    channel: FakeChannel,
    database_url: str,
    tmp_path: Path,
) -> None:
    lan = await lan_with_reminder(app, admin, clock, "Họp giao ban")
    assert "Đã đặt nhắc việc #2" in await lan.say("/nhacnho mai 8h Nộp báo cáo quý")
    async with app.db.transaction() as session:  # a row no code path writes any more
        await session.execute(update(Reminder).where(Reminder.id == 1).values(rrule="FREQ=¹"))

    await scheduler.tick(TUESDAY_8)
    await scheduler.tick(TUESDAY_8 + timedelta(minutes=1))

    assert [text for _, text, _ in channel.delivered] == ["🔔 <b>Nhắc việc</b>: Nộp báo cáo quý"]
    [failure] = await status(database_url, tmp_path)
    assert (failure["source"], failure["count"]) == ("reminder:1", 2)


async def test_a_new_document_is_parsed_by_the_tick_while_others_are_answered(
    app: App, scheduler: Scheduler
) -> None:
    """A document another process imported is parsed by the next tick outside any
    transaction: a message that comes meanwhile is answered (it would wait for the whole
    parse if the tick parsed while holding SQLite's writer)."""
    library = app.services.library
    parsing, release = threading.Event(), threading.Event()

    def slow_read(text: str, year: int) -> Parsed:
        parsing.set()
        release.wait(HANG_GUARD)
        return read(text, year)

    await scheduler.tick(MONDAY_9)
    text = CAMPAIGN_2026.read_text("utf-8").replace("Số: ", "Số: 99/", 1)
    await import_document(app.db, text, "ke-hoach-2026-ban-sua.txt")  # as another process would
    library.reader = slow_read
    ticking = asyncio.create_task(scheduler.tick(MONDAY_9 + timedelta(minutes=1)))
    assert await asyncio.to_thread(parsing.wait, HANG_GUARD)
    try:
        answer = await asyncio.wait_for(User(app, "lan").say("/trogiup"), HANG_GUARD)
        assert "/start" in answer and not ticking.done()
    finally:
        release.set()
    await asyncio.wait_for(ticking, HANG_GUARD)
    assert await library.prepare(app.db) == 0  # the tick parsed it
