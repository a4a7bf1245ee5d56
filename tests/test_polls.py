"""Quick polls (/binhchon): made by outreach officers, leads and admins for their audience,
voted by buttons (numbers where there are none), closed by the clock or early, with results
and a chart; every bad input refused with nothing stored."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.scheduler import Scheduler
from handlers.messages import Reply
from storage import polls as poll_rows
from storage.merge import merge_people
from storage.models import AuditLog, Person, Poll, PollVote, Unit
from tests.conftest import (
    INVITE_CODE,
    Clock,
    User,
    found,
    members_of_kt,
    row_counts,
    run_cli,
    serving,
)
from tests.fakes.channel import FakeChannel
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

MONDAY_9 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
POLL = "/binhchon them Đi đâu dịp 30/4?; Sa Pa; Hạ Long; Đà Nẵng"
PNG = b"\x89PNG\r\n"


class Recording(FakeChannel):
    """A dispatcher's channel that also keeps the files the messages carry."""

    def __init__(self, *, buttons: bool = True) -> None:
        super().__init__(buttons=buttons)
        self.files: list[tuple[str, str, bytes]] = []

    async def send(self, chat_id: str, reply: Reply, *, push: bool = False) -> str:
        if reply.file is not None:
            self.files.append((chat_id, reply.file.filename, reply.file.data))
        return await super().send(chat_id, reply, push=push)


class Apps:
    """Telegram with buttons, Zalo without (numbered options)."""

    def __init__(self) -> None:
        self.telegram, self.zalo = Recording(), Recording(buttons=False)

    def polls_to(self, chat_id: str) -> list[str]:
        sent = self.telegram.to(chat_id) + self.zalo.to(chat_id)
        return [text for text in sent if text.startswith("🗳")]

    def results_to(self, chat_id: str) -> list[str]:
        sent = self.telegram.to(chat_id) + self.zalo.to(chat_id)
        return [text for text in sent if text.startswith("📊")]


@pytest.fixture
def apps() -> Apps:
    return Apps()


@pytest.fixture
def dispatcher(app: App, apps: Apps) -> Scheduler:
    return Scheduler(app, senders={"telegram": apps.telegram, "zalo": apps.zalo})


async def join(admin: User, user: User, role: str = "", unit: str = "KT") -> User:
    code = found(INVITE_CODE, await admin.say(f"/moi {unit} {role}".strip()))
    assert "Chào mừng" in await user.say(f"/start {code}")
    return user


async def unit_on_two_apps(app: App, admin: User, clock: Clock) -> dict[str, User]:
    """Phòng Kế toán: its head Hùng and Mai on Telegram, with the unit's Telegram group; Lan
    and Tú on Zalo, where there are no groups; NS beside it with Quân."""
    clock.now = MONDAY_9
    await admin.say("/donvi them KT Phòng Kế toán")
    await admin.say("/donvi them NS Phòng Nhân sự")
    people = {
        "head": await join(admin, User(app, "101", name="Hùng", platform="telegram"), "lead"),
        "mai": await join(admin, User(app, "102", name="Mai", platform="telegram")),
        "lan": await join(admin, User(app, "z-lan", name="Lan", platform="zalo")),
        "tu": await join(admin, User(app, "z-tu", name="Tú", platform="zalo")),
        "binh": await join(admin, User(app, "z-binh", name="Quân", platform="zalo"), unit="NS"),
    }
    group = User(app, "101", name="Hùng", platform="telegram", chat_id="-500", group=True)
    assert "Đã liên kết" in await group.say("/lienket KT")
    return people


def in_group(app: App, user_id: str, name: str) -> User:
    return User(app, user_id, name=name, platform="telegram", chat_id="-500", group=True)


async def stored(app: App) -> dict[str, int]:
    """Rows of every table but dialog_state (any message ends a pushed offer of numbers)."""
    return {k: v for k, v in (await row_counts(app)).items() if k != "dialog_state"}


async def votes(app: App) -> list[tuple[int, int, int]]:
    """(poll, option, person) of every vote row."""
    async with app.db.transaction() as session:
        rows = await session.execute(
            select(PollVote.poll_id, PollVote.option_id, PollVote.person_id).order_by(PollVote.id)
        )
        return [tuple(row) for row in rows.all()]  # type: ignore[misc]


