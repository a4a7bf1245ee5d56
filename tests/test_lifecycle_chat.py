"""Issue 13, item 7: admins and leads change units and members in chat; every change is
audited; a member, or another unit's lead, is refused and nothing changes."""

from __future__ import annotations

from sqlalchemy import select, update

from bot.app import App
from storage import audit
from storage.models import Account, Chat, Membership, Unit
from tests.conftest import User, UserFactory, found, members_of_kt, row_counts


async def _actions(app: App) -> list[tuple[str, str, str | None, dict]]:
    async with app.db.transaction() as session:
        return [(e.actor, e.action, e.target, e.detail) for e in await audit.entries(session)]


# /donvi sua


async def test_admin_renames_recodes_and_rekinds_a_unit(app: App, admin: User) -> None:
    await admin.say("/donvi them KT Phòng Kế toán")
    assert await admin.say("/donvi sua kt Phòng Kế hoạch - Tài chính") == (
        "Đã cập nhật đơn vị: Phòng Kế hoạch - Tài chính (KT) (phòng, ban)."
    )
    assert await admin.say("/donvi sua KT ma khtc") == (
        "Đã cập nhật đơn vị: Phòng Kế hoạch - Tài chính (KHTC) (phòng, ban)."
    )
    assert await admin.say("/donvi sua KHTC loai công đoàn") == (
        "Đã cập nhật đơn vị: Phòng Kế hoạch - Tài chính (KHTC) (Công đoàn)."
    )
    edits = [a for a in await _actions(app) if a[1] == "unit.edit"]
    assert edits == [
        ("console:admin", "unit.edit", "KT", {"name": "Phòng Kế hoạch - Tài chính"}),
        ("console:admin", "unit.edit", "KT", {"code": "KHTC"}),
        ("console:admin", "unit.edit", "KHTC", {"kind": "union"}),
    ]


async def test_bad_unit_edits_get_a_polite_reply_and_change_nothing(app: App, admin: User) -> None:
    await admin.say("/donvi them KT Phòng Kế toán")
    await admin.say("/donvi them VP Văn phòng")
    before = await row_counts(app)
    assert await admin.say("/donvi sua KT ma vp") == "Đã có đơn vị mã VP."
    assert await admin.say("/donvi sua ZZ Tên") == (
        "Không có đơn vị mã ZZ. Gõ /donvi để xem danh sách đơn vị."
    )
    assert "không hợp lệ" in await admin.say("/donvi sua KT ma Kế_toán")
    assert await admin.say("/donvi sua KT loai hội") == (
        'Không hiểu loại đơn vị "hội". Các loại: phong ban, cong doan, doan thanh nien, lanh dao.'
    )
    assert await admin.say("/donvi sua KT " + "x" * 201) == (
        "Tên đơn vị dài quá (201 ký tự). Bạn đặt tên tối đa 200 ký tự nhé."
    )
    assert (await admin.say("/donvi sua KT")).startswith("Sửa đơn vị: /donvi sua MÃ Tên mới")
    assert await row_counts(app) == before
    async with app.db.transaction() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == "KT"))
        assert unit is not None and unit.name == "Phòng Kế toán"


async def test_only_admins_edit_or_delete_units(app: App, admin: User) -> None:
    head, lan = await members_of_kt(app, admin)
    before = await row_counts(app)
    for user in (head, lan):
        assert await user.say("/donvi sua KT Tên khác") == (
            "Bạn không có quyền dùng /donvi sua. Gõ /trogiup để xem các lệnh của bạn."
        )
        assert await user.say("/donvi xoa KT") == (
            "Bạn không có quyền dùng /donvi xoa. Gõ /trogiup để xem các lệnh của bạn."
        )
    assert await row_counts(app) == before


# /donvi xoa


