"""Invite codes that cannot be abused: lead codes from admins only, once, in private; member
codes from leads with bounded uses and days; /moi ds and /moi huy (issue 13)."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.app import App
from storage.models import AuditLog, Invite
from tests.conftest import INVITE_CODE, User, UserFactory, members_of_kt, row_counts

CODE = re.compile(r": ([A-Z0-9]{8})\n")


def code_of(text: str) -> str:
    match = CODE.search(text)
    assert match, text
    return match.group(1)


async def test_leads_make_member_codes_only_with_bounded_uses_and_days(
    app: App, admin: User
) -> None:
    head, _lan = await members_of_kt(app, admin)
    before = await row_counts(app)
    assert await head.say("/moi KT truong") == (
        "Chỉ quản trị viên mới tạo được mã mời với vai trò trưởng đơn vị. "
        "Trưởng đơn vị tạo mã mời thành viên: /moi MÃ_ĐƠN_VỊ."
    )
    assert await head.say("/moi KT 500 lượt") == "Số lượt dùng phải từ 1 đến 200 (bạn ghi 500)."
    assert await head.say("/moi KT 3 ngay 0 luot") == "Số lượt dùng phải từ 1 đến 200 (bạn ghi 0)."
    assert (await head.say("/moi KT 5²")).startswith("Bạn cần ghi mã đơn vị")
    assert (await head.say("/moi KT 5")).startswith("Bạn cần ghi mã đơn vị")
    assert await row_counts(app) == before

    assert "Dùng được 30 lần, đến hết Thứ Hai, 09/03/2026." in await head.say("/moi KT")
    assert "Dùng được 5 lần, đến hết Thứ Năm, 05/03/2026." in await head.say(
        "/moi KT 5 lượt 3 ngày"
    )


async def test_a_lead_code_from_an_admin_works_once(
    app: App, admin: User, user_factory: UserFactory
) -> None:
    await members_of_kt(app, admin)
    assert await admin.say("/moi KT truong 3 lượt") == (
        "Mã mời vai trò trưởng đơn vị chỉ dùng được một lần, cho đúng một người."
    )
    reply = await admin.say("/moi KT truong")
    assert "Dùng được 1 lần" in reply
    code = code_of(reply)
    assert "trưởng đơn vị" in await user_factory("minh").say(f"/start {code}")
    assert "hết lượt" in await user_factory("tuan").say(f"/start {code}")


async def test_in_a_group_no_code_is_made_or_shown(app: App, admin: User) -> None:
    head, _lan = await members_of_kt(app, admin)
    admin_in_group = User(app, "admin", name="Văn phòng", chat_id="g-kt", group=True)
    head_in_group = User(app, "head", name="Hùng", chat_id="g-kt", group=True)
    await head.say("/moi KT")
    await head_in_group.say("/trogiup")  # the bot meets the group
    before = await row_counts(app)
    for user, text in ((admin_in_group, "/moi KT truong"), (head_in_group, "/moi KT"),
                       (head_in_group, "/moi ds")):  # fmt: skip
        replies = await user.replies(text)
        assert len(replies) == 1
        assert replies[0].text.startswith("Mã mời chỉ được tạo và xem trong chat riêng")
        assert INVITE_CODE.search(replies[0].text + "\n") is None
    assert await row_counts(app) == before


async def test_list_and_revoke_the_codes_one_may_see(
    app: App, admin: User, user_factory: UserFactory
) -> None:
    head, _lan = await members_of_kt(app, admin)
    await admin.say("/donvi them VP Văn phòng")
    member_code = code_of(await head.say("/moi KT"))
    lead_code = code_of(await admin.say("/moi KT truong"))
    other_unit = code_of(await admin.say("/moi VP"))

    listed = await head.say("/moi ds")
    assert listed.startswith("Mã mời còn hiệu lực (2):")  # with the one Lan joined with
    assert member_code in listed and lead_code not in listed and other_unit not in listed
    everything = await admin.say("/moi ds")
    assert all(code in everything for code in (member_code, lead_code, other_unit))

    for code in (lead_code, other_unit):
        assert await head.say(f"/moi huy {code}") == (
            f"Không có mã mời {code} nào còn hiệu lực mà bạn quản lý. Xem các mã bằng /moi ds."
        )
    assert await head.say(f"/moi huỷ {member_code.lower()}") == (
        f"Đã huỷ mã mời {member_code} của Phòng Kế toán (KT): mã không dùng được nữa."
    )
    assert "không tồn tại" in await user_factory("minh").say(f"/start {member_code}")
    assert member_code not in await head.say("/moi ds")
    async with app.db.transaction() as session:
        left = set(await session.scalars(select(Invite.code)))
        revoked = await session.scalar(select(AuditLog).where(AuditLog.action == "invite.revoke"))
    assert member_code not in left and {lead_code, other_unit} <= left
    assert revoked is not None and revoked.detail == {"invite": member_code}
