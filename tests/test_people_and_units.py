"""Units, invites, roles, group links, language and forgetting, as users meet them in chat."""

import re

from sqlalchemy import select

from bot.app import App
from storage import audit
from storage.models import Account, AuditLog, Chat, Membership, Person
from tests.conftest import ADMIN, Clock, User, UserFactory, found, row_counts

CODE = re.compile(r"Mã mời vào .*: ([A-Z0-9]{8})")


async def make_unit(admin: User, code: str = "KT", name: str = "Phòng Kế toán") -> None:
    assert "Đã thêm đơn vị" in await admin.say(f"/donvi them {code} {name}")


async def invite(by: User, args: str) -> str:
    text = await by.say(f"/moi {args}")
    match = CODE.search(text)
    assert match, text
    return match.group(1)


async def test_admin_adds_a_unit_and_a_member_joins_with_an_invite(
    app: App, admin: User, user_factory: UserFactory
) -> None:
    assert await admin.say("/donvi them KT Phòng Kế toán") == (
        "Đã thêm đơn vị Phòng Kế toán (KT) (phòng, ban)."
    )
    reply = await admin.say("/moi kt")
    code = found(CODE, reply)
    assert "Vai trò: thành viên" in reply
    assert "Dùng được 30 lần, đến hết Thứ Hai, 09/03/2026." in reply

    lan = user_factory("lan", name="Lan")
    assert "Bạn chưa thuộc đơn vị nào" in await lan.say("/start")
    assert await lan.say(f"/start {code.lower()}") == (
        "Chào mừng bạn đến với Phòng Kế toán (KT)! Vai trò của bạn: thành viên.\n"
        "Gõ /trogiup để xem những gì bạn làm được."
    )
    assert await lan.say(f"/start {code}") == (
        "Bạn đã ở trong Phòng Kế toán (KT) với vai trò thành viên."
    )
    assert "Chào Lan, rất vui gặp lại bạn!" in await lan.say("/start")
    assert await lan.say("/donvi") == "Đơn vị của bạn:\n• Phòng Kế toán (KT): thành viên"
    assert "• Phòng Kế toán (KT): phòng, ban, 1 thành viên" in await admin.say("/donvi")

    async with app.db.transaction() as session:
        actions = [(e.action, e.target) for e in await audit.entries(session)]
    assert actions[1:] == [("unit.add", "KT"), ("invite.create", "KT"), ("invite.use", "KT")]
    assert actions[0][0] == "document.import"  # the test's 2026 campaign


async def test_bad_invite_codes_change_nothing(
    app: App, admin: User, user_factory: UserFactory, clock: Clock
) -> None:
    await make_unit(admin)
    lan = user_factory("lan")
    await lan.say("/start")
    before = await row_counts(app)
    assert await lan.say("/start NOPE1234") == (
        "Mã mời NOPE1234 không tồn tại. Bạn kiểm tra lại mã, hoặc xin trưởng đơn vị mã mới."
    )
    code = await invite(admin, "KT")
    clock.advance(days=15)
    assert await lan.say(f"/start {code}") == (
        f"Mã mời {code} đã hết hạn. Bạn xin trưởng đơn vị một mã mới nhé."
    )
    after = await row_counts(app)
    assert after["membership"] == before["membership"] == 0


async def test_a_used_up_invite_is_refused(
    app: App, database_url: str, user_factory: UserFactory
) -> None:
    admin = User(app, "admin")
    await make_unit(admin)
    async with app.db.transaction() as session:
        from storage import invites, units

        unit = await units.find_unit(session, "KT")
        assert unit is not None
        single = await invites.create_invite(
            session,
            unit_id=unit.id,
            role="member",
            uses=1,
            expires_at=app.services.clock().replace(year=2027),
            created_by=None,
        )
    assert "Chào mừng" in await user_factory("lan").say(f"/start {single.code}")
    assert await user_factory("minh").say(f"/start {single.code}") == (
        f"Mã mời {single.code} đã hết lượt sử dụng. Bạn xin trưởng đơn vị một mã mới nhé."
    )


