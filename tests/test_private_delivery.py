"""Pushes to a unit reach people, not only groups: through the unit's group on an app where it
has one, privately where it has none (Zalo bots cannot join groups), one copy per person,
on the app they used last; a member may mute a unit's private pushes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.scheduler import Scheduler
from storage import chats, outbox
from tests.conftest import INVITE_CODE, Clock, User, found
from tests.fakes.channel import FakeChannel
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

MONDAY_9 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ANNOUNCED = "📣 <b>Thông báo</b> (Hùng):\nChiều nay 15h họp toàn phòng"


class Platforms:
    """The dispatcher's channels of both apps, each recording what it was given to send."""

    def __init__(self) -> None:
        self.telegram, self.zalo = FakeChannel(), FakeChannel()

    def got(self, chat_id: str) -> list[str]:
        """The announcements sent into this chat, whichever app it is on."""
        sent = self.telegram.to(chat_id) + self.zalo.to(chat_id)
        return [text for text in sent if text.startswith("📣")]


@pytest.fixture
def apps() -> Platforms:
    return Platforms()


@pytest.fixture
def dispatcher(app: App, apps: Platforms) -> Scheduler:
    return Scheduler(app, senders={"telegram": apps.telegram, "zalo": apps.zalo})


async def join(admin: User, user: User, role: str = "") -> User:
    code = found(INVITE_CODE, await admin.say(f"/moi KT {role}".strip()))
    assert "Chào mừng" in await user.say(f"/start {code}")
    return user


async def unit_on_two_apps(app: App, admin: User, clock: Clock) -> dict[str, User]:
    """Phòng Kế toán: its head and Mai on Telegram, with the unit's Telegram group; Lan and
    Tú on Zalo, where there are no groups."""
    clock.now = MONDAY_9
    await admin.say("/donvi them KT Phòng Kế toán")
    people = {
        "head": await join(admin, User(app, "101", name="Hùng", platform="telegram"), "lead"),
        "mai": await join(admin, User(app, "102", name="Mai", platform="telegram")),
        "lan": await join(admin, User(app, "z-lan", name="Lan", platform="zalo")),
        "tu": await join(admin, User(app, "z-tu", name="Tú", platform="zalo")),
    }
    group = User(app, "101", name="Hùng", platform="telegram", chat_id="-500", group=True)
    assert "Đã liên kết" in await group.say("/lienket KT")
    return people


async def test_an_announcement_reaches_zalo_members_privately_and_telegram_ones_in_the_group(
    app: App, admin: User, clock: Clock, apps: Platforms, dispatcher: Scheduler
) -> None:
    people = await unit_on_two_apps(app, admin, clock)
    question = await people["head"].say("/thongbao Chiều nay 15h họp toàn phòng")
    assert question.startswith(
        "Thông báo sẽ gửi tới:\n"
        "• Telegram: 1 nhóm chat, 0 người nhắn riêng\n"
        "• Zalo: 0 nhóm chat, 2 người nhắn riêng\n\n"
    )
    assert (await people["head"].say("1")).startswith("Đang gửi thông báo tới:\n• Telegram: 1")
    await dispatcher.tick(MONDAY_9 + timedelta(seconds=5))
    assert apps.telegram.to("-500") == [ANNOUNCED]
    assert apps.zalo.to("z-lan") == apps.zalo.to("z-tu") == [ANNOUNCED]
    assert apps.got("101") == apps.got("102") == []  # they read it in the group
    await dispatcher.tick(MONDAY_9 + timedelta(minutes=5))  # nothing goes out twice
    assert len(apps.telegram.delivered) == 1 and len(apps.zalo.delivered) == 2


async def test_a_unit_reminder_goes_privately_where_no_group_reaches(
    app: App, admin: User, clock: Clock, apps: Platforms, dispatcher: Scheduler
) -> None:
    people = await unit_on_two_apps(app, admin, clock)
    assert "cho các nhóm của" in await people["head"].say("/nhacnho @KT 30 phút nữa Nộp hồ sơ")
    await dispatcher.tick(MONDAY_9 + timedelta(minutes=30))
    reminder = "🔔 <b>Nhắc việc</b>: Nộp hồ sơ"
    assert apps.telegram.to("-500") == [reminder]
    assert apps.zalo.to("z-lan") == [reminder]
    snooze = apps.zalo.delivered[0][2][0]["payload"]  # a private copy can be snoozed
    assert "mình sẽ nhắc lại lúc" in await people["lan"].say(payload=snooze)