async def test_a_lead_polls_the_unit_members_vote_and_the_clock_closes_it(
    app: App, admin: User, clock: Clock, apps: Apps, dispatcher: Scheduler
) -> None:
    people = await unit_on_two_apps(app, admin, clock)
    made = await people["head"].say(POLL)
    assert made.startswith(
        "Đã tạo bình chọn số 1: Đi đâu dịp 30/4?\n"
        "Chọn một, công khai (người tạo xem được ai chọn gì). Dành cho: Phòng Kế toán (KT). "
        "Đóng lúc 03/03/2026 09:00.\n"
        "Đã gửi tới:\n"
        "• Telegram: 1 nhóm chat, 0 người nhắn riêng\n"
        "• Zalo: 0 nhóm chat, 2 người nhắn riêng\n"
    )
    await dispatcher.tick(clock.now)
    pushed = (
        "🗳 <b>Bình chọn số 1</b> (Hùng):\nĐi đâu dịp 30/4?\nChọn một, công khai (người tạo xem "
        "được ai chọn gì). Đóng lúc 03/03/2026 09:00. Bấm để chọn; bấm lại để đổi hoặc rút."
    )
    assert apps.polls_to("-500") == apps.polls_to("z-lan") == apps.polls_to("z-tu") == [pushed]
    assert apps.polls_to("101") == apps.polls_to("z-binh") == []  # the group / another unit
    (_, _, options) = apps.telegram.delivered[0]
    assert options == [
        {"label": "Sa Pa", "payload": "poll:1:1"},
        {"label": "Hạ Long", "payload": "poll:1:2"},
        {"label": "Đà Nẵng", "payload": "poll:1:3"},
    ]
    mai = in_group(app, "102", "Mai")
    noted = (
        "Đã ghi nhận lựa chọn của Mai ở bình chọn số 1. Lựa chọn của bạn chỉ bạn xem: nhắn riêng "
        "/binhchon 1 cho mình."
    )
    for payload in ("poll:1:1", "poll:1:2", "poll:1:2", "poll:1:1"):  # the group never reads
        assert await mai.say(payload=payload) == noted  # what was chosen
    await dispatcher.tick(clock.now)  # Mai reads her choices privately
    voted = "Đã ghi phiếu của bạn ở bình chọn số 1 (Đi đâu dịp 30/4?): bạn đã chọn “{}”."
    assert (
        apps.telegram.to("102")
        == [
            voted.format("Sa Pa"),
            voted.format("Hạ Long"),  # changed
            "Đã rút phiếu của bạn ở bình chọn số 1 (Đi đâu dịp 30/4?). Bạn chưa chọn gì.",  # the same again
            voted.format("Sa Pa"),
        ]
    )
    assert "bạn đã chọn “Hạ Long”" in await people["lan"].say("2")  # Zalo: by number
    listing = await people["lan"].say("/binhchon")
    assert "1. Đi đâu dịp 30/4? — đóng lúc 03/03/2026 09:00 — bạn đã chọn “Hạ Long”" in listing
    assert "1. Đi đâu dịp 30/4? — đóng lúc 03/03/2026 09:00 — bạn chưa chọn" in (
        await people["tu"].say("/binhchon")
    )
    hidden = await people["tu"].say("/binhchon 1")  # not voted yet: no counts
    assert "Kết quả hiện khi bạn đã chọn" in hidden and "phiếu" not in hidden
    shown = await people["lan"].say("/binhchon 1")
    assert "• Sa Pa: 1 phiếu (50%)\n• Hạ Long: 1 phiếu (50%)" in shown and "Mai" not in shown
    owner = await people["head"].say("/binhchon 1")
    assert "   Sa Pa: Mai\n   Hạ Long: Lan\n2 người đã chọn." in owner

    clock.advance(hours=24)
    await dispatcher.tick(clock.now)
    results = (
        "📊 <b>Kết quả bình chọn số 1</b>: Đi đâu dịp 30/4?\nĐóng lúc 03/03/2026 09:00.\n"
        "• Sa Pa: 1 phiếu (50%)\n• Hạ Long: 1 phiếu (50%)\n• Đà Nẵng: 0 phiếu (0%)\n"
    )
    assert apps.results_to("-500") == [results + "2 người đã chọn."]
    assert apps.results_to("101") == [results + "   Sa Pa: Mai\n   Hạ Long: Lan\n2 người đã chọn."]
    assert sorted((chat, name) for chat, name, _ in apps.telegram.files) == [
        ("-500", "binh-chon-1.png"),  # chats are sent to side by side: in no given order
        ("101", "binh-chon-1.png"),
    ]
    assert all(data.startswith(PNG) for _, _, data in apps.telegram.files)
    async with app.db.transaction() as session:
        poll = await session.get(Poll, 1)
        assert poll is not None and poll.status == "closed"
    # once only: the next tick, and a restarted process, announce nothing again
    await dispatcher.tick(clock.now + timedelta(minutes=5))
    await Scheduler(app, senders={"telegram": apps.telegram, "zalo": apps.zalo}).tick(
        clock.now + timedelta(minutes=10)
    )
    assert len(apps.results_to("-500")) == len(apps.results_to("101")) == 1
    before = await votes(app)
    assert await people["lan"].say(payload="poll:1:1") == (
        "Bình chọn số 1 đã đóng, không nhận thêm phiếu. Gõ /binhchon 1 để xem kết quả."
    )
    assert await votes(app) == before
    closed = await people["tu"].say("/binhchon")
    assert "Đã đóng gần đây:\n1. Đi đâu dịp 30/4? — Sa Pa 50%, Hạ Long 50%, Đà Nẵng 0% (2" in closed
    assert "• Sa Pa: 1 phiếu" in await people["tu"].say("/binhchon 1")  # closed: counts shown