async def test_leads_invite_for_their_own_unit_only(
    app: App, admin: User, user_factory: UserFactory
) -> None:
    await make_unit(admin, "KT", "Phòng Kế toán")
    await make_unit(admin, "VP", "Văn phòng")
    head = user_factory("head", name="Trưởng phòng")
    await head.say(f"/start {await invite(admin, 'KT truong')}")

    assert await head.say("/moi") == (
        "Bạn cần ghi mã đơn vị: /moi MÃ_ĐƠN_VỊ [vai trò] [N lượt] [N ngày], ví dụ /moi KT hoặc "
        "/moi KT 20 lượt 7 ngày. Vai trò: thanh vien (mặc định), van dong, truong (hai vai trò "
        "sau chỉ quản trị viên cấp, mã dùng một lần). Xem các mã còn hiệu lực: /moi ds; huỷ một "
        "mã: /moi huy MÃ."
    )
    assert await head.say("/moi XYZ") == (
        "Không có đơn vị mã XYZ. Gõ /donvi để xem danh sách đơn vị."
    )
    assert await head.say("/moi VP") == (
        "Chỉ trưởng Văn phòng (VP) hoặc quản trị viên mới tạo được mã mời cho đơn vị này."
    )
    assert await head.say("/moi KT giamdoc") == (
        'Không hiểu vai trò "giamdoc". Các vai trò: thanh vien, van dong, truong.'
    )
    member_code = await invite(head, "KT")
    lan = user_factory("lan")
    await lan.say(f"/start {member_code}")
    assert await lan.say("/moi KT") == (
        "Bạn không có quyền dùng /moi. Gõ /trogiup để xem các lệnh của bạn."
    )
    # A later invite with a higher role promotes: the member becomes outreach.
    await lan.say(f"/start {await invite(User(app, ADMIN), 'KT van dong')}")
    assert "vận động" in await lan.say("/donvi")


async def test_a_member_cannot_use_admin_commands(
    app: App, admin: User, user_factory: UserFactory
) -> None:
    await make_unit(admin)
    lan = user_factory("lan")
    await lan.say(f"/start {await invite(admin, 'KT')}")
    before = await row_counts(app)
    assert await lan.say("/donvi them VP Văn phòng") == (
        "Bạn không có quyền dùng /donvi them. Gõ /trogiup để xem các lệnh của bạn."
    )
    assert await row_counts(app) == before


async def test_unit_codes_are_checked(admin: User) -> None:
    assert await admin.say("/donvi them") == (
        "Cần mã và tên đơn vị: /donvi them MÃ Tên đơn vị, ví dụ "
        "/donvi them KT Phòng Kế hoạch - Tài chính."
    )
    assert "không hợp lệ" in await admin.say("/donvi them Kế_toán Phòng Kế toán")
    await make_unit(admin)
    assert await admin.say("/donvi them kt Trùng") == "Đã có đơn vị mã KT."
    assert (
        await admin.say("/donvi them CDCS Công đoàn cơ sở")
        == "Đã thêm đơn vị Công đoàn cơ sở (CDCS) (Công đoàn)."
    )


async def test_help_depends_on_the_role(app: App, admin: User, user_factory: UserFactory) -> None:
    guest = await user_factory("guest").say("/trogiup")
    assert guest.startswith("Bạn chưa thuộc đơn vị nào. Bạn dùng được các lệnh sau:")
    assert "/moi" not in guest and "/lienket" not in guest
    assert "/moi" in await admin.say("/trogiup")
    assert "Vai trò của bạn: quản trị viên." in await admin.say("/trogiup")


async def test_organisers_see_how_to_organise_members_see_how_to_take_part(
    app: App, admin: User, user_factory: UserFactory
) -> None:
    """Activities, check-in, contributions and polls: a member's help says how to take part;
    the union or youth officer's also how to put one on."""
    await make_unit(admin)
    lan = user_factory("lan")
    await lan.say(f"/start {await invite(admin, 'KT')}")
    officer = user_factory("mai")
    await officer.say(f"/start {await invite(admin, 'KT outreach')}")
    member_help, officer_help = await lan.say("/trogiup"), await officer.say("/trogiup")
    for taking_part, organising in [
        ("/hoatdong 3", "/hoatdong them"),
        ("/diemdanh MÃ", "/diemdanh mo 5"),
        ("/quyengop 5 500k", "/quyengop xacnhan 12"),
        ("/binhchon 3", "/binhchon them"),
    ]:
        assert taking_part in member_help and organising not in member_help
        assert taking_part in officer_help and organising in officer_help


