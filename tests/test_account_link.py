"""/taikhoan: a staff member on Telegram and on Zalo becomes one person, as they meet it in chat."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.app import App
from campaign.commands import ParsedCommand, match_phrase
from handlers.features import build_registry
from storage import audit, merge, outbox
from storage.models import (
    Account,
    AccountLinkAttempt,
    AccountLinkCode,
    Activity,
    Assessment,
    AuditLog,
    Base,
    CampaignDocument,
    Commitment,
    Contribution,
    CustomEvent,
    Invite,
    Membership,
    Person,
    Pledge,
    Poll,
    PollOption,
    PollVote,
    Reminder,
    Signup,
    Unit,
)
from tests.conftest import Clock, User, found, row_counts

INVITE = re.compile(r": ([A-Z0-9]{8})\n")
LINK = re.compile(r"Mã liên kết tài khoản của bạn: ([A-Z0-9]{8})")


async def setup(admin: User, clock: Clock) -> None:
    clock.now = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội, pledges open
    await admin.say("/donvi them KT Phòng Kế toán")
    await admin.say("/donvi them VP Văn phòng")


async def join(admin: User, user: User, invite: str = "KT") -> None:
    code = found(INVITE, await admin.say(f"/moi {invite}"))
    assert "Chào mừng" in await user.say(f"/start {code}")


async def link_code(user: User) -> str:
    text = await user.say("/taikhoan")
    match = LINK.search(text)
    assert match, text
    return match.group(1)


def telegram(app: App, name: str = "Nguyễn Thị Lan") -> User:
    return User(app, "111", name=name, platform="telegram")


def zalo(app: App, user_id: str = "z-9", name: str = "Lan") -> User:
    return User(app, user_id, name=name, platform="zalo")


async def confirm(app: App, owner: User, button: int = 0) -> str:
    """The owner presses Confirm (or Refuse) under the request the bot queued for them."""
    async with app.db.transaction() as session:
        row = [r for r in await outbox.rows(session) if r.options][-1]
    return await owner.say(payload=row.options[button]["payload"])


async def linked(app: App, owner: User, sender: User, code: str) -> str:
    """`sender` sends the code, its owner confirms: what the owner reads."""
    assert "Mình đã gửi yêu cầu" in await sender.say(f"/taikhoan {code}")
    return await confirm(app, owner)


async def counts(app: App) -> dict[str, int]:
    """Rows in every table but the wrong guesses, which a refused code adds to."""
    rows = await row_counts(app)
    rows.pop("account_link_attempt")
    return rows


async def count(app: App, model: type[Base]) -> int:
    async with app.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_code_on_telegram_sent_from_zalo_makes_one_person(
    app: App, admin: User, clock: Clock
) -> None:
    await setup(admin, clock)
    lan_tg = telegram(app)
    await join(admin, lan_tg)
    assert "Danh hiệu: Chiến sĩ thi đua cơ sở" in await lan_tg.say(
        "/dangky cstđcs; Sáng kiến quản lý hồ sơ; Không để chậm muộn"
    )
    lan_zalo = zalo(app)
    assert "Bạn chưa thuộc đơn vị nào nên chưa dùng được /camket" in await lan_zalo.say("/camket")

    issued = await lan_tg.say("/taikhoan")
    code = found(LINK, issued)
    assert issued == (
        f"Mã liên kết tài khoản của bạn: {code}\n"
        f"Mở Zalo và gửi cho mình: /taikhoan {code}\n"
        "Mã dùng được một lần, đến 09:15 10/03/2026. Đừng đưa mã cho ai khác. Khi mã được gửi "
        "tới, mình sẽ hỏi bạn ở đây trên Telegram: chỉ khi bạn đồng ý, hai tài khoản mới được gộp."
    )
    assert await lan_zalo.say(f"/taikhoan {code.lower()}") == (
        "Mình đã gửi yêu cầu tới tài khoản Telegram của bạn. Bạn mở Telegram và chọn “Đồng ý” "
        "(bấm nút, hoặc gõ số 1 trên Zalo) trong 15 phút tới để gộp hai tài khoản."
    )
    assert await confirm(app, lan_tg) == (
        "Đã liên kết tài khoản Zalo với tài khoản Telegram của bạn. Từ nay hai tài khoản là một: "
        "đơn vị, đăng ký thi đua và đánh giá của bạn dùng chung trên cả hai."
    )

    mine = await lan_zalo.say("/camket")
    assert mine.startswith("Đăng ký thi đua năm 2026: Chiến sĩ thi đua cơ sở")
    assert "2. Không để chậm muộn" in mine
    assert await lan_zalo.say("/donvi") == "Đơn vị của bạn:\n• Phòng Kế toán (KT): thành viên"
    async with app.db.transaction() as session:
        accounts = list(await session.scalars(select(Account).where(Account.platform != "console")))
        assert {(a.platform, a.platform_user_id) for a in accounts} == {
            ("telegram", "111"),
            ("zalo", "z-9"),
        }
        assert len({a.person_id for a in accounts}) == 1
        person = await session.get(Person, accounts[0].person_id)
        assert person is not None and person.display_name == "Lan"  # the name Zalo just sent
        assert await session.scalar(select(func.count()).select_from(AccountLinkCode)) == 0
        links = await audit.entries(session, "account.link")
    assert [(e.actor, e.actor_id, e.target, e.detail) for e in links] == [
        ("telegram:111", person.id, code, {"from": "zalo", "into": "telegram"})  # who confirmed
    ]
    assert await count(app, Person) == 2  # the admin and Lan
    assert await count(app, Pledge) == 1


async def test_a_used_code_is_refused_and_changes_nothing(
    app: App, admin: User, clock: Clock
) -> None:
    await setup(admin, clock)
    lan_tg, lan_zalo = telegram(app), zalo(app)
    code = await link_code(lan_tg)
    assert "Đã liên kết tài khoản Zalo" in await linked(app, lan_tg, lan_zalo, code)

    other = zalo(app, "z-other", name="Minh")
    await other.say("/start")
    before = await counts(app)
    assert await other.say(f"/taikhoan {code}") == (
        f"Mã liên kết {code} không đúng hoặc đã được dùng. Bạn gõ /taikhoan ở ứng dụng kia "
        "để lấy mã mới nhé."
    )
    assert await counts(app) == before


async def test_an_expired_code_is_refused_and_changes_nothing(
    app: App, admin: User, clock: Clock
) -> None:
    await setup(admin, clock)
    lan_tg, lan_zalo = telegram(app), zalo(app)
    code = await link_code(lan_tg)
    await lan_zalo.say("/start")
    clock.advance(minutes=15)
    before = await counts(app)
    assert await lan_zalo.say(f"/taikhoan {code}") == (
        f"Mã liên kết {code} đã hết hạn lúc 09:15 10/03/2026. Bạn gõ /taikhoan ở ứng dụng kia "
        "để lấy mã mới nhé."
    )
    assert await counts(app) == before
    assert before["account"] == 3 and before["person"] == 3  # still two people for Lan


async def test_a_code_must_come_back_from_another_platform(
    app: App, admin: User, clock: Clock
) -> None:
    await setup(admin, clock)
    lan_tg = telegram(app)
    code = await link_code(lan_tg)
    someone_on_telegram = User(app, "222", platform="telegram")
    await someone_on_telegram.say("/start")
    before = await counts(app)
    expected = (
        f"Mã {code} được tạo trên Telegram, nên phải gửi từ tài khoản của bạn trên ứng dụng "
        f"khác (Zalo). Bạn mở Zalo và gửi /taikhoan {code} cho mình nhé."
    )
    assert await lan_tg.say(f"/taikhoan {code}") == expected
    assert await someone_on_telegram.say(f"/taikhoan {code}") == expected
    assert await counts(app) == before


async def test_accounts_already_linked_are_told_so(app: App, admin: User, clock: Clock) -> None:
    await setup(admin, clock)
    lan_tg, lan_zalo = telegram(app), zalo(app)
    await linked(app, lan_tg, lan_zalo, await link_code(lan_tg))
    code = await link_code(lan_tg)
    before = await counts(app)
    assert await lan_zalo.say(f"/taikhoan {code}") == (
        "Tài khoản Zalo này đã được liên kết với tài khoản Telegram của bạn rồi, không cần làm "
        "gì thêm."
    )
    assert await counts(app) == before  # the code is not used up either


async def test_in_a_group_it_answers_private_chat_only(app: App, admin: User, clock: Clock) -> None:
    await setup(admin, clock)
    lan_tg = telegram(app)
    code = await link_code(lan_tg)
    in_group = User(app, "z-9", chat_id="kt-group", group=True, platform="zalo")
    await in_group.say("/start")
    before = await counts(app)
    assert await in_group.say("/taikhoan") == (
        "Lệnh /taikhoan chỉ dùng trong tin nhắn riêng với mình, để mã liên kết không lộ ra trong "
        "nhóm. Bạn nhắn riêng cho mình nhé."
    )
    reply = await in_group.say(f"/taikhoan {code}")
    assert "Mã bạn vừa gõ đã hiện trong nhóm nên mình đã huỷ nó" in reply
    assert code not in reply
    after = await counts(app)
    assert after == {**before, "account_link_code": before["account_link_code"] - 1}
    lan_zalo = zalo(app)
    assert (await lan_zalo.say(f"/taikhoan {code}")).startswith(f"Mã liên kết {code} không đúng")
    assert "/taikhoan" not in await in_group.say("/trogiup")  # not offered in groups
    assert "/taikhoan" in await lan_tg.say("/trogiup")


async def test_garbage_is_not_taken_for_a_code(app: App, admin: User, clock: Clock) -> None:
    await setup(admin, clock)
    await link_code(telegram(app))
    lan_zalo = zalo(app)
    await lan_zalo.say("/start")
    before = await counts(app)
    assert await lan_zalo.say("/taikhoan xin chào <b>") == (
        '"xin chào <b>" không phải là mã liên kết: mã gồm 8 chữ cái và chữ số, ví dụ '
        "/taikhoan ABCD2345. Gõ /taikhoan (không kèm mã) nếu bạn muốn lấy mã mới."
    )
    # O is no code letter: it reads like a zero
    assert "không phải là mã liên kết" in await lan_zalo.say("/taikhoan ABCD234O")
    assert "ABCDEFGH không đúng hoặc đã được dùng" in await lan_zalo.say("/taikhoan abcd-efgh")
    assert await counts(app) == before


async def test_a_new_code_replaces_the_earlier_one(app: App, admin: User, clock: Clock) -> None:
    await setup(admin, clock)
    lan_tg, lan_zalo = telegram(app), zalo(app)
    first = await link_code(lan_tg)
    second = await link_code(lan_tg)
    assert first != second
    assert await count(app, AccountLinkCode) == 1
    assert "không đúng hoặc đã được dùng" in await lan_zalo.say(f"/taikhoan {first}")
    assert "Đã liên kết" in await linked(app, lan_tg, lan_zalo, second)


async def test_both_accounts_pledged_the_most_recent_pledge_stays(
    app: App, admin: User, clock: Clock
) -> None:
    await setup(admin, clock)
    lan_tg, lan_zalo = telegram(app), zalo(app)
    await join(admin, lan_tg, "KT")
    await lan_tg.say("/dangky LĐTT; Hoàn thành hồ sơ đúng hạn")
    clock.advance(hours=1)
    await join(admin, lan_zalo, "KT truong")
    await join(admin, lan_zalo, "VP")
    await lan_zalo.say("/dangky cstđcs; Sáng kiến quản lý hồ sơ; Không để chậm muộn")
    clock.advance(hours=1)

    reply = await linked(app, lan_tg, lan_zalo, await link_code(lan_tg))
    assert reply.startswith("Đã liên kết tài khoản Zalo với tài khoản Telegram của bạn.")
    assert reply.endswith(
        "Năm 2026, cả hai tài khoản đều đã đăng ký thi đua. Mình giữ đăng ký danh hiệu "
        "Chiến sĩ thi đua cơ sở của tài khoản Zalo (cập nhật gần đây hơn) và đã xoá đăng ký "
        "danh hiệu Lao động tiên tiến của tài khoản Telegram. Gõ /camket để xem."
    )
    assert (await lan_tg.say("/camket")).startswith(
        "Đăng ký thi đua năm 2026: Chiến sĩ thi đua cơ sở"
    )
    assert await lan_tg.say("/donvi") == (
        "Đơn vị của bạn:\n• Phòng Kế toán (KT): trưởng đơn vị\n• Văn phòng (VP): thành viên"
    )
    assert await count(app, Pledge) == 1
    assert await count(app, Commitment) == 2  # the Telegram pledge's one commitment went with it
    assert await count(app, Membership) == 2


async def test_the_issuer_pledge_stays_when_it_is_the_newer_one(
    app: App, admin: User, clock: Clock
) -> None:
    await setup(admin, clock)
    lan_tg, lan_zalo = telegram(app), zalo(app)
    await join(admin, lan_zalo)
    await lan_zalo.say("/dangky cstđcs; Sáng kiến")
    clock.advance(hours=1)
    await join(admin, lan_tg)
    await lan_tg.say("/dangky LĐTT; Hồ sơ đúng hạn")
    reply = await linked(app, lan_tg, lan_zalo, await link_code(lan_tg))
    assert (
        "Mình giữ đăng ký danh hiệu Lao động tiên tiến của tài khoản Telegram (cập nhật gần đây "
        "hơn) và đã xoá đăng ký danh hiệu Chiến sĩ thi đua cơ sở của tài khoản Zalo." in reply
    )
    assert "1. Hồ sơ đúng hạn" in await lan_zalo.say("/camket")


async def test_both_accounts_assessed_themselves_the_newer_one_stays(
    app: App, admin: User, clock: Clock
) -> None:
    await setup(admin, clock)
    assert "mở" in await admin.say("/tudanhgia mo")
    lan_tg, lan_zalo = telegram(app), zalo(app)
    await join(admin, lan_tg)
    await join(admin, lan_zalo)
    await lan_zalo.say("/tudanhgia tốt")
    clock.advance(hours=1)
    await lan_tg.say("/tudanhgia xuất sắc")
    reply = await linked(app, lan_tg, lan_zalo, await link_code(lan_tg))
    assert reply.endswith(
        "Năm 2026, cả hai tài khoản đều có đánh giá cuối năm. Mình giữ bản xếp loại Hoàn thành "
        "xuất sắc nhiệm vụ của tài khoản Telegram (ưu tiên bản đã có xếp loại của trưởng đơn vị, "
        "rồi đến bản mới hơn) và đã xoá bản xếp loại Hoàn thành tốt nhiệm vụ của tài khoản Zalo."
    )
    async with app.db.transaction() as session:
        ratings = list(await session.scalars(select(Assessment.self_rating)))
    assert ratings == ["excellent"]


async def test_phrases_and_english(app: App, admin: User, clock: Clock) -> None:
    phrases = build_registry().phrases
    assert match_phrase("liên kết tài khoản", phrases) == ParsedCommand("taikhoan", "")
    assert match_phrase("gop tai khoan ABCD2345", phrases) == ParsedCommand("taikhoan", "ABCD2345")
    assert match_phrase("liên kết KT", phrases) == ParsedCommand("lienket", "KT")

    await setup(admin, clock)
    lan_tg = telegram(app)
    assert LINK.search(await lan_tg.say("lien ket tai khoan"))
    lan_zalo = zalo(app)
    await lan_zalo.say("/ngonngu en")
    issued = await lan_zalo.say("/linkaccount")
    code = found(r"Your account link code: ([A-Z0-9]{8})", issued)
    assert f"Open Telegram and send me: /linkaccount {code}\n" in issued
    assert "until 09:15 10/03/2026" in issued
    assert "Mình đã gửi yêu cầu tới tài khoản Zalo" in await lan_tg.say(f"/linkaccount {code}")
    assert (await confirm(app, lan_zalo)).startswith(
        "Your Telegram account is now linked to your Zalo account."
    )
    assert (await lan_tg.say("/trogiup")).startswith("You are not in any unit yet.")


def test_every_foreign_key_to_person_is_handled_by_the_merge() -> None:
    pointing = {
        (table.name, fk.parent.name)
        for table in Base.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == "person"
    }
    handled = [
        (column.class_.__tablename__, column.key)
        for column in (*merge.JOINED, *merge.REPOINTED, *merge.DROPPED)
    ]
    assert len(handled) == len(set(handled))
    assert set(handled) == pointing


async def test_merge_people_repoints_every_row(app: App) -> None:
    """Straight through storage: the rows the chat tests do not reach (authorship, final
    ratings, assessments of both, the profile)."""
    at = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
    async with app.db.transaction() as session:
        campaign = await session.scalar(select(CampaignDocument))
        assert campaign is not None
        unit = Unit(code="KT", name="Phòng Kế toán", kind="department")
        keep = Person(display_name="", language=None, is_admin=False, nudges_off=False)
        drop = Person(display_name="Lan", language="en", is_admin=True, nudges_off=True)
        lead = Person(display_name="Trưởng phòng")
        session.add_all([unit, keep, drop, lead])
        await session.flush()
        session.add_all(
            [
                Account(platform="telegram", platform_user_id="1", person_id=keep.id),
                Account(platform="zalo", platform_user_id="2", person_id=drop.id),
                Membership(person_id=keep.id, unit_id=unit.id, role="outreach"),
                Membership(person_id=drop.id, unit_id=unit.id, role="member"),
                # the issuer's self-assessment is newer, the sender's carries the final rating
                Assessment(person_id=keep.id, campaign_id=campaign.id, self_rating="excellent",
                           self_at=at + timedelta(days=3)),
                Assessment(person_id=drop.id, campaign_id=campaign.id, self_rating="good",
                           self_at=at, final_rating="done", final_at=at + timedelta(days=1)),
                Assessment(person_id=lead.id, campaign_id=campaign.id, final_rating="good",
                           final_by=drop.id),
                Reminder(created_by=drop.id, target="all", text="Họp", next_at=at,
                         timezone="Asia/Ho_Chi_Minh"),
                Invite(code="ABCDEFGH", unit_id=unit.id, role="member", expires_at=at,
                       uses_left=1, created_by=drop.id),
                CustomEvent(name="Ngày hội", day=1, month=5, year=2026, created_by=drop.id),
                AuditLog(actor="zalo:2", actor_id=drop.id, action="unit.add"),
                AccountLinkCode(code="HGFEDCBA", person_id=drop.id, platform="zalo",
                                expires_at=at),
                Pledge(person_id=drop.id, campaign_id=campaign.id, title="ldtt",
                       created_at=at, updated_at=at),
                Poll(question="Đi đâu?", closes_at=at, created_by=drop.id),
            ]
        )  # fmt: skip
        await session.flush()
        drive = Activity(name="Hiến máu", kind="hien_mau", starts_at=at, organiser_id=drop.id)
        walk = Activity(name="Đi bộ", kind="the_thao", starts_at=at)
        poll = Poll(question="Đi đâu?", closes_at=at, created_by=drop.id)
        session.add_all([drive, walk, poll])
        await session.flush()
        option = PollOption(poll_id=poll.id, position=1, text="Biển")
        session.add(option)
        await session.flush()
        session.add_all(
            [
                # both signed up for the drive: one sign-up stays; the walk moves over
                Signup(activity_id=drive.id, person_id=keep.id, status="confirmed", queued_at=at),
                Signup(activity_id=drive.id, person_id=drop.id, status="waitlist", queued_at=at),
                Signup(activity_id=walk.id, person_id=drop.id, status="confirmed", queued_at=at),
                Signup(activity_id=walk.id, person_id=lead.id, status="confirmed", queued_at=at,
                       added_by=drop.id),
                Contribution(activity_id=drive.id, person_id=drop.id, amount=500_000,
                             confirmed_by=drop.id),
                PollVote(poll_id=poll.id, option_id=option.id, person_id=keep.id),
                PollVote(poll_id=poll.id, option_id=option.id, person_id=drop.id),
            ]
        )  # fmt: skip
        await session.flush()
        keep_id, drop_id, lead_id = keep.id, drop.id, lead.id
        joined = await merge.merge_people(session, keep_id=keep_id, drop_id=drop_id)

    assert joined.pledges == ()
    assert joined.assessments == (
        merge.Conflict(year=campaign.year, kept_from=merge.Side.SENDER, kept="done",
                       removed="excellent"),
    )  # fmt: skip
    async with app.db.transaction() as session:
        assert await session.get(Person, drop_id) is None
        person = await session.get(Person, keep_id)
        assert person is not None
        assert (person.display_name, person.language, person.is_admin, person.nudges_off) == (
            "Lan",
            "en",
            True,
            True,
        )
        accounts = await session.scalars(select(Account.person_id))
        assert set(accounts) == {keep_id}
        memberships = list(await session.scalars(select(Membership)))
        assert [(m.person_id, m.role) for m in memberships] == [(keep_id, "outreach")]
        assessments = {a.person_id: a for a in await session.scalars(select(Assessment))}
        assert set(assessments) == {keep_id, lead_id}
        assert assessments[keep_id].final_rating == "done"
        assert assessments[lead_id].final_by == keep_id
        for column in merge.REPOINTED:
            values = set(await session.scalars(select(column).where(column.is_not(None))))
            assert values == {keep_id}, column
        assert await session.scalar(select(func.count()).select_from(AccountLinkCode)) == 0
        pledge = await session.scalar(select(Pledge))
        # moving is not changing: the pledge still says when Lan last changed it
        assert pledge is not None and (pledge.person_id, pledge.updated_at) == (keep_id, at)


async def test_a_person_on_two_apps_is_nudged_once(app: App, admin: User, clock: Clock) -> None:
    from datetime import timedelta

    from bot.scheduler import Scheduler
    from tests.fakes.channel import FakeChannel

    await setup(admin, clock)
    lan_tg, lan_zalo = telegram(app), zalo(app)
    await join(admin, lan_tg)
    await lan_zalo.say("/start")
    await linked(app, lan_tg, lan_zalo, await link_code(lan_tg))
    channels = {"telegram": FakeChannel(), "zalo": FakeChannel()}
    scheduler = Scheduler(app, senders=dict(channels))
    week_before = datetime(2026, 3, 25, 3, 0, tzinfo=UTC)
    await scheduler.tick(week_before)
    await scheduler.tick(week_before + timedelta(days=1))
    nudges = channels["telegram"].delivered + channels["zalo"].delivered
    assert [text for _, text, _ in nudges if "liên kết" not in text] == [
        "Bạn chưa đăng ký thi đua năm 2026; hạn đăng ký là 31/03/2026. Gõ /dangky để đăng ký."
    ]


async def test_a_leaked_code_joins_nothing_until_its_owner_confirms(
    app: App, admin: User, clock: Clock
) -> None:
    from bot.scheduler import Scheduler
    from tests.fakes.channel import FakeChannel

    await setup(admin, clock)
    lan_tg, stranger = telegram(app), zalo(app, "z-evil", name="Người lạ")
    await join(admin, lan_tg, "KT")
    code = await link_code(lan_tg)  # seen over Lan's shoulder
    assert "Mình đã gửi yêu cầu tới tài khoản Telegram" in await stranger.say(f"/taikhoan {code}")
    assert await count(app, Person) == 3  # nobody joined yet
    assert "Bạn chưa thuộc đơn vị nào" in await stranger.say("/donvi")

    channels = {"telegram": FakeChannel(), "zalo": FakeChannel()}
    await Scheduler(app, senders=dict(channels)).tick(clock.now)
    [(chat, text, options)] = channels["telegram"].delivered
    assert chat == "111"
    assert text.startswith("Tài khoản Zalo “Người lạ” vừa gửi mã liên kết của bạn")
    assert [o["label"] for o in options] == ["Đồng ý, đó là tôi", "Từ chối"]

    before = await row_counts(app)
    assert await stranger.say(payload=options[0]["payload"]) == (
        "Nút này không dành cho bạn, mình không làm gì cả."
    )
    assert await row_counts(app) == before
    assert await lan_tg.say(payload=options[1]["payload"]) == (
        "Đã từ chối: hai tài khoản không được gộp và mã liên kết đã huỷ."
    )
    assert await lan_tg.say(payload=options[0]["payload"]) == (
        "Yêu cầu liên kết này không còn hiệu lực (đã hết hạn hoặc đã được xử lý). Muốn liên "
        "kết, bạn gõ /taikhoan để lấy mã mới."
    )
    await Scheduler(app, senders=dict(channels)).tick(clock.now)
    assert channels["zalo"].to("z-evil") == [
        "Yêu cầu liên kết tài khoản đã bị từ chối trên Telegram. Hai tài khoản vẫn tách riêng."
    ]
    assert await count(app, Person) == 3
    assert await count(app, AccountLinkCode) == 0
    assert "Bạn chưa thuộc đơn vị nào" in await stranger.say("/donvi")


async def test_a_confirmation_too_late_joins_nothing(app: App, admin: User, clock: Clock) -> None:
    await setup(admin, clock)
    lan_tg, lan_zalo = telegram(app), zalo(app)
    code = await link_code(lan_tg)
    for _ in range(2):  # sent twice: asked once
        assert "Mình đã gửi yêu cầu" in await lan_zalo.say(f"/taikhoan {code}")
    async with app.db.transaction() as session:
        assert len([r for r in await outbox.rows(session) if r.kind == "link"]) == 1
    clock.advance(minutes=16)
    assert "không còn hiệu lực" in await confirm(app, lan_tg)
    assert await count(app, Person) == 3


async def test_five_wrong_codes_an_hour_then_try_later(app: App, admin: User, clock: Clock) -> None:
    await setup(admin, clock)
    lan_tg, guesser = telegram(app), zalo(app, "z-guess", name="Đoán mò")
    for guess in ("ABCD2345", "ABCD2346", "xin chào", "ABCD2347"):
        assert "không" in await guesser.say(f"/taikhoan {guess}")
        clock.advance(minutes=5)
    code = await link_code(lan_tg)
    assert "ABCD2348 không đúng" in await guesser.say("/taikhoan ABCD2348")
    limited = (
        "Bạn đã gõ sai mã liên kết 5 lần trong một giờ. Để giữ an toàn, bạn thử lại sau "
        "10:00 10/03/2026 nhé."
    )
    assert await guesser.say(f"/taikhoan {code}") == limited  # even the right one, for now
    async with app.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(AccountLinkAttempt)) == 5
    clock.advance(minutes=40)  # 10:00: the first wrong guess is an hour old
    code = await link_code(lan_tg)
    assert "Mình đã gửi yêu cầu" in await guesser.say(f"/taikhoan {code}")
