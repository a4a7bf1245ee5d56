"""Figures that are right (issue 13, item 4), through the chat: commitments keep their
progress by identity, the overall never drifts, self-assessed and final ratings apart, and
nobody rates himself."""

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.app import App
from storage.models import Assessment, Commitment, Outbox, Pledge, ProgressUpdate
from tests.conftest import INVITE_CODE, Clock, User, found, members_of_kt, row_counts, workbook_of


async def _in_kt(admin: User, user: User, role: str = "") -> None:
    code = found(INVITE_CODE, await admin.say(f"/moi KT {role}".strip()))
    await user.say(f"/start {code}")


async def test_nobody_gives_himself_the_final_rating(app: App, admin: User, clock: Clock) -> None:
    head, _lan = await members_of_kt(app, admin)
    await _in_kt(admin, admin)  # the office's admin is also a member of a unit
    clock.now = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
    before = await row_counts(app)
    assert await head.say("/danhgia @head xuất sắc") == (
        "Bạn không thể tự xếp loại chính thức cho mình. Mức xếp loại của bạn do cấp trên "
        "(trưởng đơn vị hoặc Văn phòng) quyết định; bạn có thể gõ /tudanhgia để tự đánh giá."
    )
    assert (await admin.say("/danhgia @admin tốt")).startswith("Bạn không thể tự xếp loại")
    assert await row_counts(app) == before
    assert (await head.say("/danhgia @lan tốt")).startswith("Đã xếp loại Lan: Hoàn thành tốt")
    assert (await admin.say("/danhgia @head xuất sắc")).startswith(
        "Đã xếp loại Hùng: Hoàn thành xuất sắc"
    )
    async with app.db.transaction() as session:
        rows = {(a.person_id, a.final_rating, a.final_by) for a in await session.scalars(
            select(Assessment))}  # fmt: skip
    assert len(rows) == 2 and all(person != by for person, _, by in rows)


async def test_self_assessed_and_final_ratings_apart(app: App, admin: User, clock: Clock) -> None:
    head, lan = await members_of_kt(app, admin)
    clock.now = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)  # the documents' assessment window
    await lan.say("/tudanhgia tốt")
    await head.say("/tudanhgia xuất sắc")
    stats = await head.say("/thongke KT")
    assert (
        "Xếp loại chính thức: xuất sắc 0 · tốt 0 · hoàn thành 0 · không hoàn thành 0 · chưa có 2"
    ) in stats
    assert (
        "Tự đánh giá: xuất sắc 1 · tốt 1 · hoàn thành 0 · không hoàn thành 0 · chưa tự đánh giá 0"
    ) in stats
    assert "đạt" not in stats  # no target is met on self-assessments alone
    assert stats.count("chưa có xếp loại chính thức (tự đánh giá không được tính)") == 3

    book = workbook_of((await admin.replies("/baocao"))[0])
    summary = book["Tổng hợp"]
    header = [c.value for c in summary[1]]
    kt = dict(zip(header, [c.value for c in summary[2]], strict=True))
    assert kt["Hoàn thành xuất sắc nhiệm vụ (chính thức)"] == 0
    assert kt["Tự đánh giá: Hoàn thành xuất sắc nhiệm vụ"] == 1
    assert kt["Tự đánh giá: Hoàn thành tốt nhiệm vụ"] == 1
    assert kt["Chưa tự đánh giá"] == 0
    results = [v for k, v in kt.items() if str(k).startswith("Kết quả:")]
    assert results and set(results) == {"chưa có xếp loại chính thức"}

    await head.say("/danhgia @lan tốt")
    await admin.say("/danhgia @head xuất sắc")
    stats = await head.say("/thongke KT")
    assert "Xếp loại chính thức: xuất sắc 1 · tốt 1 · hoàn thành 0" in stats
    assert "đạt (hiện 100%)" in stats and "đạt (hiện 50%)" in stats


async def _mine(app: App) -> list[tuple[str, int]]:
    """Lan's current commitments with their latest percent (0 when never updated)."""
    async with app.db.transaction() as session:
        pledge = await session.scalar(select(Pledge).options(selectinload(Pledge.commitments)))
        assert pledge is not None
        updates = list(await session.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id)))
    latest = {u.commitment_id: u.percent for u in updates}
    return [(c.text, latest.get(c.id, 0)) for c in pledge.commitments]


async def test_the_overall_does_not_grow_when_an_update_is_repeated(app: App, admin: User) -> None:
    head, lan = await members_of_kt(app, admin)
    await lan.say("/dangky LĐTT; Hồ sơ; Sáng kiến; Báo cáo")
    assert await lan.say("/tiendo 60") == "Đã ghi tiến độ chung: 60%."
    replies = [await lan.say("/tiendo 3 100") for _ in range(3)]
    assert replies == ["Đã ghi tiến độ cam kết 3 (Báo cáo): 100%. Tiến độ chung: 73%."] * 3
    assert "Tiến độ chung: 73%" in await lan.say("/camket")
    assert "Tiến độ bình quân: 73%" in await head.say("/thongke KT")
    assert await _mine(app) == [("Hồ sơ", 60), ("Sáng kiến", 60), ("Báo cáo", 100)]


