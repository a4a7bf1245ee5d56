"""Pledges, progress, self-assessment, final ratings, standing and the report, in chat."""

import io
import re
import zipfile
from datetime import UTC, datetime

from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select

from bot.app import App, open_app
from storage.models import Assessment, Base, Commitment, Pledge, ProgressUpdate
from tests.conftest import Clock, User, found, row_counts, workbook_of

CODE = re.compile(r": ([A-Z0-9]{8})\n")


async def join(admin: User, user: User, unit: str = "KT", role: str = "") -> None:
    code = found(CODE, await admin.say(f"/moi {unit} {role}".strip()))
    assert "Chào mừng" in await user.say(f"/start {code}")


async def setup(app: App, admin: User, clock: Clock) -> None:
    clock.now = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # within the 2026 registration period
    await admin.say("/donvi them KT Phòng Kế toán")
    await admin.say("/donvi them VP Văn phòng")


async def count(app: App, model: type[Base]) -> int:
    async with app.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_guided_pledge_with_numbers_and_a_restart_in_the_middle(
    app: App, admin: User, clock: Clock
) -> None:
    await setup(app, admin, clock)
    lan = User(app, "lan", name="Lan")
    await join(admin, lan)
    assert "1. Lao động tiên tiến (LĐTT)" in await lan.say("/dangky")
    assert "Danh hiệu: Lao động tiên tiến." in await lan.say("1")
    assert (await lan.say("Hoàn thành 100% hồ sơ đúng hạn")).startswith("Đã ghi cam kết 1.")
    restarted = await open_app(app.settings, clock=clock)  # the bot restarts mid-dialog
    try:
        lan_again = User(restarted, "lan", name="Lan")
        assert (await lan_again.say("Có 1 sáng kiến cải tiến")).startswith("Đã ghi cam kết 2.")
        assert "Bạn phấn đấu xếp loại ở mức nào?" in await lan_again.say("xong")
        confirm = await lan_again.say("2")
        assert "Mức xếp loại phấn đấu: Hoàn thành tốt nhiệm vụ" in confirm
        assert "2. Có 1 sáng kiến cải tiến" in confirm
        saved = await lan_again.say("1")
    finally:
        await restarted.close()
    assert saved.startswith("Đã lưu đăng ký thi đua năm 2026:")
    assert "sửa đăng ký được đến hết ngày 31/03/2026" in saved
    async with app.db.transaction() as session:
        pledge = await session.scalar(select(Pledge))
        assert pledge is not None and (pledge.title, pledge.target_rating, pledge.late) == (
            "ldtt",
            "good",
            False,
        )
    assert await count(app, Commitment) == 2


async def test_one_line_pledge_and_the_second_one_offers_to_replace(
    app: App, admin: User, clock: Clock
) -> None:
    await setup(app, admin, clock)
    lan = User(app, "lan", name="Lan")
    await join(admin, lan)
    saved = await lan.say("/dangky cstđcs; Sáng kiến quản lý hồ sơ; Không để chậm muộn")
    assert "Danh hiệu: Chiến sĩ thi đua cơ sở" in saved
    assert "2. Không để chậm muộn" in saved
    offer = await lan.say("đăng ký lao dong tien tien; Một cam kết")
    assert "Bạn đã đăng ký thi đua năm nay (danh hiệu Chiến sĩ thi đua cơ sở)" in offer
    assert await lan.say("2") == "Đã giữ nguyên đăng ký cũ. Gõ /camket để xem."
    await lan.say("/dangky LĐTT; Một cam kết")
    assert (await lan.say("1")).startswith("Đã thay đăng ký thi đua năm 2026:")
    await lan.say("/dangky")  # the guided way: replace, then choose again
    assert "Bạn phấn đấu đạt danh hiệu nào?" in await lan.say("1")
    assert await count(app, Pledge) == 1
    assert await count(app, Commitment) == 1