async def test_a_person_on_both_apps_gets_one_copy_on_the_app_they_used_last(
    app: App, admin: User, clock: Clock, apps: Platforms, dispatcher: Scheduler
) -> None:
    await unit_on_two_apps(app, admin, clock)
    await admin.say("/donvi them VP Văn phòng")
    code = found(INVITE_CODE, await admin.say("/moi VP"))
    minh_tg = User(app, "103", name="Minh", platform="telegram")
    assert "Chào mừng" in await minh_tg.say(f"/start {code}")
    linking = await minh_tg.say("/taikhoan")
    link = found(r"Mã liên kết tài khoản của bạn: ([A-Z0-9]{8})", linking)
    minh_zalo = User(app, "z-minh", name="Minh", platform="zalo")
    assert "Mình đã gửi yêu cầu" in await minh_zalo.say(f"/taikhoan {link}")
    async with app.db.transaction() as session:
        row = [r for r in await outbox.rows(session) if r.options][-1]
    assert "Đã liên kết" in await minh_tg.say(payload=row.options[0]["payload"])
    # VP has no group anywhere: Minh hears privately, on Telegram, where he spoke last.
    assert "• Telegram: 1 nhóm chat, 1 người nhắn riêng\n• Zalo: 0 nhóm chat, 2 người" in (
        await admin.say("/thongbao Nghỉ lễ 30/4")
    )
    await admin.say("1")
    await dispatcher.tick(MONDAY_9 + timedelta(seconds=5))
    assert apps.got("103") == ["📣 <b>Thông báo</b> (Văn phòng):\nNghỉ lễ 30/4"]
    assert apps.got("z-minh") == []
    await minh_zalo.say("/trogiup")  # now Zalo is the app he used last
    await admin.say("/thongbao Mai nghỉ")
    await admin.say("1")
    await dispatcher.tick(MONDAY_9 + timedelta(seconds=10))
    assert apps.got("z-minh") == ["📣 <b>Thông báo</b> (Văn phòng):\nMai nghỉ"]
    assert len(apps.got("103")) == 1
    assert apps.got("z-lan") == [
        "📣 <b>Thông báo</b> (Văn phòng):\nNghỉ lễ 30/4",
        "📣 <b>Thông báo</b> (Văn phòng):\nMai nghỉ",
    ]


async def test_a_member_who_never_wrote_to_the_bot_is_counted_as_unreachable(
    app: App, admin: User, clock: Clock
) -> None:
    people = await unit_on_two_apps(app, admin, clock)
    async with app.db.transaction() as session:  # Tú blocked the bot: his chat is gone
        await chats.set_active(session, "zalo", "z-tu", False)
    question = await people["head"].say("/thongbao Họp")
    assert "• Zalo: 0 nhóm chat, 1 người nhắn riêng" in question
    assert "• 1 thành viên chưa nhắn với bot nên chưa nhận được" in question


async def test_nobody_to_reach_is_said_before_any_question(app: App, admin: User) -> None:
    await admin.say("/donvi them KT Phòng Kế toán")
    assert await admin.say("/thongbao Họp") == (
        "Chưa có ai để gửi: đơn vị của bạn chưa có nhóm chat liên kết (dùng /lienket trong "
        "nhóm) và chưa thành viên nào nhắn với bot."
    )


async def test_a_member_mutes_a_units_private_pushes_and_turns_them_back_on(
    app: App, admin: User, clock: Clock, apps: Platforms, dispatcher: Scheduler
) -> None:
    people = await unit_on_two_apps(app, admin, clock)
    lan = people["lan"]
    assert await lan.say("/tatthongbao VP") == (
        "Bạn không thuộc đơn vị VP. Đơn vị của bạn: Phòng Kế toán (KT)."
    )
    assert await lan.say("/tatthongbao") == (
        "Đã tắt tin nhắn riêng về thông báo, nhắc việc của Phòng Kế toán (KT). Trong nhóm "
        "chat của đơn vị (nếu có) vẫn đọc được. Gõ /batthongbao để bật lại."
    )
    assert "• Zalo: 0 nhóm chat, 1 người nhắn riêng" in await people["head"].say("/thongbao Họp")
    await people["head"].say("1")
    await dispatcher.tick(MONDAY_9 + timedelta(seconds=5))
    assert apps.got("z-lan") == [] and len(apps.got("z-tu")) == 1
    assert await lan.say("bật thông báo KT") == (
        "Đã bật lại tin nhắn riêng về thông báo, nhắc việc của Phòng Kế toán (KT)."
    )
    assert "• Zalo: 0 nhóm chat, 2 người" in await people["head"].say("/thongbao Họp lại")