async def test_progress_follows_the_commitment_not_its_position(app: App, admin: User) -> None:
    _head, lan = await members_of_kt(app, admin)
    await lan.say("/dangky LĐTT; Hồ sơ; Sáng kiến")
    await lan.say("/tiendo 2 80")
    offer = await lan.say("/dangky LĐTT; sáng kiến; Hồ sơ")  # the same two, in another order
    assert "Tiến độ tính thế nào?" not in offer  # nothing to decide: both are kept
    assert (await lan.say("1")).startswith("Đã thay đăng ký thi đua năm 2026:")
    mine = await lan.say("/camket")
    assert "1. sáng kiến — 80%" in mine and "2. Hồ sơ\n" in mine
    assert "Tiến độ chung: 40%" in mine
    assert await _mine(app) == [("sáng kiến", 80), ("Hồ sơ", 0)]


async def test_a_changed_pledge_asks_how_to_carry_progress_over(app: App, admin: User) -> None:
    head, lan = await members_of_kt(app, admin)
    await lan.say("/dangky LĐTT; Hồ sơ; Sáng kiến")
    await lan.say("/tiendo 1 100")
    await lan.say("/tiendo 2 50")
    offer = await lan.say("/dangky LĐTT; Hồ sơ; Báo cáo quý")
    assert offer == (
        "Bạn đã đăng ký thi đua năm nay (danh hiệu Lao động tiên tiến). Bạn muốn đăng ký lại "
        "thay cho bản cũ?\nBản mới giữ lại tiến độ của 1 cam kết cũ (cùng nội dung); cam kết "
        "mới hoặc đã sửa bắt đầu từ 0%. Tiến độ tính thế nào?\n\n(Gõ huỷ để thoát.)\n"
        "  1. Đăng ký lại, giữ tiến độ cam kết không đổi\n"
        "  2. Đăng ký lại, tính tiến độ lại từ 0%\n"
        "  3. Giữ bản cũ"
    )
    await lan.say("1")
    assert await _mine(app) == [("Hồ sơ", 100), ("Báo cáo quý", 0)]
    assert "Tiến độ chung: 50%" in await lan.say("/camket")
    assert "Tiến độ bình quân: 50%" in await head.say("/thongke KT")

    await lan.say("/dangky")  # the guided way asks at the confirmation
    await lan.say("1")  # replace
    await lan.say("1")  # Lao động tiên tiến
    await lan.say("Hồ sơ")
    await lan.say("Kiểm kê")
    await lan.say("xong")
    confirm = await lan.say("4")  # no rating aimed for
    assert "Bản mới giữ lại tiến độ của 1 cam kết cũ" in confirm
    assert "2. Xác nhận, tính tiến độ lại từ 0%" in confirm
    assert (await lan.say("2")).startswith("Đã thay đăng ký thi đua năm 2026:")
    assert await _mine(app) == [("Hồ sơ", 0), ("Kiểm kê", 0)]
    assert "Tiến độ chung: 0%" in await lan.say("/camket")
    async with app.db.transaction() as session:  # the history stays with the retired rows
        retired = await session.scalar(
            select(func.count()).select_from(Commitment).where(Commitment.retired_at.is_not(None))
        )
    assert retired == 2  # Sáng kiến, then Hồ sơ (Báo cáo quý, never reported on, is gone)


async def test_a_lead_changing_a_pledge_asks_and_the_member_is_told(app: App, admin: User) -> None:
    head, lan = await members_of_kt(app, admin)
    await lan.say("/dangky LĐTT; Hồ sơ; Sáng kiến")
    await lan.say("/tiendo 2 60")
    offer = await head.say("/dangky @lan CSTĐCS; Sáng kiến; Đề tài cấp sở")
    assert offer.startswith(
        "Lan đã đăng ký thi đua năm nay (danh hiệu Lao động tiên tiến). Thay bằng bản mới?"
    )
    assert "3. Giữ bản cũ" in offer
    assert (await head.say("1")).startswith("Đăng ký cho Lan:\nĐã thay đăng ký thi đua năm 2026")
    assert await _mine(app) == [("Sáng kiến", 60), ("Đề tài cấp sở", 0)]
    async with app.db.transaction() as session:
        sent = list(await session.scalars(select(Outbox).options(selectinload(Outbox.chat))))
    assert [(row.chat.platform_chat_id, row.chat.kind) for row in sent] == [("lan", "private")]
    assert sent[0].text == (
        "Hùng đã cập nhật đăng ký thi đua năm 2026 của bạn.\nDanh hiệu: Chiến sĩ thi đua cơ sở\n"
        "1. Sáng kiến\n2. Đề tài cấp sở\nTiến độ của các cam kết không đổi được giữ nguyên. "
        "Gõ /camket để xem."
    )
    await head.say("/dangky @lan CSTĐCS; Sáng kiến; Đề tài cấp sở")  # nothing to ask
    async with app.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Outbox)) == 2
