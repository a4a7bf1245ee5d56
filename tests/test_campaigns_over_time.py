"""Campaigns over time: the bot runs today, not in the bundled document's year. A fresh install
tells its admins to import this year's document; several campaigns run at once; a library of
regulations is searched with them; past years stay readable; windows come from the documents."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.app import App
from bot.scheduler import Scheduler
from storage.models import CampaignDocument, Pledge
from tests.conftest import (
    ADMIN,
    DATA,
    Clock,
    User,
    UserFactory,
    import_file,
    members_of_kt,
    row_counts,
    workbook_of,
)
from tests.fakes.channel import FakeChannel

NOVEMBER_30 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Thứ Hai 30/11/2026, 09:00 in Hà Nội
IMPORT_NOTICE = (
    "Lưu ý: chưa có phong trào thi đua nào cho năm 2026. Nhập văn bản phát động năm 2026 bằng "
    "lệnh python -m bot campaign import TỆP.docx (hoặc .pdf, .txt); quy định, hướng dẫn dùng "
    "chung thì thêm --library."
)
DOCUMENTS = DATA / "documents"


async def test_a_fresh_install_today_asks_its_admins_to_import_this_years_document(
    fresh_app: App, clock: Clock
) -> None:
    clock.now = NOVEMBER_30
    admin = User(fresh_app, ADMIN, name="Văn phòng")
    first = await admin.say("/donvi")
    assert first.endswith(IMPORT_NOTICE)
    assert not (await admin.say("/donvi")).endswith(IMPORT_NOTICE)  # once a day at most
    clock.advance(days=1)
    # the checklist of /trogiup says it with its command: the notice is not repeated under it
    helped = await admin.say("/trogiup")
    assert "⬜ 1. Nhập văn bản phát động thi đua năm 2026" in helped
    assert not helped.endswith(IMPORT_NOTICE)
    assert not (await admin.say("/donvi")).endswith(IMPORT_NOTICE)
    head, lan = await members_of_kt(fresh_app, admin)
    stats = await head.say("/thongke")
    assert stats.startswith(
        "Hiện chưa có phong trào thi đua nào đang diễn ra (năm 2026). Văn phòng cần nhập"
    )
    assert "Lưu ý: chưa có văn bản phát động thi đua năm 2026" in stats  # a lead, once a day
    assert "Lưu ý" not in await head.say("/camket")
    assert "Lưu ý" not in await lan.say("/trogiup")  # members are not told to import
    assert await lan.say("/dangky LĐTT; Hồ sơ") == (
        "Hiện chưa có phong trào thi đua nào đang diễn ra (năm 2026). Khi có văn bản phát động "
        "mới, đơn vị sẽ được thông báo; bạn chưa bị tính là chậm đăng ký."
    )
    clock.advance(days=1)
    assert (await admin.say("/donvi")).endswith(IMPORT_NOTICE)  # the next day, again
    group = User(fresh_app, "admin", chat_id="g-kt", group=True)
    assert "Lưu ý" not in await group.say("/trogiup")  # not into a group


async def test_no_nudges_and_nobody_late_without_a_campaign(fresh_app: App, clock: Clock) -> None:
    clock.now = datetime(2026, 3, 25, 2, 0, tzinfo=UTC)  # the week before "31 March"
    admin = User(fresh_app, ADMIN, name="Văn phòng")
    await members_of_kt(fresh_app, admin)
    channel = FakeChannel()
    scheduler = Scheduler(fresh_app, senders={"console": channel})
    await scheduler.tick(clock.now)
    assert channel.to("lan") == []
    async with fresh_app.db.transaction() as session:
        assert list(await session.scalars(select(Pledge))) == []


async def test_the_first_real_import_replaces_the_demo(fresh_app: App, clock: Clock) -> None:
    async with fresh_app.db.transaction() as session:
        (demo,) = await session.scalars(select(CampaignDocument))
        assert demo.demo and demo.year == 2025
    imported = await import_file(fresh_app, DATA / "ke-hoach-thi-dua-2026.txt")
    assert imported.saved.demo_removed and not imported.saved.replaced
    async with fresh_app.db.transaction() as session:
        rows = list(await session.scalars(select(CampaignDocument)))
    assert [(r.year, r.demo, r.library, r.kind, r.number) for r in rows] == [
        (2026, False, False, "ke_hoach", "15/KH-SXD")
    ]


async def test_past_years_stay_readable(app: App, admin: User, clock: Clock) -> None:
    seed = DATA.parent.parent / "campaign" / "data" / "phat-dong-thi-dua-2025.txt"
    await import_file(app, seed)  # last year's campaign, kept beside this year's
    clock.now = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)
    head, lan = await members_of_kt(app, admin)
    assert (await lan.say("/dangky CSTĐCS; Sáng kiến")).startswith(
        "Đã lưu đăng ký thi đua năm 2025"
    )
    await admin.say("/tudanhgia mo")
    clock.now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    assert (await lan.say("/camket")).startswith("Bạn chưa đăng ký thi đua năm 2026")
    mine = await lan.say("/camket 2025")
    assert mine.startswith("Đăng ký thi đua năm 2025: Chiến sĩ thi đua cơ sở")
    assert await lan.say("/camket 2024") == (
        "Không có phong trào thi đua nào của năm 2024. Các năm có phong trào: 2025, 2026."
    )
    assert await head.say("/camket năm 2025") == "Bạn không có đăng ký thi đua năm 2025."
    assert (await head.say("/thongke 2025 KT")).startswith("Thống kê phong trào thi đua năm 2025")
    report = await head.replies("/baocao 2025")
    assert report[0].file is not None and report[0].file.filename == "bao-cao-thi-dua-2025.xlsx"
    book = workbook_of(report[0])
    assert sorted(str(row[0].value) for row in book["KT"].iter_rows(min_row=2)) == ["Hùng", "Lan"]
    before = await row_counts(app)
    assert (await head.say("/baocao 2019")) == (
        "Không có phong trào thi đua nào của năm 2019. Các năm có phong trào: 2025, 2026."
    )
    assert await row_counts(app) == before


async def test_a_drive_runs_beside_the_yearly_campaign(app: App, admin: User, clock: Clock) -> None:
    drive = (DOCUMENTS / "ubnd-daklak-bau-cu-2026.txt").read_text("utf-8").split("\n", 2)[2]
    path = DATA.parent / "drive.txt"
    try:
        path.write_text(drive, encoding="utf-8")
        imported = await import_file(app, path)
    finally:
        path.unlink()
    assert not imported.library
    assert (imported.facts.period.end, imported.year) == (date(2026, 3, 31), 2026)
    clock.now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    _, lan = await members_of_kt(app, admin)
    saved = await lan.say("/dangky LĐTT; Hồ sơ")  # pledges go to the yearly campaign
    assert saved.startswith("Đã lưu đăng ký thi đua năm 2026")
    async with app.db.transaction() as session:
        pledge = await session.scalar(select(Pledge))
        assert pledge is not None
        campaign = await session.get(CampaignDocument, pledge.campaign_id)
        assert campaign is not None and campaign.number == "15/KH-SXD"
    answer = await lan.say("hồ sơ đề nghị khen thưởng nộp qua phần mềm nào?")
    assert answer.startswith("Theo Kế hoạch số 0125/KH-UBND của Ủy ban nhân dân tỉnh Đắk Lắk:")
    assert "Idesk" in answer
    clock.now = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)  # the drive is over, the year goes on
    answer = await lan.say("hồ sơ đề nghị khen thưởng nộp qua phần mềm nào?")
    assert "Idesk" not in answer


async def test_regulations_of_the_library_are_searched_with_the_campaign(
    app: App, user_factory: UserFactory, clock: Clock
) -> None:
    text = (DOCUMENTS / "ubnd-bacninh-quy-dinh-tdkt-2025.txt").read_text("utf-8").split("\n", 2)[2]
    path = DATA.parent / "quy-dinh.txt"
    try:
        path.write_text(text, encoding="utf-8")
        imported = await import_file(app, path, library=True)
    finally:
        path.unlink()
    assert imported.library
    lan = user_factory("lan")
    answer = await lan.say(
        "tập thể lao động xuất sắc cần bao nhiêu phần trăm đạt lao động tiên tiến"
    )
    assert answer.startswith("Theo Quyết định số 86/2025/QĐ-UBND")
    assert "70%" in answer
    assert "đến hết ngày 31/12/2026" in await lan.say("hạn chót của phong trào là khi nào")


async def test_self_assessment_opens_when_the_documents_say(
    app: App, admin: User, clock: Clock
) -> None:
    clock.now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    _, lan = await members_of_kt(app, admin)
    assert await lan.say("/tudanhgia tot") == "Tự đánh giá chỉ mở từ 01/12/2026 đến 15/12/2026."
    clock.now = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
    assert (
        await lan.say("/tudanhgia tot") == "Đã ghi tự đánh giá năm 2026: Hoàn thành tốt nhiệm vụ."
    )
    clock.now += timedelta(days=30)  # January: the campaign is over, the window too
    assert (await lan.say("/tudanhgia tot")).startswith("Hiện chưa có phong trào thi đua nào")


async def test_self_assessment_follows_the_documents_window_else_an_admin_opens_it(
    fresh_app: App, clock: Clock, tmp_path: Path
) -> None:
    text = (DATA / "ke-hoach-thi-dua-2026.txt").read_text("utf-8")
    said = "tự đánh giá, xếp loại chất lượng từ ngày 01 đến ngày 15 tháng 12 năm 2026"
    assert said in text
    admin = User(fresh_app, ADMIN, name="Văn phòng")
    path = tmp_path / "ke-hoach.txt"
    path.write_text(
        text.replace(said, said.replace("01 đến ngày 15 tháng 12", "20 đến ngày 28 tháng 11")),
        "utf-8",
    )
    await import_file(fresh_app, path)
    clock.now = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
    _, lan = await members_of_kt(fresh_app, admin)
    assert await lan.say("/tudanhgia tot") == "Tự đánh giá chỉ mở từ 20/11/2026 đến 28/11/2026."
    # the same plan without a window (the council's "bình xét … trước ngày 25/12" is not one)
    path.write_text(text.replace(said, "hoàn thành các nhiệm vụ được giao"), "utf-8")
    await import_file(fresh_app, path)  # the same number: replaces the one before
    clock.now = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
    assert await lan.say("/tudanhgia tot") == (
        "Chưa đến thời gian tự đánh giá: văn bản không ghi thời hạn đánh giá, xếp loại; "
        "Văn phòng sẽ mở khi đến đợt."
    )
    assert await admin.say("/tudanhgia mo") == "Đã mở tự đánh giá năm 2026."
    assert (await lan.say("/tudanhgia tot")).startswith("Đã ghi tự đánh giá năm 2026")
