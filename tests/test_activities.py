"""Union and youth activities end to end through the router: putting one on (one line and
the dialog), the announcement with its button, signing up and withdrawing with the waitlist,
the organiser's list and additions, cancelling, reminders, bad input, and many presses at
once; then the same journey on the Telegram and Zalo fakes and in the console."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.scheduler import Scheduler
from storage import outbox
from storage.models import Account, Activity, AuditLog, Membership, Person, Signup, Unit
from tests.conftest import (
    INVITE_CODE,
    Clock,
    User,
    found,
    row_counts,
    run_cli,
    serving,
)
from tests.fakes.channel import FakeChannel
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

NAMES = {1: "Văn phòng", 2: "Lan", 3: "Thu"}
SATURDAY_7 = datetime(2026, 3, 7, 0, 0, tzinfo=UTC)  # Thứ Bảy 07/03/2026 07:00 in Hà Nội
BLOOD = "/hoatdong them Hiến máu nhân đạo; 7h thứ bảy; Hội trường; {places}; hạn 17h thứ sáu"


async def join(admin: User, user: User, unit: str = "KT", role: str = "") -> User:
    code = found(INVITE_CODE, await admin.say(f"/moi {unit} {role}".strip()))
    assert "Chào mừng" in await user.say(f"/start {code}")
    return user


@pytest.fixture
async def kt(app: App, admin: User) -> dict[str, User]:
    """Phòng Kế toán: Hùng its lead, Thu its union officer (outreach), Lan and Mai members;
    Phòng Nhân sự beside it with Tú."""
    await admin.say("/donvi them KT Phòng Kế toán")
    await admin.say("/donvi them NS Phòng Nhân sự")
    people = {
        "head": await join(admin, User(app, "head", name="Hùng"), role="lead"),
        "thu": await join(admin, User(app, "thu", name="Thu"), role="outreach"),
        "lan": await join(admin, User(app, "lan", name="Lan")),
        "mai": await join(admin, User(app, "mai", name="Mai")),
        "tu": await join(admin, User(app, "tu", name="Tú"), unit="NS"),
    }
    return people


async def put_on(user: User, places: int | str = 2, line: str = BLOOD) -> str:
    """The one-line form, confirmed: the reply that says it was created."""
    question = await user.say(line.format(places=places))
    assert "Tạo hoạt động" in question, question
    return await user.say("1")


async def signups(app: App) -> list[tuple[str, str]]:
    async with app.db.transaction() as session:
        rows = await session.execute(
            select(Person.display_name, Signup.status)
            .join(Person, Person.id == Signup.person_id)
            .order_by(Signup.id)
        )
        return [(name, status) for name, status in rows.all()]


async def pushed(app: App, kind: str = "activity") -> list[tuple[int, str, list]]:
    async with app.db.transaction() as session:
        return [
            (r.chat_id, r.text, r.options) for r in await outbox.rows(session) if r.kind == kind
        ]


# -- putting one on -------------------------------------------------------------------------


async def test_a_union_officer_puts_on_an_activity_in_one_line_and_it_is_announced(
    app: App, kt: dict[str, User]
) -> None:
    question = await kt["thu"].say(BLOOD.format(places=50) + "; @KT")
    assert question.startswith(
        "Tạo hoạt động Hiến máu nhân đạo?\n"
        "Loại: hiến máu\n"
        "Thời gian: Thứ Bảy, 07/03/2026 lúc 07:00\n"
        "Địa điểm: Hội trường\n"
        "Số chỗ: 50 chỗ\n"
        "Hạn đăng ký: Thứ Sáu, 06/03/2026 lúc 17:00\n"
        "Dành cho: Phòng Kế toán (KT)\n\n"
        "Thông báo sẽ gửi tới:\n"
    )
    assert await pushed(app) == []  # nothing before the confirmation
    created = await kt["thu"].say("1")
    assert created.startswith("Đã tạo hoạt động số 1: Hiến máu nhân đạo. Đang thông báo tới:")
    assert "4 người nhắn riêng" in created  # the four members of KT, no group linked
    rows = await pushed(app)
    assert len(rows) == len({chat for chat, _, _ in rows}) == 4  # one copy per person
    assert all(options == [{"label": "Đăng ký tham gia", "payload": "act:join:1"}]
               for _, _, options in rows)  # fmt: skip
    assert "🤝 <b>Hoạt động số 1: Hiến máu nhân đạo</b>" in rows[0][1]
    assert "Người tổ chức: Thu" in rows[0][1]
    async with app.db.transaction() as session:
        activity = await session.scalar(select(Activity))
        assert activity is not None and activity.kind == "hien_mau" and activity.capacity == 50
        actions = list(await session.scalars(select(AuditLog.action)))
        assert "activity.create" in actions and "activity.announce" in actions


async def test_the_guided_dialog_asks_again_after_bad_answers(
    app: App, kt: dict[str, User], admin: User
) -> None:
    head = kt["head"]
    assert "Tên hoạt động là gì?" in await head.say("/hoatdong them")
    assert '"Tết trồng cây" diễn ra khi nào?' in await head.say("Tết trồng cây")
    assert "đã qua" in await head.say("7h hôm qua")
    assert "Ở đâu?" in await head.say("7h30 chủ nhật")
    assert "Bao nhiêu chỗ?" in await head.say("Công viên Hoàng Văn Thụ")
    assert 'Số chỗ "abc" không dùng được' in await head.say("abc")
    assert 'Số chỗ "0" không dùng được' in await head.say("0")
    assert "Hạn đăng ký đến khi nào?" in await head.say("30")
    assert "phải trước giờ bắt đầu" in await head.say("8h thứ hai")
    confirm = await head.say("17h thứ bảy")  # one unit: no audience question
    assert "Loại: trồng cây" in confirm and "Hạn đăng ký: Thứ Bảy, 07/03/2026 lúc 17:00" in confirm
    assert "Đã tạo hoạt động số 1: Tết trồng cây" in await head.say("1")
    # An admin is asked whom it is for; "tất cả" is everyone.
    await admin.say("/hoatdong them")
    await admin.say("Hội thao 26/3")
    await admin.say("8h 26/3")
    await admin.say("Sân vận động")
    await admin.say("1")  # no limit
    assert "Dành cho đơn vị nào?" in await admin.say("1")  # until the start
    assert "Dành cho: toàn cơ quan" in await admin.say("tất cả")
    assert "• console: 0 nhóm chat, 5 người nhắn riêng" in await admin.say("1")


async def test_a_dialog_left_creates_nothing(app: App, kt: dict[str, User]) -> None:
    await kt["head"].say("/hoatdong them")
    await kt["head"].say("Văn nghệ 8/3")
    assert "chưa tạo hoạt động nào" in await kt["head"].say("huỷ")
    assert (await row_counts(app))["activity"] == 0


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (BLOOD.format(places=0), 'Số chỗ "0" không dùng được'),
        (BLOOD.format(places="abc"), 'Số chỗ "abc" không dùng được'),
        ("/hoatdong them Hiến máu; 7h hôm qua; Hội trường; 10", "đã qua"),
        ("/hoatdong them Hiến máu; 7h 01/03/2026; Hội trường; 10", "đã qua"),
        (
            "/hoatdong them Hiến máu; 7h thứ bảy; Hội trường; 10; hạn 17h chủ nhật",
            "Hạn đăng ký phải trước giờ bắt đầu",
        ),
        ("/hoatdong them Hiến máu; 7h thứ bảy; Hội trường; 10; @NS", "không cho: Phòng Nhân sự"),
        ("/hoatdong them Hiến máu; 7h thứ bảy; Hội trường; 10; tất cả", "không cho: toàn cơ quan"),
        ("/hoatdong them Hiến máu; 7h thứ bảy; Hội trường; 10; @XX", "XX"),
        ("/hoatdong them Hiến máu; quả chuối", "chưa hiểu thời gian"),
        ("/hoatdong them Hiến máu; 8h hằng tuần", "là lịch lặp lại"),
        ("/hoatdong them Hiến máu", "Cần thời gian diễn ra"),
    ],
)
async def test_bad_activities_are_refused_and_nothing_is_stored(
    app: App, kt: dict[str, User], line: str, expected: str
) -> None:
    before = await row_counts(app)
    reply = await kt["thu"].say(line)
    assert expected in reply, reply
    assert "Tạo hoạt động" not in reply
    assert await row_counts(app) == before


async def test_a_member_without_the_role_cannot_put_one_on(app: App, kt: dict[str, User]) -> None:
    before = await row_counts(app)
    for typed in (BLOOD.format(places=5), "/hoatdong them"):
        reply = await kt["lan"].say(typed)
        assert "Chỉ cán bộ Công đoàn, Đoàn" in reply
    assert await row_counts(app) == before
    assert "Tạo hoạt động" not in await kt["lan"].say("/hoatdong")  # no officer's hint


# -- the list and signing up ----------------------------------------------------------------


async def test_members_see_their_coming_activities_with_places_and_their_marks(
    app: App, kt: dict[str, User], admin: User
) -> None:
    await put_on(kt["thu"], 1)
    await put_on(admin, line="/hoatdong them Giải chạy; 6h chủ nhật; Sân; 100; @NS")
    assert (await kt["lan"].say("/thamgia 1")).startswith(
        "✅ Bạn đã đăng ký tham gia hoạt động số 1: Hiến máu nhân đạo"
        " (Thứ Bảy, 07/03/2026 lúc 07:00)."
    )
    assert "danh sách chờ, thứ 1" in await kt["mai"].say("/thamgia 1")
    listing = await kt["lan"].say("/hoatdong")
    assert listing.startswith(
        "🤝 Hoạt động sắp tới (1):\n"
        "1. Hiến máu nhân đạo (hiến máu)\n"
        "    🗓 Thứ Bảy, 07/03/2026 lúc 07:00 · 📍 Hội trường\n"
        "    👥 còn 0/1 chỗ, 1 người trong danh sách chờ · ✅ bạn đã đăng ký\n"
    )
    assert "Giải chạy" not in listing  # NS's
    assert "⏳ bạn đang ở danh sách chờ (thứ 1)" in await kt["mai"].say("/hoatdong")
    assert "Tạo hoạt động: /hoatdong them" in await kt["thu"].say("/hoatdong")
    both = await admin.say("/hoatdong")
    assert "Hiến máu nhân đạo" in both and "Giải chạy" in both
    assert "Giải chạy" in await kt["tu"].say("/activity")


async def test_one_press_signs_up_the_next_withdraws_and_the_waitlist_moves_up(
    app: App, kt: dict[str, User]
) -> None:
    await put_on(kt["thu"], 1)
    lan, mai, head = kt["lan"], kt["mai"], kt["head"]
    assert "✅ Bạn đã đăng ký" in await lan.say(payload="act:join:1")
    assert "Bạn ở danh sách chờ, thứ 1" in await mai.say(payload="act:join:1")
    assert "Bạn ở danh sách chờ, thứ 2" in await head.say("/join 1")
    assert await signups(app) == [("Lan", "confirmed"), ("Mai", "waitlist"), ("Hùng", "waitlist")]
    assert "Bạn đã rút đăng ký hoạt động số 1" in await lan.say(payload="act:join:1")
    # Mai had the first place in line: she has the freed place, and is told privately.
    assert await signups(app) == [("Lan", "withdrawn"), ("Mai", "confirmed"), ("Hùng", "waitlist")]
    notices = [text for _, text, _ in await pushed(app) if "Đã có chỗ cho bạn" in text]
    assert len(notices) == 1 and "hoạt động số 1: Hiến máu nhân đạo" in notices[0]
    assert "danh sách chờ, thứ 2" in await lan.say("/thamgia 1")  # back, at the end of the line
    roster = await kt["thu"].say("/hoatdong ds 1")
    assert roster == (
        "📋 Hoạt động số 1: Hiến máu nhân đạo — còn 0/1 chỗ, 2 người trong danh sách chờ\n"
        "1. Mai (KT)\n"
        "Danh sách chờ (2), theo thứ tự:\n"
        "1. Hùng (KT)\n"
        "2. Lan (KT)"
    )


async def test_sign_ups_close_at_the_deadline_and_withdrawals_at_the_start(
    app: App, kt: dict[str, User], clock: Clock
) -> None:
    await put_on(kt["thu"], 10)
    await kt["lan"].say("/thamgia 1")
    clock.now = datetime(2026, 3, 6, 10, 0, tzinfo=UTC)  # Friday 17:00: the deadline
    before = await row_counts(app)
    assert "đã hết hạn đăng ký" in await kt["mai"].say("/thamgia 1")
    assert await row_counts(app) == before
    assert "Bạn đã rút" in await kt["lan"].say("/thamgia 1")  # until the start, one may withdraw
    assert "đã hết hạn đăng ký" in await kt["lan"].say("/thamgia 1")
    await kt["thu"].say("/hoatdong them-nguoi 1 Lan")  # the organiser still may add
    clock.now = SATURDAY_7 + timedelta(minutes=5)
    assert "đã bắt đầu, không rút đăng ký được nữa" in await kt["lan"].say("/thamgia 1")
    assert await signups(app) == [("Lan", "confirmed")]


async def test_refused_presses_store_nothing(app: App, kt: dict[str, User]) -> None:
    await put_on(kt["thu"], 10)
    before = await row_counts(app)
    # Tú of NS presses the button of a forwarded KT announcement.
    refusal = await kt["tu"].say(payload="act:join:1")
    assert refusal.startswith("Hoạt động số 1 không dành cho đơn vị của bạn, mình không ghi gì")
    assert "Không có hoạt động số 99" in await kt["lan"].say("/thamgia 99")
    assert "Không có hoạt động số 99" in await kt["lan"].say(payload="act:join:99")
    assert "Ghi số của hoạt động" in await kt["lan"].say("/thamgia ba")
    stranger = User(app, "khach", name="Khách")
    await stranger.say("/start")
    before = await row_counts(app)
    assert "không dành cho đơn vị của bạn" in await stranger.say(payload="act:join:1")
    assert "Không có hoạt động số 1" in await kt["tu"].say("/hoatdong 1")  # not shown to NS
    assert await row_counts(app) == before


async def test_cancelling_tells_everyone_signed_up_and_closes_sign_ups(
    app: App, kt: dict[str, User]
) -> None:
    await put_on(kt["thu"], 1)
    await kt["lan"].say("/thamgia 1")
    await kt["mai"].say("/thamgia 1")  # waiting
    assert "Chỉ người tổ chức hoạt động số 1" in await kt["lan"].say("/hoatdong huy 1")
    assert "Chỉ người tổ chức hoạt động số 1" in await kt["head"].say("/hoatdong huy 1")
    cancelled = await kt["thu"].say("/hoatdong huy 1")
    assert cancelled == (
        "Đã huỷ hoạt động số 1: Hiến máu nhân đạo. 2 người đã đăng ký; 2 người được báo riêng."
    )
    told = [text for _, text, _ in await pushed(app) if text.startswith("❌")]
    assert len(told) == 2
    assert "đã bị huỷ" in await kt["head"].say("/thamgia 1")
    assert "Chưa có hoạt động nào" in await kt["lan"].say("/hoatdong")
    assert "đã bị huỷ" in await kt["thu"].say("/hoatdong huy 1")


async def test_the_organiser_adds_people_by_name_or_handle(app: App, kt: dict[str, User]) -> None:
    await put_on(kt["thu"], 2)
    await kt["lan"].say("/thamgia 1")
    added = await kt["thu"].say("/hoatdong them-nguoi 1 @lan, Mai; Hùng")
    assert added == (
        "Hoạt động số 1: Hiến máu nhân đạo\n"
        "• Lan: đã đăng ký từ trước\n"
        "• Mai: đã thêm vào danh sách tham gia\n"
        "• Hùng: hết chỗ, vào danh sách chờ (thứ 1)"
    )
    notices = [text for _, text, _ in await pushed(app) if "đã đăng ký cho bạn" in text]
    assert len(notices) == 2 and notices[0].startswith("🤝 Thu đã đăng ký cho bạn")
    assert "Lan (KT)\n2. Mai (KT) — do người tổ chức thêm" in await kt["thu"].say("/hoatdong ds 1")
    before = await row_counts(app)
    assert 'Không tìm thấy "Tú"' in await kt["thu"].say("/hoatdong them-nguoi 1 Tú")  # NS
    assert "Chỉ người tổ chức" in await kt["lan"].say("/hoatdong them-nguoi 1 Mai")
    assert "Chỉ người tổ chức" in await kt["lan"].say("/hoatdong ds 1")
    assert await row_counts(app) == before
    assert "Mai" in await kt["head"].say("/activity roster 1")  # a lead of its unit sees it


async def test_english_readers_get_english(app: App, kt: dict[str, User]) -> None:
    await kt["lan"].say("/ngonngu en")
    await put_on(kt["thu"], 1)
    assert "You are signed up for activity 1" in await kt["lan"].say("/join 1")
    assert "Coming activities (1)" in await kt["lan"].say("/activity")
    cards = [text for chat, text, _ in await pushed(app) if "Activity 1: " in text]
    assert len(cards) == 1  # Lan's copy of the announcement was in English


# -- reminders ------------------------------------------------------------------------------


async def test_reminders_go_a_day_and_an_hour_before_once_even_across_restarts(
    app: App, kt: dict[str, User], clock: Clock, channel: FakeChannel
) -> None:
    await put_on(kt["thu"], 1)
    await kt["lan"].say("/thamgia 1")
    await kt["mai"].say("/thamgia 1")  # waiting: no reminder
    scheduler = Scheduler(app, senders={"console": channel})
    await scheduler.tick(clock())
    channel.delivered.clear()  # the announcements
    day_before = SATURDAY_7 - timedelta(days=1)
    await scheduler.tick(day_before - timedelta(minutes=1))
    assert channel.delivered == []
    await scheduler.tick(day_before)
    assert channel.to("lan") == [
        "🔔 <b>Nhắc lịch</b>: bạn đã đăng ký hoạt động số 1: Hiến máu nhân đạo,"
        " Thứ Bảy, 07/03/2026 lúc 07:00, tại Hội trường."
    ]
    assert channel.to("mai") == []
    await scheduler.tick(day_before + timedelta(minutes=10))
    restarted = Scheduler(app, senders={"console": channel})  # a new process: runs every producer
    await restarted.tick(day_before + timedelta(minutes=20))
    assert len(channel.to("lan")) == 1
    await restarted.tick(SATURDAY_7 - timedelta(hours=1))
    assert channel.to("lan")[1].startswith("⏰ <b>Còn 1 giờ</b>: hoạt động số 1")
    await restarted.tick(SATURDAY_7 - timedelta(minutes=30))
    await restarted.tick(SATURDAY_7 + timedelta(minutes=1))
    assert len(channel.to("lan")) == 2 and channel.to("mai") == []


async def test_a_cancelled_activity_reminds_nobody(
    app: App, kt: dict[str, User], channel: FakeChannel
) -> None:
    await put_on(kt["thu"], 5)
    await kt["lan"].say("/thamgia 1")
    await kt["thu"].say("/hoatdong huy 1")
    scheduler = Scheduler(app, senders={"console": channel})
    await scheduler.tick(SATURDAY_7 - timedelta(hours=1))
    assert not [t for t in channel.to("lan") if "Nhắc lịch" in t or "Còn 1 giờ" in t]


# -- many at once ---------------------------------------------------------------------------


async def add_members(app: App, unit_code: str, count: int) -> list[User]:
    """`count` members of the unit, written straight into the database (no invitations)."""
    async with app.db.transaction() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == unit_code))
        assert unit is not None
        for n in range(count):
            person = Person(display_name=f"Người {n}", last_platform="console")
            session.add(person)
            await session.flush()
            session.add(Account(platform="console", platform_user_id=f"m{n}", person=person))
            session.add(Membership(person_id=person.id, unit_id=unit.id, role="member"))
    return [User(app, f"m{n}", name=f"Người {n}") for n in range(count)]


async def test_many_presses_at_once_never_oversell_nor_sign_anyone_up_twice(
    app: App, kt: dict[str, User]
) -> None:
    await put_on(kt["thu"], 10)
    crowd = await add_members(app, "KT", 60)
    replies = await asyncio.gather(*(m.say(payload="act:join:1") for m in crowd))
    assert sum("✅ Bạn đã đăng ký" in r for r in replies) == 10
    assert sum("Bạn ở danh sách chờ" in r for r in replies) == 50
    positions = sorted(int(r.split("thứ ")[1].split(";")[0]) for r in replies if "chờ" in r)
    assert positions == list(range(1, 51))
    async with app.db.transaction() as session:
        counts = dict(
            (
                await session.execute(select(Signup.status, func.count()).group_by(Signup.status))
            ).all()
        )
        people = await session.scalar(select(func.count(func.distinct(Signup.person_id))))
    assert counts == {"confirmed": 10, "waitlist": 50} and people == 60
    # Five confirmed withdraw at once: exactly five move up, in line order.
    confirmed = [m for m, r in zip(crowd, replies, strict=True) if "✅" in r][:5]
    await asyncio.gather(*(m.say(payload="act:join:1") for m in confirmed))
    async with app.db.transaction() as session:
        counts = dict(
            (
                await session.execute(select(Signup.status, func.count()).group_by(Signup.status))
            ).all()
        )
    assert counts == {"confirmed": 10, "waitlist": 45, "withdrawn": 5}


# -- on the platforms -----------------------------------------------------------------------


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram().start()
    yield server
    server.stop()


async def test_on_telegram_the_announcement_button_signs_up_in_the_group(
    database_url: str, telegram: FakeTelegram, clock: Clock
) -> None:
    async def say(user: int, text: str, chat: int | None = None) -> str:
        where = {"chat_id": chat, "kind": "group"} if chat is not None else {}
        return await telegram.say(user, text, name=NAMES.get(user, ""), **where)

    async with serving(telegram, database_url, clock, admin="1") as (app, channel):
        await say(1, "/donvi them KT Phòng Kế toán")
        for user, role in ((3, "outreach"), (2, "")):
            before = len(telegram.sent(1))
            telegram.message(1, f"/moi KT {role}".strip())
            texts = await telegram.wait_sent(1, before + 2)
            code = found(r"<code>([A-Z0-9]{8})</code>", texts[before])
            assert "Chào mừng" in await say(user, f"/start {code}")
        telegram.chat_admins[-100500] = {1}
        assert "Đã liên kết" in await say(1, "/lienket KT", chat=-100500)
        assert "Tạo hoạt động" in await say(3, BLOOD.format(places=20) + "; @KT")
        created = await say(3, "Tạo")
        assert "• Telegram: 1 nhóm chat, 0 người nhắn riêng" in created
        await Scheduler(app, senders={"telegram": channel}).dispatch_due(clock())
        card = telegram.sent(-100500)[-1]
        buttons = card.params["reply_markup"]["inline_keyboard"]
        assert buttons == [[{"text": "Đăng ký tham gia", "callback_data": "act:join:1"}]]
        before = len(telegram.sent(-100500))
        telegram.press(2, card, "act:join:1")
        answer = (await telegram.wait_sent(-100500, before + 1))[before]
        # a press carries the presser's Telegram name (the fake's "User 2"), said in the group
        assert answer.startswith("User 2: ✅ Bạn đã đăng ký tham gia hoạt động số 1")
        assert await signups(app) == [("User 2", "confirmed")]


async def test_on_zalo_the_announcement_number_signs_up(database_url: str, clock: Clock) -> None:
    zalo = FakeZalo().start()
    try:
        async with serving(zalo, database_url, clock, admin="za-admin") as (app, channel):
            await zalo.say("za-admin", "/donvi them KT Phòng Kế toán")
            code = found(r": ([A-Z0-9]{8})\n", await zalo.say("za-admin", "/moi KT"))
            assert "Chào mừng" in await zalo.say("za-lan", f"/start {code}")
            made = await zalo.say("za-admin", BLOOD.format(places=20) + "; @KT")
            assert "Tạo hoạt động" in made
            assert "• Zalo: 0 nhóm chat, 1 người nhắn riêng" in await zalo.say("za-admin", "1")
            await Scheduler(app, senders={"zalo": channel}).dispatch_due(clock())
            card = zalo.texts("za-lan")[-1]
            assert "Hoạt động số 1: Hiến máu nhân đạo" in card
            assert card.endswith("1. Đăng ký tham gia")
            joined = await zalo.say("za-lan", "1")
            assert "✅ Bạn đã đăng ký tham gia hoạt động số 1" in joined
            assert await signups(app) == [("User za-lan", "confirmed")]  # the fake's Zalo name
    finally:
        zalo.stop()


def test_in_the_console_an_activity_is_put_on_and_joined(database_url: str, tmp_path: Path) -> None:
    """One console user (an admin by BOT_ADMINS): puts one on, signs up, sees the mark."""
    script = "\n".join([
        "/donvi them KT Phòng Kế toán",
        "/hoatdong them Trồng cây; 8h 20/12; Công viên; 30; tất cả",
        "1",
        "/thamgia 1",
        "/hoatdong",
    ]) + "\n"  # fmt: skip
    result = run_cli(
        "console", database_url=database_url, cwd=tmp_path, stdin=script,
        env={"BOT_ADMINS": "console:local"},
    )  # fmt: skip
    assert "Đã tạo hoạt động số 1: Trồng cây" in result.stdout, result.stdout + result.stderr
    assert "✅ Bạn đã đăng ký tham gia hoạt động số 1: Trồng cây" in result.stdout
    assert "còn 29/30 chỗ · ✅ bạn đã đăng ký" in result.stdout


async def test_joining_two_people_keeps_one_sign_up_the_stronger(
    app: App, kt: dict[str, User]
) -> None:
    """Linking accounts joins two people (storage/merge.py): where both signed up for one
    activity, the place is kept, not the waitlist."""
    from storage.merge import merge_people

    await put_on(kt["thu"], 1)
    await kt["mai"].say("/thamgia 1")
    await kt["lan"].say("/thamgia 1")  # waiting
    async with app.db.transaction() as session:
        ids = dict((await session.execute(select(Person.display_name, Person.id))).all())
        await merge_people(session, ids["Lan"], ids["Mai"])
    assert await signups(app) == [("Lan", "confirmed")]