async def test_deleting_a_unit_asks_then_unlinks_everything(app: App, admin: User) -> None:
    head, lan = await members_of_kt(app, admin)
    group = User(app, "head", chat_id="kt-group", group=True)
    await group.say("/lienket KT")
    await head.say("/nhacnho @KT 16h thứ sáu hằng tuần Báo cáo tuần")

    question = await admin.say("/donvi xoa kt")
    assert question == (
        "Xoá đơn vị Phòng Kế toán (KT)? Đơn vị đang có 2 thành viên, 1 nhóm chat liên kết và "
        "1 lời nhắc.\nThành viên sẽ rời đơn vị, các nhóm chat được bỏ liên kết, lời nhắc của "
        "đơn vị dừng hẳn. Không hoàn tác được.\n\n(Gõ huỷ để thoát.)\n  1. Xoá đơn vị\n  2. Không xoá"
    )
    assert await admin.say("2") == "Đã huỷ, đơn vị vẫn giữ nguyên."
    assert (await row_counts(app))["unit"] == 1

    await admin.say("/donvi xoa KT")
    assert await admin.say("1") == (
        "Đã xoá đơn vị Phòng Kế toán (KT): 2 thành viên rời đơn vị, 1 nhóm chat bỏ liên kết, "
        "1 lời nhắc dừng."
    )
    counts = await row_counts(app)
    assert (counts["unit"], counts["membership"], counts["reminder"], counts["invite"]) == (
        0,
        0,
        0,
        0,
    )
    async with app.db.transaction() as session:
        chat = await session.scalar(select(Chat).where(Chat.platform_chat_id == "kt-group"))
        assert chat is not None and chat.unit_id is None
    assert await lan.say("/donvi") == "Bạn chưa thuộc đơn vị nào. Hãy xin trưởng đơn vị một mã mời."
    deleted = [a for a in await _actions(app) if a[1] == "unit.delete"]
    assert deleted == [
        (
            "console:admin",
            "unit.delete",
            "KT",
            {"members": 2, "chats": 1, "reminders": 1},
        )
    ]


async def test_the_delete_button_is_checked_against_who_presses_it(app: App, admin: User) -> None:
    head, _ = await members_of_kt(app, admin)
    await admin.say("/donvi xoa KT")
    # Someone else pressing "yes" in their own chat has no such dialog: nothing happens.
    assert await head.say(payload="unitdel:yes") == (
        "Lựa chọn này không còn hiệu lực. Bạn gõ lại lệnh nhé."
    )
    assert (await row_counts(app))["unit"] == 1
    assert await admin.say("/donvi xoa") == (
        "Cần mã đơn vị cần xoá: /donvi xoa MÃ.\n\n"
        "Câu hỏi trước của mình vẫn đang chờ bạn trả lời (gõ huỷ để thoát)."
    )


# /thanhvien


async def test_a_lead_lists_their_unit_in_private_only(app: App, admin: User) -> None:
    head, lan = await members_of_kt(app, admin)
    assert await head.say("/thanhvien") == (
        "Phòng Kế toán (KT): 2 người\n"
        "• Hùng (console:head): trưởng đơn vị\n"
        "• Lan (console:lan): thành viên\n\n"
        "Gọi một người đúng @tên, mã tài khoản hoặc họ tên đầy đủ, ví dụ /thanhvien xoa @lan."
    )
    in_group = User(app, "head", chat_id="kt-group", group=True)
    assert await in_group.say("/thanhvien") == (
        "Danh sách thành viên là thông tin cá nhân: bạn nhắn riêng cho mình lệnh /thanhvien nhé."
    )
    assert await lan.say("/thanhvien") == (
        "Bạn không có quyền dùng /thanhvien. Gõ /trogiup để xem các lệnh của bạn."
    )
    assert "Phòng Kế toán (KT): 2 người" in await admin.say("/thanhvien KT")
    assert (await admin.say("/thanhvien")).startswith("Bạn muốn xem đơn vị nào?")
    assert "/thanhvien" in await head.say("/trogiup")
    assert "/thanhvien" not in await lan.say("/trogiup")


async def test_another_units_lead_is_refused(
    app: App, admin: User, user_factory: UserFactory
) -> None:
    await members_of_kt(app, admin)
    await admin.say("/donvi them VP Văn phòng")
    other = user_factory("vp-head", name="Minh")
    from tests.conftest import INVITE_CODE

    code = found(INVITE_CODE, await admin.say("/moi VP lead"))
    await other.say(f"/start {code}")
    before = await row_counts(app)
    assert await other.say("/thanhvien KT") == (
        "Bạn không phụ trách Phòng Kế toán (KT), nên không xem hay sửa được thành viên ở đó."
    )
    assert await other.say("/thanhvien xoa Lan") == (
        'Không tìm thấy thành viên "Lan" trong đơn vị bạn phụ trách. Gọi đúng @tên, mã tài '
        "khoản hoặc họ tên đầy đủ (gõ /thanhvien để xem danh sách)."
    )
    assert (await other.say("/thanhvien xoa Lan KT")).startswith("Bạn không phụ trách")
    assert await row_counts(app) == before


