"""Figures that are right (issue 13, item 4), through the chat: commitments keep their
progress by identity, the overall never drifts, self-assessed and final ratings apart, and
nobody rates himself."""

from datetime import UTC, datetime

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