async def test_bad_pledges_store_nothing(app: App, admin: User, clock: Clock) -> None:
    await setup(app, admin, clock)
    lan = User(app, "lan")
    await join(admin, lan)
    before = await row_counts(app)
    assert (await lan.say("/dangky ; cam kết")).startswith("Bạn chưa ghi danh hiệu.")
    assert (await lan.say("/dangky Giám đốc giỏi; cam kết")).startswith(
        'Không có danh hiệu "Giám đốc giỏi".'
    )
    await lan.say("/dangky")
    assert "Không có danh hiệu" in await lan.say("siêu nhân")
    await lan.say("1")
    assert await lan.say("xong") == "Bạn cần ít nhất một cam kết. Gửi cam kết đầu tiên nhé."
    assert await lan.say("huỷ") == "Đã huỷ, chưa lưu gì."
    assert await row_counts(app) == before
    guest = User(app, "guest")
    assert "Bạn chưa thuộc đơn vị nào nên chưa dùng được /dangky" in await guest.say(
        "/dangky LĐTT; a"
    )


async def test_after_the_deadline_only_a_lead_changes_a_pledge(
    app: App, admin: User, clock: Clock
) -> None:
    await setup(app, admin, clock)
    lan, head = User(app, "lan", name="Nguyễn Thị Lan"), User(app, "head", name="Trưởng phòng")
    await join(admin, lan)
    await join(admin, head, role="lead")
    await lan.say("/dangky LĐTT; Cam kết cũ")
    clock.now = datetime(2026, 4, 2, 2, 0, tzinfo=UTC)
    assert await lan.say("/dangky CSTĐCS; Cam kết mới") == (
        "Hạn đăng ký thi đua đã hết ngày 31/03/2026; sau hạn, chỉ trưởng đơn vị mới sửa được "
        "đăng ký. Bạn liên hệ trưởng đơn vị nhé."
    )
    result = await head.say("/dangky @lan CSTĐCS; Cam kết mới")
    assert result.startswith("Đăng ký cho Nguyễn Thị Lan:\nĐã thay đăng ký thi đua năm 2026")
    assert "Cam kết mới" in await lan.say("/camket")
    outsider = User(app, "vp", name="Văn thư")
    await join(admin, outsider, unit="VP", role="lead")
    assert await outsider.say("/dangky @lan LĐTT; x") == (
        'Không tìm thấy thành viên "@lan" trong đơn vị của bạn.'
    )
    late = User(app, "minh", name="Minh")
    await join(admin, late)
    assert "ghi nhận là đăng ký muộn" in await late.say("/dangky LĐTT; Muộn mà vẫn làm")


async def test_a_late_replacement_keeps_the_rating_and_names_no_past_date(
    app: App, admin: User, clock: Clock
) -> None:
    await setup(app, admin, clock)
    lan, head = User(app, "lan", name="Nguyễn Thị Lan"), User(app, "head", name="Trưởng phòng")
    await join(admin, lan)
    await join(admin, head, role="lead")
    await lan.say("/dangky")
    await lan.say("1")
    await lan.say("Cam kết cũ")
    await lan.say("xong")
    await lan.say("1")  # aims for "Hoàn thành xuất sắc nhiệm vụ"
    assert (await lan.say("1")).startswith("Đã lưu đăng ký")
    clock.now = datetime(2026, 4, 2, 2, 0, tzinfo=UTC)
    result = await head.say("/dangky @lan CSTĐCS; Cam kết mới")
    assert result.startswith(
        "Đăng ký cho Nguyễn Thị Lan:\nĐã thay đăng ký thi đua năm 2026 (sau hạn 31/03/2026):"
    )
    assert "Sửa được đến hết" not in result
    assert "Mức xếp loại phấn đấu: Hoàn thành xuất sắc nhiệm vụ" in result
    async with app.db.transaction() as session:
        pledge = await session.scalar(select(Pledge))
        assert pledge is not None and (pledge.title, pledge.target_rating) == (
            "cstdcs",
            "excellent",
        )


