"""/sukien in chat: numbered events, /sukien N, admins removing (/sukien xoa N) and bringing
back (/sukien hien) days, and the calendar packs chosen by BOT_PROVINCE / BOT_SECTOR reaching
the chat, the answers and the scheduler's notices."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import App, open_app
from bot.config import load_settings
from bot.scheduler import Scheduler
from storage import audit
from storage.models import CustomEvent
from tests.conftest import ADMIN, Clock, User, UserFactory, row_counts
from tests.fakes.channel import FakeChannel

NOVEMBER_1 = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)  # Chủ Nhật 01/11/2026, 09:00 in Hà Nội


@asynccontextmanager
async def app_with(database_url: str, clock: Clock, **settings: str) -> AsyncIterator[App]:
    """The bot as a department would run it, with these settings (e.g. BOT_PROVINCE)."""
    application = await open_app(
        load_settings(BOT_DATABASE_URL=database_url, BOT_ADMINS=f"console:{ADMIN}", **settings),
        clock=clock,
    )
    try:
        yield application
    finally:
        await application.close()


async def custom_rows(app: App) -> list[tuple[str, int, int, bool]]:
    async with app.db.transaction() as session:
        rows = await session.scalars(select(CustomEvent).order_by(CustomEvent.id))
        return [(r.name, r.day, r.month, r.hidden) for r in rows]


async def test_events_are_numbered_and_the_count_is_of_events(
    user_factory: UserFactory, admin: User
) -> None:
    # The fixture clock is Monday 02/03/2026 09:00 in Hà Nội.
    lan = user_factory("lan")
    assert await lan.say("/sukien") == (
        "5 sự kiện sắp tới:\n"
        "1. Chủ Nhật, 08/03/2026: Ngày Quốc tế Phụ nữ (kỷ niệm 116 năm) — còn 6 ngày\n"
        "2. Thứ Năm, 26/03/2026: Ngày thành lập Đoàn TNCS Hồ Chí Minh (kỷ niệm 95 năm) — còn 24 ngày\n"
        "3. Thứ Năm, 30/04/2026: Ngày giải phóng hoàn toàn miền Nam, thống nhất đất nước "
        "(kỷ niệm 51 năm) — còn 59 ngày\n"
        "4. Thứ Sáu, 01/05/2026: Ngày Quốc tế Lao động (kỷ niệm 140 năm) — còn 60 ngày\n"
        "5. Thứ Năm, 07/05/2026: Ngày chiến thắng Điện Biên Phủ (kỷ niệm 72 năm) — còn 66 ngày"
    )
    assert (await lan.say("/sukien 12")).splitlines()[0] == "12 sự kiện sắp tới:"
    assert (await lan.say("/sukien 12")).splitlines()[-1].startswith("12. ")
    await lan.say("/language en")
    assert await lan.say("/events 2") == (
        "The next 2 events:\n"
        "1. Sunday, 08/03/2026: Ngày Quốc tế Phụ nữ (116th anniversary) — in 6 days\n"
        "2. Thursday, 26/03/2026: Ngày thành lập Đoàn TNCS Hồ Chí Minh (95th anniversary) "
        "— in 24 days"
    )
    # Admins also read how to remove one.
    assert (await admin.say("/sukien 1")).endswith(
        "\n\nQuản trị viên: /sukien xoa 2 bỏ sự kiện số 2 khỏi lịch; "
        "/sukien hien xem các ngày đã ẩn."
    )


async def test_the_number_counts_events_even_past_a_year(user_factory: UserFactory) -> None:
    """/sukien N lists N events: the national calendar has fewer than 30 days a year, so 30 and
    50 reach into the following years; past 50 the refusal says the number counts events."""
    lan = user_factory("lan")
    for count in (30, 50):
        lines = (await lan.say(f"/sukien {count}")).splitlines()
        assert lines[0] == f"{count} sự kiện sắp tới:"
        assert [line.split(".")[0] for line in lines[1:]] == [str(n) for n in range(1, count + 1)]
    last = (await lan.say("/sukien 50")).splitlines()[-1]
    assert "/2028" in last or "/2029" in last
    assert await lan.say("/sukien 51") == (
        "Số sự kiện muốn xem phải từ 1 đến 50, ví dụ /sukien 10."
    )
    await lan.say("/language en")
    assert (await lan.say("/events 30")).splitlines()[0] == "The next 30 events:"
    assert await lan.say("/events 0") == (
        "The number of events must be from 1 to 50, for example /events 10."
    )


async def test_english_anniversaries_are_ordinals_and_days_are_counted(
    user_factory: UserFactory,
) -> None:
    """Issue 16: "82th", "52th" and "in 1 days" came from glued strings."""
    lan = user_factory("lan")
    await lan.say("/language en")
    listed = await lan.say("/events 50")
    assert re.findall(r"(?<!1)[123]th anniversary", listed) == []  # 11th-13th are right
    assert "in 1 days" not in listed
    assert re.search(r"\(\d*(1st|2nd|3rd) anniversary\)", listed)
    assert "(52nd anniversary)" in listed  # 30/04/2027: the 52nd year since 1975
    assert "(82nd anniversary)" in listed  # 02/09/2027: 82 years since 1945


async def test_an_admin_deletes_a_day_added_by_hand(app: App, admin: User) -> None:
    await admin.say("/sukien them 05/03/2026 Hội nghị phát động")
    assert (await admin.say("/sukien 1")).splitlines()[1] == (
        "1. Thứ Năm, 05/03/2026: Hội nghị phát động — còn 3 ngày"
    )
    assert await admin.say("/sukien xoa 1") == (
        "Đã xóa “Hội nghị phát động” (05/03/2026) khỏi lịch."
    )
    assert await custom_rows(app) == []
    assert "Hội nghị phát động" not in await admin.say("/sukien 30")
    async with app.db.transaction() as session:
        deleted = await audit.entries(session, "event.delete")
        assert [(e.target, e.detail) for e in deleted] == [
            ("2026-03-05", {"name": "Hội nghị phát động"})
        ]


async def test_an_admin_hides_a_national_day_and_brings_it_back(
    app: App, admin: User, user_factory: UserFactory
) -> None:
    lan = user_factory("lan")
    assert await admin.say("/sukien xoa 1") == (
        "Đã ẩn “Ngày Quốc tế Phụ nữ” (08/03/2026) khỏi lịch. "
        "Gõ /sukien hien để xem các ngày đã ẩn và đưa chúng trở lại lịch."
    )
    assert await custom_rows(app) == [("Ngày Quốc tế Phụ nữ", 8, 3, True)]
    # Gone for everyone, in every list and every year; the numbers move up.
    assert (
        (await lan.say("/sukien 1"))
        .splitlines()[1]
        .startswith("1. Thứ Năm, 26/03/2026: Ngày thành lập Đoàn TNCS Hồ Chí Minh")
    )
    assert "Phụ nữ (kỷ niệm" not in await lan.say("/sukien 30")
    async with app.db.transaction() as session:
        hidden = await audit.entries(session, "event.hide")
        assert [(e.target, e.detail) for e in hidden] == [
            ("2026-03-08", {"name": "Ngày Quốc tế Phụ nữ", "scope": "national"})
        ]

    assert await admin.say("/sukien hien") == (
        "1 ngày đã ẩn khỏi lịch:\n"
        "1. 08/03: Ngày Quốc tế Phụ nữ\n\n"
        "Gõ /sukien hien 1 để đưa ngày số 1 trở lại lịch."
    )
    before = await row_counts(app)
    assert (await admin.say("/sukien hien 2")).startswith("Danh sách /sukien hien có 1 ngày")
    assert (await lan.say("/sukien hien 1")).startswith("Bạn không có quyền dùng /sukien hien.")
    assert await row_counts(app) == before
    assert await admin.say("/sukien hien 1") == "Đã đưa “Ngày Quốc tế Phụ nữ” (08/03) trở lại lịch."
    assert await custom_rows(app) == []
    assert "1. Chủ Nhật, 08/03/2026: Ngày Quốc tế Phụ nữ" in await lan.say("/sukien")
    assert await admin.say("/sukien hien") == "Chưa có ngày nào bị ẩn khỏi lịch."


async def test_a_hidden_day_added_again_by_hand_shows_and_is_then_deleted(
    app: App, admin: User
) -> None:
    await admin.say("/sukien xoa 1")
    assert await admin.say("/sukien them 08/03/1910 Ngày Quốc tế Phụ nữ") == (
        "Đã thêm “Ngày Quốc tế Phụ nữ” vào lịch: hằng năm ngày 08/03/1910, "
        "tính số năm kỷ niệm từ năm 1910."
    )
    assert "1. Chủ Nhật, 08/03/2026: Ngày Quốc tế Phụ nữ" in await admin.say("/sukien")
    assert (await admin.say("/sukien xoa 1")).startswith("Đã xóa “Ngày Quốc tế Phụ nữ”")
    assert await custom_rows(app) == [("Ngày Quốc tế Phụ nữ", 8, 3, True)]


async def test_a_document_day_is_hidden_not_deleted(app: App, admin: User) -> None:
    # 30/04 is named by the bundled document (and by the national table): one day, hidden once.
    assert (await admin.say("/sukien xoa 3")).startswith(
        "Đã ẩn “Ngày giải phóng hoàn toàn miền Nam, thống nhất đất nước” (30/04/2026)"
    )
    assert "30/04" not in await admin.say("/sukien 30")
    async with app.db.transaction() as session:
        [entry] = await audit.entries(session, "event.hide")
        assert entry.detail["scope"] == "document"


async def test_removal_refused_changes_nothing(
    app: App, admin: User, user_factory: UserFactory
) -> None:
    lan = user_factory("lan")
    await lan.say("/start")
    await admin.say("/start")
    before = await row_counts(app)
    assert await lan.say("/sukien xoa 1") == (
        "Bạn không có quyền dùng /sukien xoa. Gõ /trogiup để xem các lệnh của bạn."
    )
    for bad in ("/sukien xoa 0", "/sukien xoa 51"):
        number = bad.split()[-1]
        assert await admin.say(bad) == (
            f"Không có sự kiện số {number}. Số thứ tự phải từ 1 đến 50, "
            "như trong danh sách /sukien 50 hôm nay."
        )
    for bad in ("/sukien xoa", "/sukien xoa abc", "/sukien xoá hai"):
        assert await admin.say(bad) == (
            "Cần số thứ tự của sự kiện trong danh sách /sukien hôm nay "
            "(tới 50, như trong /sukien 50), ví dụ /sukien xoa 2."
        )
    await lan.say("/language en")
    assert await lan.say("/events remove 1") == (
        "You are not allowed to use /events remove. Type /help to see your commands."
    )
    assert await row_counts(app) == before


async def test_english_and_unaccented_words_remove_too(app: App, admin: User) -> None:
    assert (await admin.say("/sukien xóa 1")).startswith("Đã ẩn “Ngày Quốc tế Phụ nữ”")
    await admin.say("/language en")
    assert (await admin.say("/events delete 1")).startswith(
        "Hid “Ngày thành lập Đoàn TNCS Hồ Chí Minh” (26/03/2026) from the calendar."
    )
    assert len(await custom_rows(app)) == 2


async def test_lang_son_days_only_with_its_pack(database_url: str, clock: Clock) -> None:
    clock.now = NOVEMBER_1
    async with app_with(database_url, clock) as plain:
        lan = User(plain, "lan")
        listed = await lan.say("/sukien 3")
        assert listed == (
            "3 sự kiện sắp tới:\n"
            "1. Thứ Hai, 09/11/2026: Ngày Pháp luật Việt Nam — còn 8 ngày\n"
            "2. Thứ Sáu, 20/11/2026: Ngày Nhà giáo Việt Nam (kỷ niệm 44 năm) — còn 19 ngày\n"
            "3. Thứ Bảy, 19/12/2026: Ngày Toàn quốc kháng chiến (kỷ niệm 80 năm) — còn 48 ngày"
        )
        assert "Lạng Sơn" not in await lan.say("/sukien 30")
        assert "tưởng niệm" not in await lan.say("/sukien 30")
    async with app_with(database_url, clock, BOT_PROVINCE="lang-son") as local:
        lan = User(local, "lan")
        assert await lan.say("/sukien 3") == (
            "3 sự kiện sắp tới:\n"
            "1. Thứ Tư, 04/11/2026: Ngày sinh đồng chí Hoàng Văn Thụ (kỷ niệm 117 năm) — còn 3 ngày\n"
            "2. Thứ Tư, 04/11/2026: Ngày thành lập tỉnh Lạng Sơn (kỷ niệm 195 năm) — còn 3 ngày\n"
            "3. Thứ Hai, 09/11/2026: Ngày Pháp luật Việt Nam — còn 8 ngày"
        )
        # The answers see the same calendar: the document gives only "194 năm", the pack the date.
        assert "04/11/2026" in await lan.say("ngày thành lập tỉnh Lạng Sơn là ngày nào")
    async with app_with(
        database_url, clock, BOT_PROVINCE="lang-son", BOT_SECTOR="giao-thong"
    ) as both:
        assert (
            "Chủ Nhật, 15/11/2026: Ngày Thế giới tưởng niệm các nạn nhân tử vong do tai nạn "
            "giao thông — còn 14 ngày"
        ) in await User(both, "lan").say("/sukien 5")


async def test_groups_hear_of_their_packs_days_but_not_hidden_ones(
    database_url: str, clock: Clock
) -> None:
    clock.now = datetime(2026, 4, 1, 2, 0, tzinfo=UTC)
    seven_before = datetime(2026, 4, 22, 1, 0, tzinfo=UTC)  # 22/04 08:00: 7 days to 29/04
    async with app_with(database_url, clock, BOT_SECTOR="xay-dung") as app:
        admin = User(app, ADMIN)
        await admin.say("/donvi them KT Phòng Kế toán")
        await User(app, ADMIN, chat_id="kt-group", group=True).say("/lienket KT")
        channel = FakeChannel()
        scheduler = Scheduler(app, senders={"console": channel}, max_late=timedelta(hours=6))
        await scheduler.tick(seven_before)
        assert channel.to("kt-group") == [
            "📅 Còn 7 ngày đến <b>Ngày truyền thống ngành Xây dựng</b> (kỷ niệm 68 năm): "
            "Thứ Tư, 29/04/2026. Hãy lập thành tích chào mừng!"
        ]
        clock.now = seven_before + timedelta(hours=1)
        listed = await admin.say("/sukien 30")
        number = next(
            line.split(".")[0] for line in listed.splitlines() if "ngành Xây dựng" in line
        )
        assert (await admin.say(f"/sukien xoa {number}")).startswith(
            "Đã ẩn “Ngày truyền thống ngành Xây dựng”"
        )
        await scheduler.tick(seven_before + timedelta(days=6))  # 28/04: 1 day to go
        assert len(channel.to("kt-group")) == 1