async def test_multiple_choice_anonymous_for_everyone_closed_early(
    app: App, admin: User, clock: Clock, apps: Apps, dispatcher: Scheduler
) -> None:
    people = await unit_on_two_apps(app, admin, clock)
    made = await admin.say(
        "/binhchon them Hoạt động nào?; Hiến máu; Trồng cây; Hội thao; nhiều lựa chọn; ẩn danh"
    )
    assert "Chọn được nhiều, ẩn danh (không ai xem được ai chọn gì). Dành cho: toàn cơ quan" in made
    assert "• Zalo: 0 nhóm chat, 3 người nhắn riêng" in made  # NS's Quân too
    await dispatcher.tick(clock.now)
    lan, binh = people["lan"], people["binh"]
    assert "bạn đã chọn “Hiến máu”" in await lan.say("1")
    assert "bạn đã chọn “Hiến máu”, “Hội thao”" in await lan.say("3")  # numbers offered again
    assert "bạn đã chọn “Hội thao”" in await lan.say(payload="poll:1:1")  # toggled off
    assert "bạn đã chọn “Trồng cây”" in await binh.say(payload="poll:1:2")
    seen = await admin.say("/binhchon 1")
    assert "• Hội thao: 1 phiếu (50%)" in seen
    assert "Lan" not in seen and "Quân" not in seen  # anonymous: not even for admins
    assert (
        await lan.say("/binhchon dong 1")
        == "Chỉ người tạo bình chọn số 1 hoặc quản trị viên mới đóng được."
    )
    closing = await admin.replies("/binhchon dong 1")
    assert closing[0].text.startswith("Đã đóng bình chọn số 1; kết quả đã gửi vào các nhóm.")
    assert closing[0].file is not None and closing[0].file.data.startswith(PNG)
    assert "Lan" not in closing[0].text
    assert await admin.say("/binhchon dong 1") == "Bình chọn số 1 đã đóng rồi."
    clock.advance(hours=30)  # the clock's closing time passes: nothing is announced again
    await dispatcher.tick(clock.now)
    assert len(apps.results_to("-500")) == 1
    assert all("Lan" not in text and "Quân" not in text for text in apps.results_to("-500"))
    async with app.db.transaction() as session:  # the rows are kept: nobody votes twice
        assert len((await session.scalars(select(PollVote))).all()) == 2
        audited = await session.execute(select(AuditLog.action, AuditLog.target))
        assert [tuple(row) for row in audited.all() if row[0].startswith("poll.")] == [
            ("poll.create", "all"),
            ("poll.close", "1"),
        ]