async def test_progress_updates_and_their_bad_input(app: App, admin: User, clock: Clock) -> None:
    await setup(app, admin, clock)
    lan = User(app, "lan")
    await join(admin, lan)
    assert (
        await lan.say("/tiendo 50")
        == "Bạn chưa đăng ký thi đua. Gõ /dangky trước khi cập nhật tiến độ."
    )
    await lan.say("/dangky LĐTT; Hồ sơ; Sáng kiến")
    before = await row_counts(app)
    assert await lan.say("/tiendo 150") == "Tiến độ phải từ 0 đến 100 (bạn ghi 150)."
    assert await lan.say("/tiendo -5") == "Tiến độ phải từ 0 đến 100 (bạn ghi -5)."
    assert (await lan.say("/tiendo abc")).startswith('"abc" không phải số.')
    assert await lan.say("/tiendo 3 50") == (
        "Bạn không có cam kết số 3 (bạn có 2 cam kết). Gõ /camket để xem."
    )
    assert await row_counts(app) == before
    assert await lan.say("tiến độ 40%") == "Đã ghi tiến độ chung: 40%."
    assert await lan.say("tien do 2 100 xong du thao") == (
        "Đã ghi tiến độ cam kết 2 (Sáng kiến): 100%. Tiến độ chung: 70%."
    )
    mine = await lan.say("/camket")
    assert "2. Sáng kiến — 100%" in mine
    assert "Tiến độ chung: 70% (cập nhật ngày 10/03/2026)" in mine
    assert "Ghi chú: xong du thao" in mine
    assert "Để đạt Lao động tiên tiến: được xếp loại từ hoàn thành tốt" in mine
    assert "1. Hồ sơ — 40%" in mine  # "tiến độ 40%" put every commitment at 40%
    assert await count(app, ProgressUpdate) == 3  # history kept: 40% for each, then 100%


async def test_self_assessment_window_and_the_final_rating_wins(
    app: App, admin: User, clock: Clock
) -> None:
    await setup(app, admin, clock)
    lan, head = User(app, "lan", name="Lan"), User(app, "head", name="Hùng")
    await join(admin, lan)
    await join(admin, head, role="lead")
    before = await row_counts(app)
    assert await lan.say("/tudanhgia tot") == "Tự đánh giá chỉ mở từ 01/12/2026 đến 15/12/2026."
    assert "Bạn không có quyền dùng /tudanhgia mo|dong" in await lan.say("/tudanhgia mo")
    assert await row_counts(app) == before
    clock.now = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
    assert "1. Hoàn thành xuất sắc nhiệm vụ" in await lan.say("tự đánh giá")
    assert "Bạn có muốn thêm nhận xét?" in await lan.say("2")
    assert (
        await lan.say("Hoàn thành 12 hồ sơ")
        == "Đã ghi tự đánh giá năm 2026: Hoàn thành tốt nhiệm vụ."
    )
    assert await lan.say("/tudanhgia giỏi lắm") == (
        'Không hiểu mức xếp loại "giỏi lắm". Các mức: xuất sắc, tốt, hoàn thành, không hoàn thành.'
    )
    assert "Bạn không có quyền dùng /danhgia" in await lan.say("/danhgia lan xuat sac")
    assert await head.say("/danhgia @lan hoàn thành") == (
        "Đã xếp loại Lan: Hoàn thành nhiệm vụ (tự đánh giá: Hoàn thành tốt nhiệm vụ), ngày 05/12/2026."
    )
    stats = await head.say("/thongke KT")
    assert "Xếp loại chính thức: xuất sắc 0 · tốt 0 · hoàn thành 1" in stats
    assert "Tự đánh giá: xuất sắc 0 · tốt 1 · hoàn thành 0" in stats
    clock.now = datetime(2026, 12, 20, 2, 0, tzinfo=UTC)
    assert (await lan.say("/tudanhgia tot")).startswith("Tự đánh giá chỉ mở")
    assert await admin.say("/tudanhgia mo") == "Đã mở tự đánh giá năm 2026."
    assert (
        await lan.say("/tudanhgia xuất sắc")
        == "Đã cập nhật tự đánh giá năm 2026: Hoàn thành xuất sắc nhiệm vụ."
    )
    async with app.db.transaction() as session:
        row = await session.scalar(select(Assessment))
        assert row is not None and (row.self_rating, row.final_rating) == ("excellent", "done")