async def test_linking_a_group_to_a_unit(app: App, admin: User, user_factory: UserFactory) -> None:
    await make_unit(admin)
    head = user_factory("head")
    await head.say(f"/start {await invite(admin, 'KT lead')}")
    lan = user_factory("lan")
    await lan.say(f"/start {await invite(admin, 'KT')}")

    assert "dùng trong nhóm chat" in await head.say("/lienket KT")
    in_group = User(app, "head", chat_id="kt-group", group=True)
    assert await in_group.say("/lienket") == (
        "Cần mã đơn vị: /lienket MÃ_ĐƠN_VỊ, ví dụ /lienket KT."
    )
    assert await in_group.say("/lienket ZZ") == (
        "Không có đơn vị mã ZZ. Gõ /donvi để xem danh sách đơn vị."
    )
    member_in_group = User(app, "lan", chat_id="kt-group", group=True)
    assert "Bạn không có quyền dùng /lienket" in await member_in_group.say("/lienket KT")
    assert await in_group.say("/lienket KT") == (
        "Đã liên kết nhóm này với Phòng Kế toán (KT). "
        "Nhắc việc và thông báo của đơn vị sẽ được gửi vào đây."
    )
    assert "đã được liên kết" in await in_group.say("/lienket kt")
    async with app.db.transaction() as session:
        chat = await session.scalar(select(Chat).where(Chat.platform_chat_id == "kt-group"))
        assert chat is not None and chat.unit_id is not None and chat.kind == "group"
        links = await audit.entries(session, "chat.link")
    assert [(e.actor, e.target) for e in links] == [("console:head", "KT")]


async def test_language_is_per_person(user_factory: UserFactory) -> None:
    lan = user_factory("lan")
    assert await lan.say("/ngonngu en") == "Switched to English."
    assert (await lan.say("/help")).startswith("You are not in any unit yet.")
    assert "/language" in await lan.say("/help")
    assert await lan.say("/xyz") == "I don't know the command /xyz. Type /help to see the commands."
    assert await lan.say("/language tiếng Pháp") == (
        'The language "tiếng Pháp" is not supported. Choose vi (Vietnamese) or en (English).'
    )
    assert await lan.say("ngôn ngữ vi") == "Đã chuyển sang tiếng Việt."
    assert (await user_factory("minh").say("/trogiup")).startswith("Bạn chưa thuộc")


async def test_user_text_is_escaped_in_html(app: App, admin: User) -> None:
    replies = await admin.replies("/donvi them <b>&</b> Tên")
    assert (
        replies[0].text
        == 'Mã đơn vị "&lt;b&gt;&amp;&lt;/b&gt;" không hợp lệ: chỉ dùng chữ không dấu, số, '
        "dấu gạch, tối đa 32 ký tự."
    )
    await admin.say("/donvi them KT <i>Kế & toán</i>")
    replies = await admin.replies("/donvi")
    assert "<b>&lt;i&gt;Kế &amp; toán&lt;/i&gt;</b>" in replies[0].text


async def test_forgetting_deletes_the_person_and_keeps_only_that_it_happened(
    app: App, admin: User, user_factory: UserFactory
) -> None:
    await make_unit(admin)
    lan = user_factory("lan", name="Nguyễn Thị Lan")
    await lan.say(f"/start {await invite(admin, 'KT')}")
    in_group = user_factory("lan", name="Nguyễn Thị Lan", group=True, chat_id="g-kt")
    assert await in_group.say("/xoadulieu") == (
        "Việc xoá dữ liệu của bạn chỉ làm trong tin nhắn riêng với mình: bạn nhắn riêng cho mình "
        "lệnh /xoadulieu nhé. Mình chưa xoá gì."
    )

    assert "không hoàn tác được" in await lan.say("/xoadulieu")
    assert await lan.say("2") == "Đã huỷ, dữ liệu của bạn vẫn được giữ nguyên."
    assert "1. Xoá hết" in await lan.say("xoá dữ liệu")
    assert await lan.say("1") == (
        "Đã xoá dữ liệu cá nhân của bạn. Cảm ơn bạn đã tham gia phong trào."
    )
    async with app.db.transaction() as session:
        names = (await session.scalars(select(Person.display_name))).all()
        assert "Nguyễn Thị Lan" not in names
        assert (
            await session.scalar(select(Account).where(Account.platform_user_id == "lan"))
        ) is None
        assert (await session.scalars(select(Membership))).all() == []
        log = list(await session.scalars(select(AuditLog).order_by(AuditLog.id)))
    assert log[-1].action == "person.forget"
    assert all("lan" not in (e.actor + str(e.detail) + str(e.target)) for e in log)
    assert ("invite.use", "(deleted)") in [(e.action, e.actor) for e in log]


async def test_bot_admins_setting_makes_an_admin_without_the_database(
    app: App, admin: User
) -> None:
    assert "quản trị viên" in await admin.say("/trogiup")
    async with app.db.transaction() as session:
        person = await session.scalar(
            select(Person).join(Account).where(Account.platform_user_id == "admin")
        )
        assert person is not None and person.is_admin is False