async def test_members_are_named_exactly_never_by_a_part(
    app: App, admin: User, user_factory: UserFactory
) -> None:
    head, _ = await members_of_kt(app, admin)
    thi_lan = user_factory("lan2", name="Nguyễn Thị Lan")
    from tests.conftest import INVITE_CODE

    code = found(INVITE_CODE, await head.say("/moi KT"))
    await thi_lan.say(f"/start {code}")
    async with app.db.transaction() as session:
        await session.execute(
            update(Account).where(Account.platform_user_id == "lan2").values(username="thilan")
        )
    before = await row_counts(app)
    # "Lan" is the full name of one person and a part of another's: only the first is named.
    assert await head.say("/thanhvien xoa nguyen thi") == (
        'Không tìm thấy thành viên "nguyen thi" trong đơn vị bạn phụ trách. Gọi đúng @tên, mã '
        "tài khoản hoặc họ tên đầy đủ (gõ /thanhvien để xem danh sách)."
    )
    assert await head.say("/thanhvien xoa @thi") == (
        'Không tìm thấy thành viên "@thi" trong đơn vị bạn phụ trách. Gọi đúng @tên, mã '
        "tài khoản hoặc họ tên đầy đủ (gõ /thanhvien để xem danh sách)."
    )
    assert await row_counts(app) == before
    assert await head.say("/thanhvien xoa @ThiLan") == "Nguyễn Thị Lan đã rời Phòng Kế toán (KT)."
    await thi_lan.say(f"/start {code}")
    assert await head.say("/thanhvien xoa NGUYEN THI  LAN") == (
        "Nguyễn Thị Lan đã rời Phòng Kế toán (KT)."
    )
    await thi_lan.say(f"/start {code}")
    assert await head.say("/thanhvien xoa lan") == "Lan đã rời Phòng Kế toán (KT)."
    async with app.db.transaction() as session:
        left = await session.scalar(
            select(Membership)
            .join(Account, Account.person_id == Membership.person_id)
            .where(Account.platform_user_id == "lan2")
        )
    assert left is not None


async def test_several_people_with_one_name_are_listed(
    app: App, admin: User, user_factory: UserFactory
) -> None:
    head, _ = await members_of_kt(app, admin)
    from tests.conftest import INVITE_CODE

    code = found(INVITE_CODE, await head.say("/moi KT"))
    await user_factory("lan-b", name="Lan").say(f"/start {code}")
    before = await row_counts(app)
    assert await head.say("/thanhvien xoa Lan") == (
        'Có nhiều người tên "Lan": Lan (console:lan), Lan (console:lan-b). Bạn gọi bằng @tên '
        "hoặc mã tài khoản nhé."
    )
    assert await row_counts(app) == before
    assert await head.say("/thanhvien xoa console:lan-b") == "Lan đã rời Phòng Kế toán (KT)."


async def test_a_lead_cannot_promote_move_or_remove_a_lead(app: App, admin: User) -> None:
    head, _ = await members_of_kt(app, admin)
    before = await row_counts(app)
    assert await head.say("/thanhvien vaitro lan truong") == (
        "Bạn không có quyền dùng /thanhvien vaitro. Gõ /trogiup để xem các lệnh của bạn."
    )
    assert await head.say("/thanhvien chuyen lan VP") == (
        "Bạn không có quyền dùng /thanhvien chuyen. Gõ /trogiup để xem các lệnh của bạn."
    )
    assert await head.say("/thanhvien xoa head") == (
        "Chỉ quản trị viên mới cho trưởng đơn vị rời đơn vị được."
    )
    assert await row_counts(app) == before