async def test_who_sees_what_in_the_standing(app: App, admin: User, clock: Clock) -> None:
    await setup(app, admin, clock)
    lan, minh, head = (
        User(app, "lan", name="Lan"),
        User(app, "minh", name="Minh"),
        User(app, "head", name="Hùng"),
    )
    for user in (lan, minh):
        await join(admin, user)
    await join(admin, head, role="lead")
    await lan.say("/dangky LĐTT; Hồ sơ")
    member_view = await lan.say("/thongke")
    assert "Phòng Kế toán (KT) — 3 thành viên" in member_view
    assert "Đăng ký thi đua: 1/3 (33%)" in member_view
    assert "Chưa đăng ký" not in member_view and "Minh" not in member_view
    assert await lan.say("/thongke VP") == (
        "Bạn chỉ xem được thống kê đơn vị của mình; Văn phòng (VP) không phải đơn vị của bạn."
    )
    lead_view = await head.say("/thongke")
    assert "Chưa đăng ký: Hùng, Minh" in lead_view
    assert "Chưa cập nhật tiến độ 30 ngày" not in lead_view
    clock.now = datetime(2026, 4, 20, 2, 0, tzinfo=UTC)
    assert "Chưa cập nhật tiến độ 30 ngày: Lan" in await head.say("/thongke")
    admin_view = await admin.say("/thongke")
    assert "Văn phòng (VP) — 0 thành viên" in admin_view
    assert "Toàn cơ quan — 3 người" in admin_view


async def test_the_report_workbook(app: App, admin: User, clock: Clock) -> None:
    await setup(app, admin, clock)
    lan, head = User(app, "lan", name="Lan <b>&"), User(app, "head", name="Hùng")
    await join(admin, lan)
    await join(admin, head, role="lead")
    await lan.say("/dangky LĐTT; Hồ sơ; Sáng kiến")
    await lan.say("/tiendo 60")
    assert "Bạn không có quyền dùng /baocao" in await lan.say("/baocao")
    replies = await admin.replies("/baocao")
    assert replies[0].file is not None and replies[0].file.filename == "bao-cao-thi-dua-2026.xlsx"
    book = workbook_of(replies[0])
    assert book.sheetnames == ["Tổng hợp", "KT", "VP"]
    summary: Worksheet = book["Tổng hợp"]
    assert summary.freeze_panes == "A2"
    assert [c.value for c in summary[1]][:6] == [
        "Mã", "Đơn vị", "Số người", "Đã đăng ký", "Tỷ lệ đăng ký", "Tiến độ bình quân",
    ]  # fmt: skip
    assert [c.value for c in summary[2]][:6] == ["KT", "Phòng Kế toán", 2, 1, 0.5, 0.6]
    assert summary.cell(row=4, column=2).value == "Toàn cơ quan"
    with zipfile.ZipFile(io.BytesIO(replies[0].file.data)) as package:  # the summary's picture
        [picture] = [n for n in package.namelist() if n.startswith("xl/media/")]
        assert package.read(picture).startswith(b"\x89PNG\r\n")
    unit = book["KT"]
    rows = [[c.value for c in row] for row in unit.iter_rows(min_row=2)]
    assert rows[1][:5] == [
        "Lan <b>&",
        "thành viên",
        "Lao động tiên tiến",
        "1. Hồ sơ\n2. Sáng kiến",
        0.6,
    ]
    assert unit.column_dimensions["A"].width >= len("Lan <b>&")
    lead_report = await head.replies("/baocao")
    assert workbook_of(lead_report[0]).sheetnames == ["Tổng hợp", "KT"]


async def test_a_lead_names_a_telegram_member_by_their_username(
    app: App, admin: User, clock: Clock
) -> None:
    from handlers.messages import Incoming
    from tests.conftest import render

    async def telegram(user_id: str, text: str, username: str | None, name: str) -> str:
        incoming = Incoming(platform="telegram", user_id=user_id, chat_id=user_id, text=text,
                            user_name=name, username=username)  # fmt: skip
        return "\n\n".join(render(r) for r in await app.router.handle(incoming))

    await setup(app, admin, clock)
    head = User(app, "head", name="Hùng")
    await join(admin, head, role="lead")
    code = found(CODE, await admin.say("/moi KT"))
    assert "Chào mừng" in await telegram("5551", f"/start {code}", "Lan_Nguyen", "Lan")
    await telegram("5552", "/start", "lan_khac", "Lan Khác")  # another Lan, in no unit
    clock.now = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
    assert (await head.say("/danhgia @lan_nguyen tốt")).startswith(
        "Đã xếp loại Lan: Hoàn thành tốt"
    )
    await telegram("5551", "/trogiup", "lan_moi", "Lan")  # the handle changed on Telegram
    assert (await head.say("/danhgia @lan_nguyen tốt")).startswith("Không tìm thấy")
    assert (await head.say("/danhgia @LAN_MOI xuất sắc")).startswith(
        "Đã xếp loại Lan: Hoàn thành xuất"
    )