async def test_bad_input_gets_a_clear_reply_and_stores_nothing(
    app: App, admin: User, clock: Clock, dispatcher: Scheduler
) -> None:
    people = await unit_on_two_apps(app, admin, clock)
    head, lan, binh = people["head"], people["lan"], people["binh"]
    before = await stored(app)
    forty = "; ".join(f"Lựa chọn {n}" for n in range(40))
    for user, text, reply in (
        (head, "/binhchon them Đi đâu?; Sa Pa", "Bình chọn cần ít nhất 2 lựa chọn"),
        (head, f"/binhchon them Đi đâu?; {forty}", "tối đa 10 lựa chọn; bạn ghi 40."),
        (head, "/binhchon them Đi đâu?; Hà Nội; ha noi", 'Lựa chọn "ha noi" bị trùng'),
        (head, "/binhchon them ; Sa Pa; Hạ Long", "Bình chọn cần một câu hỏi"),
        (head, POLL + "; đóng 17h 01/03/2026", "đã qua"),
        (head, POLL + "; đơn vị NS", "Bạn chỉ tạo được bình chọn cho đơn vị mình phụ trách"),
        (head, POLL + "; đơn vị XX", "Không có đơn vị mã XX"),
        (lan, POLL, "Chỉ cán bộ công đoàn, đoàn thanh niên, trưởng đơn vị và quản trị viên"),
        (lan, "/binhchon them", "Chỉ cán bộ công đoàn"),
    ):
        assert reply in await user.say(text), text
    assert await stored(app) == before
    assert "Đã tạo bình chọn số 1" in await head.say(POLL)
    await dispatcher.tick(clock.now)
    before = await stored(app)
    for user, payload, reply in (
        (lan, "poll:1:9", "Bình chọn số 1 không có lựa chọn này, mình không ghi gì cả."),
        (lan, "poll:1:x", "Bình chọn số 1 không có lựa chọn này"),
        (lan, "poll:99:1", "Không có bình chọn số 99."),
        (lan, "poll:", "Không có bình chọn số ?."),
        (binh, "poll:1:1", "Bình chọn số 1 không dành cho đơn vị của bạn, mình không ghi gì cả."),
    ):
        assert reply in await user.say(payload=payload), payload
    assert "không dành cho đơn vị của bạn" in await binh.say("/binhchon 1")
    assert await binh.say("/binhchon") == "Chưa có bình chọn nào dành cho bạn."
    assert await stored(app) == before
    clock.advance(hours=24, seconds=1)  # after its closing time, before the producer ran
    assert "đã đóng, không nhận thêm phiếu" in await lan.say(payload="poll:1:1")
    assert await stored(app) == before
    stranger = User(app, "z-khach", name="Khách", platform="zalo")
    assert "Bạn chưa thuộc đơn vị nào nên chưa dùng được /binhchon" in await stranger.say(
        "/binhchon"
    )


async def test_outreach_polls_its_own_units_and_an_admin_any(
    app: App, admin: User, clock: Clock, dispatcher: Scheduler
) -> None:
    people = await unit_on_two_apps(app, admin, clock)
    officer = await join(admin, User(app, "z-cd", name="Cúc", platform="zalo"), "outreach")
    assert "Dành cho: Phòng Kế toán (KT)" in await officer.say(POLL + "; đơn vị kt")
    assert "Dành cho: Phòng Nhân sự (NS)." in await admin.say(
        "/binhchon them Ngày hội?; Thứ bảy; Chủ nhật; units NS; closes friday 5pm"
    )
    async with app.db.transaction() as session:
        second = await session.get(Poll, 2)
        assert second is not None
        assert second.closes_at == datetime(2026, 3, 6, 10, 0, tzinfo=UTC)  # 17:00 in Hà Nội
        assert [u.code for u in await poll_rows.units_of(session, 2)] == ["NS"]
    assert "không dành cho đơn vị của bạn" in await people["lan"].say(payload="poll:2:1")
    assert "bạn đã chọn “Chủ nhật”" in await people["binh"].say(payload="poll:2:2")
    lan_list = await people["lan"].say("/binhchon")
    assert "Đi đâu dịp 30/4?" in lan_list and "Ngày hội?" not in lan_list
    assert "Ngày hội?" in await admin.say("/binhchon")  # an admin sees every poll