async def test_admin_moves_and_changes_roles(app: App, admin: User) -> None:
    head, lan = await members_of_kt(app, admin)
    await admin.say("/donvi them VP Văn phòng")
    assert await admin.say("/thanhvien vaitro Lan truong") == (
        "Lan giờ là trưởng đơn vị của Phòng Kế toán (KT)."
    )
    assert await admin.say("/thanhvien vaitro Lan lead") == "Người này đã có vai trò đó rồi."
    assert await admin.say("/thanhvien vaitro Lan sep") == (
        'Không hiểu vai trò "sep". Các vai trò: thanh vien, van dong, truong.'
    )
    assert await admin.say("/thanhvien vaitro Lan thanh vien") == (
        "Lan giờ là thành viên của Phòng Kế toán (KT)."
    )
    assert await admin.say("/thanhvien chuyen Lan ZZ") == (
        "Không có đơn vị mã ZZ. Gõ /donvi để xem danh sách đơn vị."
    )
    assert await admin.say("/thanhvien chuyen Lan KT") == (
        "Người này đã ở trong Văn phòng (VP) rồi.".replace("Văn phòng (VP)", "Phòng Kế toán (KT)")
    )
    assert await admin.say("/thanhvien chuyen Lan VP") == (
        "Đã chuyển Lan từ Phòng Kế toán (KT) sang Văn phòng (VP), với vai trò thành viên."
    )
    assert await lan.say("/donvi") == "Đơn vị của bạn:\n• Văn phòng (VP): thành viên"
    # In two units, the person is named with the unit.
    await admin.say("/thanhvien vaitro head thanh vien")
    from tests.conftest import INVITE_CODE

    code = found(INVITE_CODE, await admin.say("/moi VP"))
    await head.say(f"/start {code}")
    assert await admin.say("/thanhvien xoa Hùng") == (
        '"Hùng" ở nhiều đơn vị (KT, VP). Thêm mã đơn vị vào cuối, ví dụ /thanhvien xoa Hùng MÃ.'
    )
    assert await admin.say("/thanhvien xoa Hùng VP") == "Hùng đã rời Văn phòng (VP)."
    changes = [(a[1], a[2], a[3]) for a in await _actions(app) if a[1].startswith("member.")]
    ids = {a[3]["person_id"] for a in await _actions(app) if a[1].startswith("member.")}
    assert len(ids) == 2
    assert [(action, target) for action, target, _ in changes] == [
        ("member.role", "KT"),
        ("member.role", "KT"),
        ("member.move", "KT"),
        ("member.role", "KT"),
        ("member.remove", "VP"),
    ]
    assert changes[2][2]["to"] == "VP" and changes[0][2]["to"] == "lead"


# /nhatky


async def test_admins_read_the_audit_log_in_pages(
    app: App, admin: User, user_factory: UserFactory
) -> None:
    for n in range(1, 5):
        await admin.say(f"/donvi them U{n} Đơn vị {n}")
    page = await admin.replies("/nhatky 2")
    assert len(page) == 1
    # 02/03/2026 02:00 UTC is 09:00 in Hà Nội.
    assert page[0].text == (
        "Nhật ký thay đổi, trang 1 (2 mục, mới nhất trước):\n"
        '• 02/03/2026 09:00 — console:admin: unit.add U4 {"kind": "department"}\n'
        '• 02/03/2026 09:00 — console:admin: unit.add U3 {"kind": "department"}'
    )
    assert [o.payload for o in page[0].options] == ["auditpage:2:2"]
    older = await admin.say(payload="auditpage:2:2")
    assert "trang 2" in older and "U2" in older and "U1" in older and "U3" not in older
    last = await admin.say("/nhatky 2 3")
    assert "document.import" in last
    assert await admin.say("/nhatky 2 4") == "Không còn mục nào cũ hơn."
    assert await admin.say("/nhatky 0") == (
        "Gõ /nhatky, hoặc /nhatky 20 (tối đa 50 dòng), /nhatky 20 2 cho trang 2."
    )
    assert (await admin.say("/nhatky ²")).startswith("Gõ /nhatky")
    lan = user_factory("lan")
    assert await lan.say("/nhatky") == (
        "Bạn chưa thuộc đơn vị nào nên chưa dùng được /nhatky. Hãy xin mã mời từ trưởng đơn vị "
        "hoặc cán bộ phụ trách rồi gõ /start MÃ để tham gia; sau đó gõ /trogiup để xem các lệnh."
    )
    # A forged "older" button from a non-admin shows nothing.
    assert await lan.say(payload="auditpage:2:1") == (
        "Bạn không có quyền dùng /nhatky. Gõ /trogiup để xem các lệnh của bạn."
    )


async def test_english_aliases_and_messages(app: App, admin: User) -> None:
    head, _ = await members_of_kt(app, admin)
    await admin.say("/language en")
    await head.say("/language en")
    assert await admin.say("/units edit KT code ACC") == (
        "Unit updated: Phòng Kế toán (ACC) (department)."
    )
    assert await head.say("/members role lan lead") == (
        "You are not allowed to use /members role. Type /help to see your commands."
    )
    assert (await head.say("/members")).startswith("Phòng Kế toán (ACC): 2 people")
    assert (await admin.say("/audit 1")).startswith("Audit log, page 1 (1 entry, newest first)")
    assert "/members" in await head.say("/help")
