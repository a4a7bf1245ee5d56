"""Buttons checked against who presses them, reports kept out of groups, members named
exactly (issue 13, "Codes and buttons")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import App
from bot.scheduler import Scheduler
from storage.models import Assessment, Person, Pledge, Reminder
from tests.conftest import INVITE_CODE, Clock, User, found, members_of_kt, row_counts
from tests.fakes.channel import FakeChannel

MONDAY_9 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)
NOT_FOR_YOU = "Nút này không dành cho bạn, mình không làm gì cả."
STALE = "Lựa chọn này không còn hiệu lực. Bạn gõ lại lệnh nhé."


async def join(app: App, admin: User, user_id: str, name: str, unit: str = "KT") -> User:
    code = found(INVITE_CODE, await admin.say(f"/moi {unit}"))
    user = User(app, user_id, name=name)
    await user.say(f"/start {code}")
    return user


async def test_a_snooze_button_of_someone_elses_reminder_copies_nothing(
    app: App, admin: User, clock: Clock
) -> None:
    clock.now = MONDAY_9
    head, lan = await members_of_kt(app, admin)
    channel = FakeChannel()
    await lan.say("/nhacnho mai 8h Khám sức khoẻ riêng")
    await Scheduler(app, senders={"console": channel}).tick(MONDAY_9 + timedelta(hours=23))
    assert channel.to("lan")
    before = await row_counts(app)

    assert await head.say(payload="snooze:1") == NOT_FOR_YOU
    assert await row_counts(app) == before
    assert "Khám sức khoẻ" not in await head.say("/lichnhac")

    clock.now = MONDAY_9 + timedelta(hours=23)
    assert (await lan.say(payload="snooze:1")).startswith("Được, mình sẽ nhắc lại")
    async with app.db.transaction() as session:
        assert len((await session.scalars(select(Reminder))).all()) == 2


async def test_a_dialog_takes_only_the_buttons_it_showed(app: App, admin: User) -> None:
    _head, lan = await members_of_kt(app, admin)
    await lan.say("/dangky")
    await lan.say(payload="pledge:title:ldtt")
    await lan.say("Hoàn thành hồ sơ đúng hạn")
    asked = await lan.say(payload="pledge:done")
    assert "Không hoàn thành" not in asked  # the ratings offered are the three aimed for
    assert await lan.say(payload="pledge:rating:failed") == STALE
    assert "Hoàn thành tốt" in await lan.say(payload="pledge:rating:good")


async def test_reports_ratings_and_laggards_stay_out_of_groups(app: App, admin: User) -> None:
    head, _lan = await members_of_kt(app, admin)
    group = User(app, "head", name="Hùng", chat_id="g-kt", group=True)
    await group.say("/lienket KT")
    before = await row_counts(app)

    replies = await group.replies("/baocao")
    assert [r.file for r in replies] == [None]
    assert replies[0].text == (
        "Lệnh /baocao có dữ liệu cá nhân nên chỉ dùng trong chat riêng với mình. "
        "Bạn nhắn riêng cho mình nhé."
    )
    assert "chỉ dùng trong chat riêng" in await group.say("/danhgia @lan tot")
    assert await row_counts(app) == before
    in_group = await group.say("/thongke")
    assert "Lan" not in in_group
    assert "Lan" in await head.say("/thongke")  # in private the lead sees who is behind
    assert (await head.replies("/baocao"))[-1].file is not None


async def test_a_member_is_named_exactly_never_by_a_part_of_a_name(app: App, admin: User) -> None:
    head, _lan = await members_of_kt(app, admin)
    await join(app, admin, "lanh", "Nguyễn Văn Lanh")

    assert await head.say("/danhgia Văn Lanh tot") == (
        'Không tìm thấy thành viên "Văn" trong đơn vị của bạn.'
    )
    assert 'Không tìm thấy thành viên "Nguyễn"' in await head.say("/danhgia Nguyễn tot")
    assert "Nguyễn Văn Lanh" in await head.say("/danhgia nguyen van lanh tot")
    assert "Không tìm thấy" in await head.say("/dangky @Van LĐTT; Một việc")
    assert "Nguyễn Văn Lanh" in await head.say("/dangky @Nguyễn Văn Lanh LĐTT; Một việc")
    async with app.db.transaction() as session:
        lanh = await session.scalar(select(Person).where(Person.display_name.like("%Lanh")))
        assert lanh is not None
        rated = await session.scalar(select(Assessment).where(Assessment.person_id == lanh.id))
        assert rated is not None and rated.final_rating == "good"
        assert len((await session.scalars(select(Pledge))).all()) == 1


async def test_two_people_of_one_name_are_told_apart_by_their_units(app: App, admin: User) -> None:
    await members_of_kt(app, admin)
    await admin.say("/donvi them VP Văn phòng")
    await join(app, admin, "minh1", "Trần Minh")
    await join(app, admin, "minh2", "Trần Minh", unit="VP")
    assert await admin.say("/danhgia Trần Minh tot") == (
        'Có nhiều người khớp với "Trần Minh": Trần Minh (KT); Trần Minh (VP). '
        "Bạn ghi rõ hơn (mã tài khoản hoặc họ tên đầy đủ)."
    )
    assert "Trần Minh" in await admin.say("/danhgia @minh2 tot")