async def test_the_guided_dialog(app: App, admin: User, clock: Clock) -> None:
    head, lan = await members_of_kt(app, admin)
    assert "Câu hỏi của bình chọn là gì?" in await head.say("/binhchon them")
    assert "Gửi các lựa chọn" in await head.say("Ăn trưa ở đâu?")
    noted = await head.say("Phở; Bún chả")
    assert "1. Phở\n2. Bún chả" in noted
    assert "bị trùng" in await head.say("pho")
    assert "1. Phở\n2. Bún chả\n3. Cơm" in await head.say("Cơm")
    kinds = await head.say("xong")
    assert "Một hay nhiều" in kinds or "một hay nhiều" in kinds
    assert "Khi nào đóng" in await head.say(payload="polldlg:kind:1:0")
    assert "Mình chưa hiểu thời gian" in await head.say("quả chuối")  # asked again
    made = await head.say("17h thứ sáu")
    assert "Đã tạo bình chọn số 1: Ăn trưa ở đâu?" in made and "Đóng lúc 06/03/2026 17:00" in made
    async with app.db.transaction() as session:
        poll = await session.get(Poll, 1)
        assert poll is not None and poll.multiple and not poll.anonymous
        assert [o.text for o in await poll_rows.options(session, 1)] == ["Phở", "Bún chả", "Cơm"]
    assert "bạn đã chọn “Cơm”" in await lan.say(payload="poll:1:3")


async def test_the_dialog_takes_the_default_closing_time(app: App, admin: User) -> None:
    head, _ = await members_of_kt(app, admin)
    await head.say("/binhchon them")
    await head.say("Ai trực Tết?")
    assert "Bình chọn cần ít nhất 2 lựa chọn" in await head.say(payload="polldlg:done")
    await head.say("An; Bình")
    await head.say(payload="polldlg:done")
    await head.say("chọn một, ẩn danh")
    made = await head.say(payload="polldlg:default")
    assert "Chọn một, ẩn danh" in made and "Đóng lúc 03/03/2026 09:00" in made


async def test_per_unit_counts_polls_held_and_votes_cast(
    app: App, admin: User, clock: Clock
) -> None:
    people = await unit_on_two_apps(app, admin, clock)
    await people["head"].say(POLL)  # 1: KT
    await admin.say("/binhchon them Ai?; A; B; nhiều lựa chọn")  # 2: everyone
    await admin.say("/binhchon them Khi nào?; Sáng; Chiều; đơn vị NS")  # 3: NS
    for user, payload in (
        (people["lan"], "poll:1:1"),
        (people["tu"], "poll:1:2"),
        (people["lan"], "poll:2:1"),
        (people["lan"], "poll:2:2"),  # two options, one vote
        (people["binh"], "poll:2:1"),
        (people["binh"], "poll:3:1"),
    ):
        assert "bạn đã chọn" in await user.say(payload=payload)
    clock.advance(days=3)
    await people["head"].say("/binhchon them Lần sau?; Có; Không")  # 4: KT, outside the range
    async with app.db.transaction() as session:
        units = {u.code: u.id for u in (await session.scalars(select(Unit))).all()}
        counted = await poll_rows.per_unit(session, MONDAY_9, MONDAY_9 + timedelta(days=1))
    assert counted == {units["KT"]: (2, 3), units["NS"]: (2, 2)}


# -- the real channels ------------------------------------------------------------------


ADMIN_TG, LAN_TG, HEAD_TG = 1, 2, 3


@pytest.fixture
async def telegram_api() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram().start()
    yield server
    server.stop()


@pytest.fixture
async def telegram_bot(
    database_url: str, telegram_api: FakeTelegram, clock: Clock
) -> AsyncIterator[tuple[App, TelegramChannel | ZaloChannel]]:
    async with serving(telegram_api, database_url, clock, admin=str(ADMIN_TG)) as served:
        yield served


