"""The scheduler works only when there is work: an idle tick is one read and no write; the
changes that create work (a pledge, a deadline, a reminder, a group linked) reach it from any
process; the daily timers fire once across restarts (time injected, no sleep)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.app import App, open_app
from bot.config import load_settings
from bot.scheduler import Scheduler
from storage import schedule
from storage.models import Outbox
from tests.conftest import ADMIN, Clock, User, members_of_kt, run_cli
from tests.fakes.channel import FakeChannel

MONDAY_9 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # Monday 09/03/2026 09:00 in Hà Nội
NUDGE_DAY_7 = datetime(2026, 3, 25, 0, 0, tzinfo=UTC)  # 25/03 07:00: a week before 31/03
NUDGE_DAY_8 = NUDGE_DAY_7 + timedelta(hours=1)
NOTICE_DAY_8 = datetime(2026, 8, 21, 1, 0, tzinfo=UTC)  # 21/08 08:00: 7 days to 28/08
NOTICE = "📅 Còn 7 ngày đến <b>Ngày truyền thống ngành Giao thông vận tải</b>"
NUDGE = "Bạn chưa đăng ký thi đua năm 2026"


async def other_process(database_url: str, clock: Clock) -> App:
    """Another process on the same database: its own engine, library and writer lock."""
    settings = load_settings(BOT_DATABASE_URL=database_url, BOT_ADMINS=f"console:{ADMIN}")
    return await open_app(settings, clock=clock)


async def test_an_idle_tick_is_one_read_and_no_write(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    clock.now = MONDAY_9
    _head, lan = await members_of_kt(app, admin)
    await User(app, ADMIN, chat_id="kt-group", group=True).say("/lienket KT")
    assert "Đã đặt nhắc việc" in await lan.say("/nhacnho mai 8h Nộp báo cáo quý")
    await scheduler.tick(MONDAY_9)  # the first tick of a process runs every producer

    for later in (timedelta(seconds=1), timedelta(minutes=5), timedelta(minutes=59)):
        with app.db.statements() as sent:
            assert await scheduler.tick(MONDAY_9 + later) == 0
        assert len(sent) == 1 and sent[0].lstrip().upper().startswith("SELECT"), sent

    with app.db.statements() as sent:  # 08:00 on Tuesday: the reminder is due
        assert await scheduler.tick(MONDAY_9 + timedelta(hours=23)) == 1
    assert any(s.lstrip().upper().startswith(("INSERT", "UPDATE")) for s in sent)
    assert [chat for chat, _, _ in channel.delivered] == ["lan"]


async def test_a_pledge_takes_back_a_pending_nudge_and_the_others_go_once_at_8(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    clock.now = MONDAY_9
    head, lan = await members_of_kt(app, admin)
    await scheduler.tick(MONDAY_9)
    await scheduler.tick(NUDGE_DAY_7)  # the window is open, but not before 08:00
    assert channel.delivered == []

    await scheduler.produce(NUDGE_DAY_8)  # the producers' leader, with no dispatch yet
    async with app.db.transaction() as session:
        pending = list(await session.scalars(select(Outbox.kind).where(Outbox.status == "pending")))
    assert pending == ["nudge", "nudge"]
    clock.now = NUDGE_DAY_8
    assert "Đã lưu đăng ký" in await lan.say("/dangky LĐTT; Hồ sơ")  # before the nudge went out

    for moment in (
        NUDGE_DAY_8,
        NUDGE_DAY_8 + timedelta(minutes=1),
        NUDGE_DAY_8 + timedelta(days=1),
    ):
        await scheduler.tick(moment)
    assert channel.to("lan") == []
    assert [text[: len(NUDGE)] for text in channel.to("head")] == [NUDGE]
    assert "Đã lưu đăng ký" in await head.say("/dangky LĐTT; Hồ sơ")


async def test_a_member_who_joins_in_the_window_is_nudged_at_the_next_tick(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    clock.now = NUDGE_DAY_8
    await admin.say("/donvi them KT Phòng Kế toán")
    await scheduler.tick(NUDGE_DAY_8)
    await scheduler.tick(NUDGE_DAY_8 + timedelta(minutes=1))
    assert channel.delivered == []
    code = (await admin.say("/moi KT")).split(": ")[1][:8]
    await User(app, "minh", name="Minh").say(f"/start {code}")  # wakes the producers

    await scheduler.tick(NUDGE_DAY_8 + timedelta(minutes=2))
    await scheduler.tick(NUDGE_DAY_8 + timedelta(minutes=3))
    assert [text[: len(NUDGE)] for text in channel.to("minh")] == [NUDGE]


async def test_a_reminder_made_in_another_process_is_sent_on_time(
    app: App,
    admin: User,
    clock: Clock,
    scheduler: Scheduler,
    channel: FakeChannel,
    database_url: str,
) -> None:
    clock.now = MONDAY_9
    await members_of_kt(app, admin)
    await scheduler.tick(MONDAY_9)
    other = await other_process(database_url, clock)
    try:
        assert "Đã đặt nhắc việc #1" in await User(other, "lan").say("/nhacnho 10h Gọi Sở")
    finally:
        await other.close()

    with app.db.statements() as sent:
        await scheduler.tick(MONDAY_9 + timedelta(minutes=59, seconds=59))
    assert channel.delivered == [] and len(sent) == 1
    await scheduler.tick(MONDAY_9 + timedelta(hours=1))
    assert channel.to("lan") == ["🔔 <b>Nhắc việc</b>: Gọi Sở"]


async def test_a_deadline_moved_by_the_command_line_moves_the_nudges(
    app: App,
    admin: User,
    clock: Clock,
    scheduler: Scheduler,
    channel: FakeChannel,
    database_url: str,
    tmp_path: Path,
) -> None:
    clock.now = MONDAY_9
    await members_of_kt(app, admin)
    await scheduler.tick(MONDAY_9)
    await scheduler.tick(MONDAY_9 + timedelta(days=1))  # 10/03: three weeks before 31/03
    assert channel.delivered == []
    moved = await asyncio.to_thread(
        run_cli, "campaign", "deadline", "2026-03-15", database_url=database_url, cwd=tmp_path
    )
    assert moved.returncode == 0, moved.stderr

    await scheduler.tick(MONDAY_9 + timedelta(days=1, seconds=1))  # woken: in the window now
    assert [text[: len(NUDGE)] for text in channel.to("lan")] == [NUDGE]
    assert "15/03/2026" in channel.to("lan")[0]


async def test_a_group_linked_on_a_notice_day_hears_it_that_day(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    clock.now = MONDAY_9
    await members_of_kt(app, admin)
    await User(app, ADMIN, chat_id="kt-group", group=True).say("/lienket KT")
    await scheduler.tick(NOTICE_DAY_8)
    await admin.say("/donvi them VP Văn phòng")
    await User(app, ADMIN, chat_id="vp-group", group=True).say("/lienket VP")  # at 10:00

    await scheduler.tick(NOTICE_DAY_8 + timedelta(hours=2))
    await scheduler.tick(NOTICE_DAY_8 + timedelta(hours=3))
    assert [text[: len(NOTICE)] for text in channel.to("vp-group")] == [NOTICE]
    assert [text[: len(NOTICE)] for text in channel.to("kt-group")] == [NOTICE]


async def test_restarts_across_8_oclock_send_each_notice_once(
    app: App, admin: User, clock: Clock, channel: FakeChannel, database_url: str
) -> None:
    clock.now = MONDAY_9
    await members_of_kt(app, admin)
    await User(app, ADMIN, chat_id="kt-group", group=True).say("/lienket KT")
    first = Scheduler(app, senders={"console": channel})
    await first.tick(NOTICE_DAY_8 - timedelta(minutes=1))  # 07:59, then the bot stops
    assert channel.delivered == []

    moments = (
        NOTICE_DAY_8 + timedelta(seconds=30),  # restarted just after 08:00
        NOTICE_DAY_8 + timedelta(minutes=5),
        NOTICE_DAY_8 + timedelta(hours=1),  # restarted again
        NOTICE_DAY_8 + timedelta(days=1),  # 22/08 08:00: 6 days to go
        NOTICE_DAY_8 + timedelta(days=6) - timedelta(minutes=1),  # 27/08 07:59
        NOTICE_DAY_8 + timedelta(days=6, seconds=1),  # 27/08 08:00: 1 day to go
        NOTICE_DAY_8 + timedelta(days=6, hours=2),  # restarted again
    )
    restarts = {0, 2, 6}
    current, processes = first, []
    try:
        for index, moment in enumerate(moments):
            if index in restarts:  # a new process: its own engine, library and scheduler
                processes.append(await other_process(database_url, Clock(moment)))
                current = Scheduler(processes[-1], senders={"console": channel})
            await current.tick(moment)
    finally:
        for process in processes:
            await process.close()
    texts = channel.to("kt-group")
    assert len(texts) == 2, texts
    assert texts[0].startswith(NOTICE) and "Còn 1 ngày" in texts[1]


async def test_a_wake_during_a_run_is_not_lost(app: App, scheduler: Scheduler) -> None:
    """A run advances its mark only if no wake came since it read it: otherwise the producer
    stays due and runs again at the next tick."""
    await scheduler.tick(MONDAY_9)
    async with app.db.transaction() as session:
        read = (await schedule.marks(session, ["nudges"]))["nudges"].generation
    async with app.db.transaction() as session:  # another process: a member joined meanwhile
        await schedule.wake(session)
    async with app.db.transaction() as session:
        assert not await schedule.advance(session, "nudges", read, MONDAY_9 + timedelta(days=1),
                                          MONDAY_9)  # fmt: skip
    async with app.db.read() as session:
        assert (await schedule.next_due(session, ["nudges"])).producers_due(MONDAY_9)
    await scheduler.tick(MONDAY_9 + timedelta(seconds=1))  # runs it, and the mark moves on
    async with app.db.read() as session:
        due = await schedule.next_due(session, ["commemorations", "nudges"])
    assert due.producers == datetime(2026, 3, 10, 1, 0, tzinfo=UTC)  # 08:00 tomorrow
