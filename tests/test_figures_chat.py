"""Figures that are right (issue 13, item 4), through the chat: commitments keep their
progress by identity, the overall never drifts, self-assessed and final ratings apart, and
nobody rates himself."""

import io
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import App
from storage.models import Assessment
from tests.conftest import INVITE_CODE, User, members_of_kt, row_counts


async def _in_kt(admin: User, user: User, role: str = "") -> None:
    code = INVITE_CODE.search(await admin.say(f"/moi KT {role}".strip())).group(1)  # type: ignore[union-attr]
    await user.say(f"/start {code}")


async def test_nobody_gives_himself_the_final_rating(app: App, admin: User, clock) -> None:
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


async def test_self_assessed_and_final_ratings_apart(app: App, admin: User, clock) -> None:
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

    book = load_workbook(io.BytesIO((await admin.replies("/baocao"))[0].file.data))  # type: ignore[union-attr]
    summary = book["Tổng hợp"]
    header = [c.value for c in summary[1]]
    kt = dict(zip(header, [c.value for c in summary[2]], strict=True))
    assert kt["Hoàn thành xuất sắc nhiệm vụ (chính thức)"] == 0
    assert kt["Tự đánh giá: Hoàn thành xuất sắc nhiệm vụ"] == 1
    assert kt["Tự đánh giá: Hoàn thành tốt nhiệm vụ"] == 1
    assert kt["Chưa tự đánh giá"] == 0
    results = [v for k, v in kt.items() if k.startswith("Kết quả:")]
    assert results and set(results) == {"chưa có xếp loại chính thức"}

    await head.say("/danhgia @lan tốt")
    await admin.say("/danhgia @head xuất sắc")
    stats = await head.say("/thongke KT")
    assert "Xếp loại chính thức: xuất sắc 1 · tốt 1 · hoàn thành 0" in stats
    assert "đạt (hiện 100%)" in stats and "đạt (hiện 50%)" in stats
