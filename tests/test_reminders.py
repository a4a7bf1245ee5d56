"""Reminders, announcements, commemorations and nudges through the outbox (time injected)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import App
from bot.scheduler import Scheduler
from storage import outbox
from storage.models import Chat, Outbox, Person, Reminder
from tests.conftest import Clock, User, members_of_kt, row_counts
from tests.fakes.channel import ChatGone, ChatMoved, FakeChannel, RetryLater, Transient

MONDAY_9 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # Monday 09/03/2026 09:00 in Hà Nội


async def setup_unit(app: App, admin: User, clock: Clock) -> tuple[User, User]:
    clock.now = MONDAY_9
    return await members_of_kt(app, admin)


async def test_a_private_reminder_fires_once_at_its_time(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    _, lan = await setup_unit(app, admin, clock)
    assert await lan.say("/nhacnho mai 8h Nộp báo cáo quý") == (
        "Đã đặt nhắc việc #1 cho bạn: Thứ Ba, 08:00 10/03/2026 — Nộp báo cáo quý"
    )
    await scheduler.tick(MONDAY_9 + timedelta(hours=22))  # 07:00 on Tuesday: not yet
    assert channel.delivered == []
    await scheduler.tick(MONDAY_9 + timedelta(hours=23))  # 08:00
    await scheduler.tick(MONDAY_9 + timedelta(hours=23, minutes=1))
    assert len(channel.delivered) == 1
    chat, text, options = channel.delivered[0]
    assert (chat, text) == ("lan", "🔔 <b>Nhắc việc</b>: Nộp báo cáo quý")
    assert options == [{"label": "Nhắc lại sau 1 giờ", "payload": "snooze:1"}]
    async with app.db.transaction() as session:
        reminder = await session.get(Reminder, 1)
        assert reminder is not None and reminder.active is False
        row = (await outbox.rows(session))[0]
        assert (row.status, row.sent_message_id) == ("sent", "m1")


async def test_snooze_and_weekly_series(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    _head, lan = await setup_unit(app, admin, clock)
    assert "(hằng tuần)" in await lan.say("/nhacnho 16h thứ sáu hằng tuần Báo cáo tuần")
    friday_4pm = datetime(2026, 3, 13, 9, 0, tzinfo=UTC)
    await scheduler.tick(friday_4pm)
    clock.now = friday_4pm
    assert (await lan.say(payload="snooze:1")).startswith(
        "Được, mình sẽ nhắc lại lúc 17:00 13/03/2026"
    )
    await scheduler.tick(friday_4pm + timedelta(hours=1))
    await scheduler.tick(friday_4pm + timedelta(days=7))
    assert len(channel.to("lan")) == 3
    async with app.db.transaction() as session:
        weekly = await session.get(Reminder, 1)
        assert weekly is not None and weekly.active
        assert weekly.next_at == friday_4pm + timedelta(days=14)


async def test_without_buttons_a_pushed_choice_is_answered_by_number_unless_in_a_dialog(
    app: App, admin: User, clock: Clock
) -> None:
    channel = FakeChannel(buttons=False)
    scheduler = Scheduler(app, senders={"console": channel})
    _head, lan = await setup_unit(app, admin, clock)
    await lan.say("/nhacnho 10h Gọi điện")
    await lan.say("/nhacnho 11h Nộp báo cáo")
    await scheduler.tick(MONDAY_9 + timedelta(hours=1))
    clock.now = MONDAY_9 + timedelta(hours=1)
    assert (await lan.say("1")).startswith("Được, mình sẽ nhắc lại lúc 11:00 09/03/2026")
    assert "1. Lao động tiên tiến (LĐTT)" in await lan.say("/dangky")  # a dialog is open
    await scheduler.tick(MONDAY_9 + timedelta(hours=2))
    assert "🔔 <b>Nhắc việc</b>: Nộp báo cáo" in channel.to("lan")
    assert "Danh hiệu: Lao động tiên tiến." in await lan.say("1")  # the dialog's question


async def test_missed_while_down_goes_out_late_unless_too_old(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    _, lan = await setup_unit(app, admin, clock)
    await lan.say("/nhacnho 10h Gọi điện cho Sở Nội vụ")
    await lan.say("/nhacnho 11h Chuyện đã cũ")
    await lan.say("/nhacnho 8h sáng thứ hai hàng tuần Họp giao ban")
    await scheduler.tick(MONDAY_9 + timedelta(hours=3))  # the bot was down from 09:00 to 12:00
    texts = channel.to("lan")
    assert "🔔 <b>Nhắc việc</b> (gửi trễ): Gọi điện cho Sở Nội vụ" in texts
    late_tick = Scheduler(app, senders={"console": channel}, max_late=timedelta(minutes=30))
    await lan.say("/nhacnho 13h Quá hạn lâu")
    await late_tick.tick(MONDAY_9 + timedelta(hours=6))  # 15:00: two hours late, limit 30 min
    assert not any("Quá hạn lâu" in t for t in channel.to("lan"))


async def test_bad_reminders_get_a_reason_and_store_nothing(
    app: App, admin: User, clock: Clock
) -> None:
    _head, lan = await setup_unit(app, admin, clock)
    before = await row_counts(app)
    assert await lan.say("/nhacnho hôm qua 8h Việc cũ") == (
        'Thời gian "hôm qua 8h" đã qua. Bạn chọn một thời điểm sắp tới nhé.'
    )
    assert (await lan.say("/nhacnho Nộp báo cáo")).startswith("Mình chưa thấy thời gian")
    assert (await lan.say("/nhacnho mai")).startswith(
        "Mình hiểu thời gian là Thứ Ba, 08:00 10/03/2026, nhưng chưa thấy cần nhắc việc gì"
    )
    assert (await lan.say("/nhacnho")).startswith("Cần thời gian và nội dung")
    assert (await lan.say("/nhacnho Họp")).startswith("Cần thời gian và nội dung")
    assert (
        await lan.say("/nhacnho @ZZ mai 8h Họp")
        == "Không có đơn vị mã ZZ. Gõ /donvi để xem danh sách đơn vị."
    )
    assert await lan.say("/nhacnho @KT mai 8h Họp") == (
        "Chỉ trưởng Phòng Kế toán (KT) hoặc quản trị viên mới đặt nhắc việc cho đơn vị này."
    )
    assert "Bạn không có quyền dùng /nhacnho @tatca" in await lan.say("/nhacnho @tatca mai 8h Họp")
    assert await row_counts(app) == before


async def test_list_and_cancel(app: App, admin: User, clock: Clock) -> None:
    _head, lan = await setup_unit(app, admin, clock)
    await lan.say("/nhacnho mai 8h Nộp báo cáo")
    assert await lan.say("/lichnhac") == "1 nhắc việc:\n#1 · Thứ Ba, 08:00 10/03/2026 — Nộp báo cáo"
    other = User(app, "minh")
    assert await other.say("/huynhac 1") == (
        "Bạn không huỷ được nhắc việc #1: chỉ người tạo, trưởng đơn vị hoặc quản trị viên."
    )
    assert await lan.say("/huynhac 9") == (
        "Không có nhắc việc #9 đang chạy mà bạn huỷ được. "
        "Gõ /lichnhac để xem số các nhắc việc của bạn."
    )
    assert await lan.say("/huynhac 1") == "Đã huỷ nhắc việc #1: Nộp báo cáo"
    assert (await lan.say("/lichnhac")).startswith("Bạn chưa có nhắc việc nào.")


async def test_unit_reminders_and_announcements_reach_the_units_groups(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    head, lan = await setup_unit(app, admin, clock)
    await admin.say("/donvi them VP Văn phòng")
    for chat_id, unit in (("kt-group", "KT"), ("vp-group", "VP")):
        assert "Đã liên kết" in await User(app, "admin", chat_id=chat_id, group=True).say(
            f"/lienket {unit}"
        )
    assert "cho các nhóm của" in await head.say("/nhacnho @KT 30 phút nữa Chuẩn bị họp")
    assert (await lan.say("/thongbao Họp lúc 15h")).startswith("Bạn không có quyền dùng /thongbao")
    question = await head.say("/thongbao Chiều nay 15h họp toàn phòng")
    reach = "• console: 1 nhóm chat, 0 người nhắn riêng"  # Lan and Hùng read it in the group
    assert question.startswith(f"Thông báo sẽ gửi tới:\n{reach}\n\nChiều nay 15h")
    assert await head.say("1") == f"Đang gửi thông báo tới:\n{reach}"
    await scheduler.tick(MONDAY_9 + timedelta(minutes=30))
    assert channel.to("kt-group") == [
        "📣 <b>Thông báo</b> (Hùng):\nChiều nay 15h họp toàn phòng",
        "🔔 <b>Nhắc việc</b>: Chuẩn bị họp",
    ]
    assert channel.to("vp-group") == []
    assert "• console: 2 nhóm chat, 0 người" in await admin.say("/thongbao Nghỉ lễ 30/4")


async def test_commemorations_are_announced_7_and_1_days_before(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    await setup_unit(app, admin, clock)
    await User(app, "admin", chat_id="kt-group", group=True).say("/lienket KT")
    seven_before = datetime(2026, 8, 21, 1, 0, tzinfo=UTC)  # 21/08 08:00: 7 days to 28/08
    await scheduler.tick(seven_before - timedelta(hours=2))  # 06:00: too early
    assert channel.to("kt-group") == []
    await scheduler.tick(seven_before)
    await scheduler.tick(seven_before + timedelta(hours=3))
    texts = channel.to("kt-group")
    assert texts == [
        "📅 Còn 7 ngày đến <b>Ngày truyền thống ngành Giao thông vận tải</b> (kỷ niệm 81 năm): "
        "Thứ Sáu, 28/08/2026. Hãy lập thành tích chào mừng!"
    ]
    await scheduler.tick(seven_before + timedelta(days=6))
    assert len(channel.to("kt-group")) == 2 and "Còn 1 ngày" in channel.to("kt-group")[1]


async def test_nudges_before_the_deadline_once_and_can_be_turned_off(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    head, lan = await setup_unit(app, admin, clock)
    await head.say("/dangky LĐTT; Hồ sơ")
    week_before = datetime(2026, 3, 25, 3, 0, tzinfo=UTC)
    await scheduler.tick(week_before)
    await scheduler.tick(week_before + timedelta(days=1))
    assert channel.to("head") == []
    assert channel.to("lan") == [
        "Bạn chưa đăng ký thi đua năm 2026; hạn đăng ký là 31/03/2026. Gõ /dangky để đăng ký."
    ]
    assert await lan.say(payload="nudges:off") == "Đã tắt nhắc tự động cho bạn."
    async with app.db.transaction() as session:
        person = await session.scalar(select(Person).where(Person.display_name == "Lan"))
        assert person is not None and person.nudges_off


async def test_private_pushes_speak_the_readers_language(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    head, lan = await setup_unit(app, admin, clock)
    await User(app, "admin", chat_id="kt-group", group=True).say("/lienket KT")
    assert await lan.say("/ngonngu en") == "Switched to English."
    await lan.say("/remind 10am Call the ministry")
    await head.say("/nhacnho @KT 10h Họp")
    await scheduler.tick(MONDAY_9 + timedelta(hours=1))
    assert [(text, options) for chat, text, options in channel.delivered if chat == "lan"] == [
        ("🔔 <b>Reminder</b>: Call the ministry",
         [{"label": "Remind me in 1 hour", "payload": "snooze:1"}]),
    ]  # fmt: skip
    assert channel.to("kt-group") == ["🔔 <b>Nhắc việc</b>: Họp"]  # a group: the bot's language
    await scheduler.tick(datetime(2026, 3, 25, 3, 0, tzinfo=UTC))
    assert channel.to("lan")[-1].startswith("You have not registered your 2026 pledge yet")
    assert channel.to("head")[-1].startswith("Bạn chưa đăng ký thi đua năm 2026")
    await head.say("/ngonngu en")
    await head.say("/announce Meeting at 3pm")
    await head.say("1")
    await scheduler.tick(datetime(2026, 3, 25, 3, 1, tzinfo=UTC))
    assert channel.to("kt-group")[-1] == "📣 <b>Thông báo</b> (Hùng):\nMeeting at 3pm"


async def test_dispatcher_failure_modes(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    head, _lan = await setup_unit(app, admin, clock)
    for chat_id in ("g1", "g2", "g3", "g4"):
        await User(app, "admin", chat_id=chat_id, group=True).say("/lienket KT")
    channel.fail("g1", RetryLater(30))
    channel.fail("g2", Transient("502 Bad Gateway"), Transient("timed out"))
    channel.fail("g3", ChatGone("bot was kicked"))
    channel.fail("g4", ChatMoved("g4-super"))
    await head.say("/nhacnho @KT 10h Họp")
    ten = MONDAY_9 + timedelta(hours=1)
    await scheduler.tick(ten)
    assert channel.to("g4-super") == ["🔔 <b>Nhắc việc</b>: Họp"]  # followed the migration
    assert channel.to("g1") == channel.to("g2") == channel.to("g3") == []
    await scheduler.tick(ten + timedelta(seconds=31))  # after retry_after
    assert channel.to("g1") == ["🔔 <b>Nhắc việc</b>: Họp"]
    await scheduler.tick(ten + timedelta(minutes=1))
    await scheduler.tick(ten + timedelta(minutes=2))
    assert channel.to("g2") == ["🔔 <b>Nhắc việc</b>: Họp"]  # after two back-offs
    async with app.db.transaction() as session:
        rows = list(await session.scalars(select(Outbox).order_by(Outbox.id)))
        by_status = sorted((r.status, r.attempts) for r in rows)
        gone = await session.scalar(select(Chat).where(Chat.platform_chat_id == "g3"))
    assert by_status == [("failed", 0), ("sent", 0), ("sent", 0), ("sent", 2)]
    assert gone is not None and gone.active is False


async def test_a_dead_letter_after_bounded_attempts(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    _head, lan = await setup_unit(app, admin, clock)
    await lan.say("/nhacnho 10h Thử")
    channel.fail("lan", *[Transient("down")] * 20)
    moment = MONDAY_9 + timedelta(hours=1)
    for _ in range(12):
        await scheduler.tick(moment)
        moment += timedelta(minutes=15)
    async with app.db.transaction() as session:
        row = (await outbox.rows(session))[0]
    assert (row.status, row.attempts) == ("dead", 7)
    assert channel.to("lan") == []


async def test_pushes_through_telegram_follow_migration_and_blocks(
    app: App, admin: User, clock: Clock
) -> None:
    """The dispatcher with the real PTB client against the fake Bot API server."""
    from bot.channels.telegram import TelegramChannel
    from tests.fakes.telegram_api import FakeTelegram

    fake = FakeTelegram().start()
    channel = TelegramChannel(app, fake.token, base_url=fake.base_url)
    await channel.connect()
    scheduler = Scheduler(app, senders={"telegram": channel})
    try:
        async with app.db.transaction() as session:
            for chat_id in ("-101", "-102", "-103"):
                session.add(Chat(platform="telegram", platform_chat_id=chat_id, kind="group"))
            await session.flush()
            for row in await session.scalars(select(Chat).where(Chat.platform == "telegram")):
                await outbox.enqueue(session, chat_id=row.id, kind="announce", text="<b>Họp</b> & bàn",
                                     dedupe_key=f"t:{row.platform_chat_id}", due_at=MONDAY_9)  # fmt: skip
        fake.fail("sendMessage", 400, chat=-101, migrate_to_chat_id=-100777)  # -101 moved
        fake.forbidden_chats.add(-102)
        fake.fail("sendMessage", 502, chat=-103)  # a bad gateway: back off, then try again
        await scheduler.tick(MONDAY_9)
        assert fake.sent(-103) and not [c for c in fake.sent(-103) if "_result" in c.params]
        await scheduler.tick(MONDAY_9 + timedelta(seconds=6))
    finally:
        await channel.application.shutdown()
        fake.stop()
    delivered = {int(c.params["chat_id"]) for c in fake.sent()}
    assert {-100777, -103} <= delivered
    assert fake.sent(-100777)[-1].params["text"] == "<b>Họp</b> & bàn"
    async with app.db.transaction() as session:
        chats = {
            c.platform_chat_id: c.active
            for c in await session.scalars(select(Chat).where(Chat.platform == "telegram"))
        }
        states = sorted(r.status for r in await outbox.rows(session))
    assert chats == {"-100777": True, "-102": False, "-103": True}
    assert states == ["failed", "sent", "sent"]