async def test_muting_asks_which_unit_when_there_are_several(app: App, admin: User) -> None:
    await admin.say("/donvi them KT Phòng Kế toán")
    await admin.say("/donvi them CD Công đoàn")
    lan = User(app, "lan", name="Lan")
    for unit in ("KT", "CD"):
        code = found(INVITE_CODE, await admin.say(f"/moi {unit}"))
        await lan.say(f"/start {code}")
    assert await lan.say("/tatthongbao") == (
        "Bạn ở nhiều đơn vị: Công đoàn (CD), Phòng Kế toán (KT). Gõ /tatthongbao kèm mã đơn "
        "vị, hoặc /tatthongbao tatca."
    )
    assert "Công đoàn (CD), Phòng Kế toán (KT)" in await lan.say("/tatthongbao tatca")
    assert await User(app, "minh").say("/tatthongbao") == (
        "Bạn chưa thuộc đơn vị nào nên chưa có thông báo nào để tắt hay bật."
    )
    assert await lan.say("/ngonngu en") == "Switched to English."
    assert "Send /unmute with a unit code, or /unmute all." in await lan.say("/unmute")


async def test_end_to_end_on_both_fakes_one_copy_each(app: App, admin: User, clock: Clock) -> None:
    """The real channels against the fake Telegram and Zalo servers: the unit's Telegram group
    hears once, Zalo members privately once each, the person on both apps not twice."""
    await unit_on_two_apps(app, admin, clock)
    both = await join(admin, User(app, "104", name="Ngọc", platform="telegram"))
    link = found(r"Mã liên kết tài khoản của bạn: ([A-Z0-9]{8})", await both.say("/taikhoan"))
    ngoc_zalo = User(app, "z-ngoc", name="Ngọc", platform="zalo")
    assert "Mình đã gửi yêu cầu" in await ngoc_zalo.say(f"/taikhoan {link}")
    async with app.db.transaction() as session:
        row = [r for r in await outbox.rows(session) if r.options][-1]
    assert "Đã liên kết" in await both.say(payload=row.options[0]["payload"])
    telegram_api, zalo_api = FakeTelegram().start(), FakeZalo().start()
    telegram = TelegramChannel(app, telegram_api.token, base_url=telegram_api.base_url)
    zalo = ZaloChannel(app, zalo_api.token, base_url=zalo_api.base_url)
    await telegram.connect()
    await zalo.connect()
    try:
        assert "• Zalo: 0 nhóm chat, 2 người" in await admin.say("/thongbao Mai nghỉ lễ")
        await admin.say("1")
        dispatcher = Scheduler(app, senders={"telegram": telegram, "zalo": zalo})
        await dispatcher.tick(clock.now + timedelta(seconds=5))
        pushed = [c for c in telegram_api.sent() if "Mai nghỉ lễ" in str(c.params["text"])]
        assert [int(c.params["chat_id"]) for c in pushed] == [-500]
        private = [c for c in zalo_api.sent() if "Mai nghỉ lễ" in str(c.params["text"])]
        assert sorted(c.params["chat_id"] for c in private) == ["z-lan", "z-tu"]
        await dispatcher.tick(clock.now + timedelta(minutes=5))  # nothing goes twice
        sent = [str(c.params) for c in telegram_api.sent()] + [
            str(c.params) for c in zalo_api.sent()
        ]
        assert sum("nghỉ lễ" in params for params in sent) == len(pushed) + len(private) == 3
    finally:
        await telegram.application.shutdown()
        await zalo.stop()
        telegram_api.stop()
        zalo_api.stop()