async def test_end_to_end_on_telegram_two_votes_by_button_and_the_results_photo(
    telegram_bot: tuple[App, TelegramChannel], telegram_api: FakeTelegram, clock: Clock
) -> None:
    app, channel = telegram_bot
    fake = telegram_api
    await fake.say(ADMIN_TG, "/donvi them KT Phòng Kế toán")
    for user, role in ((HEAD_TG, "lead"), (LAN_TG, "")):
        before = len(fake.sent(ADMIN_TG))
        fake.message(ADMIN_TG, f"/moi KT {role}".strip())
        texts = await fake.wait_sent(ADMIN_TG, before + 2)
        code = found(r"<code>([A-Z0-9]{8})</code>", texts[before])
        assert "Chào mừng" in await fake.say(user, f"/start {code}")
    made = await fake.say(HEAD_TG, POLL)
    assert "• Telegram: 0 nhóm chat, 2 người nhắn riêng" in made
    dispatcher = Scheduler(app, senders={"telegram": channel})
    await dispatcher.tick(clock.now)
    for user in (LAN_TG, HEAD_TG):
        pushed = fake.sent(user)[-1]
        assert "Bình chọn số 1" in str(pushed.params["text"])
        keyboard = pushed.params["reply_markup"]["inline_keyboard"]
        assert [row[0]["callback_data"] for row in keyboard] == ["poll:1:1", "poll:1:2", "poll:1:3"]

    async def press(user: int, data: str) -> str:
        pushed = [c for c in fake.sent(user) if "reply_markup" in c.params][-1]
        before = len(fake.sent(user))
        fake.press(user, pushed, data)
        return (await fake.wait_sent(user, before + 1))[before]

    assert "bạn đã chọn “Hạ Long”" in await press(LAN_TG, "poll:1:2")
    assert "bạn đã chọn “Sa Pa”" in await press(HEAD_TG, "poll:1:1")
    assert "đã rút phiếu" in (await press(HEAD_TG, "poll:1:1")).lower()  # the buttons stay
    assert "bạn đã chọn “Sa Pa”" in await press(HEAD_TG, "poll:1:1")
    edits = fake.sent(method="editMessageText") + fake.sent(method="editMessageReplyMarkup")
    assert edits == []  # a poll's keyboard stays for the next press and the next person
    clock.advance(hours=24)
    await dispatcher.tick(clock.now)
    (photo,) = await fake.wait_for(lambda: fake.sent(HEAD_TG, method="sendPhoto"))
    assert photo.files["binh-chon-1.png"].startswith(PNG)
    caption = str(photo.params["caption"])
    assert "Kết quả bình chọn số 1" in caption and "• Hạ Long: 1 phiếu (50%)" in caption
    assert "   Hạ Long: " in caption  # the creator of a named poll sees who chose what
    assert fake.sent(LAN_TG, method="sendPhoto") == []  # results go to groups and the creator


ZALO_ADMIN = "z-admin"


async def test_end_to_end_on_zalo_a_vote_by_number(database_url: str, clock: Clock) -> None:
    fake = FakeZalo().start()
    try:
        async with serving(fake, database_url, clock, admin=ZALO_ADMIN,
                           public_url="https://bot.example") as (app, channel):  # fmt: skip
            await fake.say(ZALO_ADMIN, "/donvi them KT Phòng Kế toán")
            code = found(r": ([A-Z0-9]{8})\n", await fake.say(ZALO_ADMIN, "/moi KT"))
            assert "Chào mừng" in await fake.say("z-lan", f"/start {code}")
            made = await fake.say(ZALO_ADMIN, POLL)
            assert "• Zalo: 0 nhóm chat, 1 người nhắn riêng" in made
            await Scheduler(app, senders={"zalo": channel}).tick(clock.now)
            pushed = fake.texts("z-lan")[-1]
            assert "Bình chọn số 1" in pushed and "1. Sa Pa" in pushed and "2. Hạ Long" in pushed
            assert "bạn đã chọn “Hạ Long”" in await fake.say("z-lan", "2")
            assert "bạn đã chọn “Hạ Long”" in await fake.say("z-lan", "/binhchon")
            assert len(await votes(app)) == 1
            before = len(fake.sent(ZALO_ADMIN, method="sendPhoto"))
            fake.message(ZALO_ADMIN, "/binhchon dong 1")
            (photo,) = (await fake.wait_for(
                lambda: fake.sent(ZALO_ADMIN, method="sendPhoto")[before:]))  # fmt: skip
            assert str(photo.params["photo"]).startswith("https://bot.example/files/")
            assert str(photo.params["photo"]).endswith("/binh-chon-1.png")  # the chart by its link
    finally:
        fake.stop()


def test_a_console_run(database_url: str, tmp_path: Path) -> None:
    env = {"BOT_ADMINS": "console:boss"}
    first = run_cli("console", "--user", "boss", "--name", "Văn phòng", database_url=database_url,
                    cwd=tmp_path, env=env, stdin="/donvi them KT Phòng Kế toán\n/moi KT lead\n")  # fmt: skip
    assert first.returncode == 0, first.stderr
    code = found(r"Mã mời vào Phòng Kế toán \(KT\): ([A-Z0-9]{8})", first.stdout)
    lines = [
        f"/start {code}",
        "/binhchon them Đi đâu dịp 30/4?; Sa Pa; Hạ Long; đóng 20h mai",
        "/binhchon 1",
        "2",
        "/binhchon",
        "/binhchon dong 1",
    ]
    run = run_cli("console", "--user", "hung", "--name", "Hùng", database_url=database_url,
                  cwd=tmp_path, stdin="\n".join(lines) + "\n")  # fmt: skip
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "Đã tạo bình chọn số 1: Đi đâu dịp 30/4?" in out
    assert "• console: 0 nhóm chat, 1 người nhắn riêng" in out or "1 người nhắn riêng" in out
    assert re.search(r"1\. Sa Pa\s+2\. Hạ Long", out) or ("1. Sa Pa" in out and "2. Hạ Long" in out)
    assert "bạn đã chọn “Hạ Long”" in out
    assert "Đã đóng bình chọn số 1" in out and "• Hạ Long: 1 phiếu (100%)" in out
    assert "binh-chon-1.png, " in out  # the chart, named on the console
    assert (tmp_path / "data" / "binh-chon-1.png").read_bytes().startswith(PNG)  # BOT_DATA_DIR


async def test_a_press_and_the_unit_counts_cost_a_few_statements(
    app: App, admin: User, clock: Clock
) -> None:
    """A vote is 8 statements on SQLite (the message's own 2, the poll, its units, its options,
    the person's choices, one delete, one insert), whatever the number of voters; the
    per-unit counts are the same few grouped queries whatever the number of polls."""
    head, lan = await members_of_kt(app, admin)
    await head.say(POLL)
    await lan.say(payload="poll:1:1")
    with app.db.statements() as seen:
        assert "bạn đã chọn “Hạ Long”" in await lan.say(payload="poll:1:2")
    assert len(seen) <= 8, seen
    counts = []
    for _ in range(3):
        await head.say(POLL)
        async with app.db.transaction() as session:
            with app.db.statements() as seen:
                found = await poll_rows.per_unit(session, MONDAY_9, MONDAY_9 + timedelta(days=1))
        assert found and len(seen) <= 3, seen
        counts.append(len(seen))
    assert len(set(counts)) == 1


async def test_linking_two_accounts_keeps_one_vote_per_poll(
    app: App, admin: User, clock: Clock
) -> None:
    """Two people who turn out to be one (/taikhoan): where both voted, the kept person's vote
    stands; the other's votes elsewhere move to the kept person."""
    people = await unit_on_two_apps(app, admin, clock)
    await admin.say("/binhchon them Một?; A; B")
    await admin.say("/binhchon them Hai?; A; B; nhiều lựa chọn")
    await people["lan"].say(payload="poll:1:1")
    await people["tu"].say(payload="poll:1:2")
    await people["tu"].say(payload="poll:2:1")
    await people["tu"].say(payload="poll:2:2")
    async with app.db.transaction() as session:
        ids = {p.display_name: p.id for p in (await session.scalars(select(Person))).all()}
        await merge_people(session, ids["Lan"], ids["Tú"])
    async with app.db.transaction() as session:
        assert await poll_rows.choices(session, 1, ids["Lan"]) == {1}
        assert await poll_rows.choices(session, 2, ids["Lan"]) == {1, 2}
        assert await poll_rows.counts(session, 1) == ({1: 1}, 1)
