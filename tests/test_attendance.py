"""Attendance (/diemdanh): the check-in code and its window, walk-ins and the waitlist, the
organiser's list with buttons, the tally; and the per-unit outreach figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import App
from campaign.attendance import (
    Attendee,
    checkin_window,
    is_code,
    new_code,
    tally,
    window_problem,
)
from storage.models import Activity, AuditLog, Signup
from tests.conftest import INVITE_CODE, Clock, User, found, members_of_kt, row_counts
from tests.outreach_rows import make_activity, person_of, sign_up

START = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)  # Thứ Ba 03/03/2026 08:00 in Hà Nội
END = START + timedelta(hours=2)
CODE = r"Mã điểm danh: ([A-Z0-9]{5})"


async def join(app: App, admin: User, user_id: str, name: str, unit: str = "KT") -> User:
    user = User(app, user_id, name=name)
    code = found(INVITE_CODE, await admin.say(f"/moi {unit}"))
    assert "Chào mừng" in await user.say(f"/start {code}")
    return user


async def signups(app: App, activity_id: int) -> dict[int, Signup]:
    async with app.db.transaction() as session:
        rows = await session.scalars(select(Signup).where(Signup.activity_id == activity_id))
        return {row.person_id: row for row in rows}


# --- the pure rules ------------------------------------------------------------------------


def test_the_window_runs_from_half_an_hour_before_to_the_end() -> None:
    assert checkin_window(START, END) == (START - timedelta(minutes=30), END)
    assert checkin_window(START, None) == (
        START - timedelta(minutes=30),
        START + timedelta(hours=4),
    )
    assert checkin_window(START, START - timedelta(hours=1))[1] == START + timedelta(hours=4)
    opens, closes = checkin_window(START, END)
    assert window_problem(opens - timedelta(seconds=1), opens, closes) == "early"
    assert window_problem(opens, opens, closes) is None
    assert window_problem(closes, opens, closes) is None
    assert window_problem(closes + timedelta(seconds=1), opens, closes) == "late"


def test_codes_are_short_unambiguous_and_never_a_number_or_a_word() -> None:
    codes = {new_code() for _ in range(300)}
    assert len(codes) > 290
    for code in codes:
        assert is_code(code) and len(code) == 5
        assert not set(code) & set("01OIL")
    assert is_code("k7p-3m") and not is_code("12345") and not is_code("ABCDE")
    assert not is_code("K7P3") and not is_code("K7P3MM") and not is_code("K0P3M")


def test_the_tally_counts_absences_only_once_it_is_over() -> None:
    rows = [
        Attendee("confirmed", True),
        Attendee("confirmed", True),
        Attendee("confirmed", False),
        Attendee("confirmed", False),
        Attendee("waitlist", True),
        Attendee("waitlist", False),
        Attendee("withdrawn", False),
    ]
    during = tally(rows, ended=False)
    assert (during.signed_up, during.present, during.absent) == (4, 3, None)
    after = tally(rows, ended=True)
    assert (after.signed_up, after.present, after.absent, after.rate) == (4, 3, 2, 50)
    assert tally([], ended=True).rate is None


# --- the chat --------------------------------------------------------------------------------


async def test_members_check_in_with_the_code_during_the_activity(
    app: App, admin: User, clock: Clock
) -> None:
    head, lan = await members_of_kt(app, admin)
    hoa = await join(app, admin, "hoa", "Hoa")
    tuan = await join(app, admin, "tuan", "Tuấn")
    await admin.say("/donvi them NS Phòng Nhân sự")
    minh = await join(app, admin, "minh", "Minh", unit="NS")
    activity = await make_activity(app, starts_at=START, ends_at=END, units=("KT",))
    for person in ("lan", "tuan"):
        await sign_up(app, activity, await person_of(app, person), at=clock.now)
    await sign_up(app, activity, await person_of(app, "hoa"), "waitlist", at=clock.now)

    assert "Chỉ người tổ chức" in await lan.say(f"/diemdanh mo {activity}")
    opened = await head.say(f"/diemdanh mo {activity}")
    code = found(CODE, opened)
    assert "từ 07:30 03/03/2026 đến 10:00 03/03/2026" in opened
    assert code == found(CODE, await head.say(f"/diemdanh mo {activity}"))  # the same code

    before = await row_counts(app)
    early = await lan.say(f"/diemdanh {code}")
    assert "Mã điểm danh chỉ dùng trong giờ hoạt động “Hiến máu nhân đạo”" in early
    assert await row_counts(app) == before

    clock.now = START - timedelta(minutes=10)
    assert "Đã điểm danh: bạn có mặt ở #" in await lan.say(f"/diemdanh {code.lower()}")
    again = await lan.say(f"/diemdanh {code}")
    assert "Bạn đã điểm danh ở “Hiến máu nhân đạo” lúc 07:50 03/03/2026 rồi" in again
    assert "Bạn đang trong danh sách chờ" in await hoa.say(f"điểm danh {code}")
    walk_in = await head.say(f"/diemdanh {activity} {code}")
    assert "Bạn chưa đăng ký trước" in walk_in
    assert "dành cho đơn vị khác" in await minh.say(f"/diemdanh {code}")
    assert "không đúng" in await tuan.say("/diemdanh ZZZ9Z")
    assert "không đúng" in await tuan.say("/diemdanh 12345xyz")
    other = await make_activity(app, name="Trồng cây", starts_at=START, units=("KT",))
    wrong = await tuan.say(f"/diemdanh {other} {code}")
    assert f"không phải mã điểm danh của hoạt động số {other}" in wrong

    rows = await signups(app, activity)
    lan_id, hoa_id, head_id = [await person_of(app, p) for p in ("lan", "hoa", "head")]
    assert rows[lan_id].attended_at == START - timedelta(minutes=10)
    assert rows[hoa_id].status == "waitlist" and rows[hoa_id].attended_at is not None
    assert rows[head_id].status == "confirmed" and rows[head_id].attended_at is not None
    assert await person_of(app, "minh") not in rows

    during = await head.say(f"/diemdanh ds {activity}")
    assert "Đăng ký: 3" in during and "Có mặt: 3" in during and "chưa kết thúc" in during
    clock.now = END + timedelta(minutes=1)
    assert "chỉ dùng trong giờ hoạt động" in await tuan.say(f"/diemdanh {code}")
    after = await head.say(f"/diemdanh ds {activity}")
    assert "Đăng ký: 3" in after and "Có mặt: 3" in after
    assert "Vắng (đã đăng ký mà không đến): 1" in after and "Tỷ lệ có mặt: 67%" in after
    assert "Vắng: Tuấn" in after


async def test_the_organiser_marks_people_from_the_list(
    app: App, admin: User, clock: Clock
) -> None:
    _head, lan = await members_of_kt(app, admin)
    hoa = await join(app, admin, "hoa", "Hoa")
    organiser = await person_of(app, "hoa")
    activity = await make_activity(app, starts_at=START, ends_at=END, organiser=organiser)
    lan_id = await person_of(app, "lan")
    await sign_up(app, activity, lan_id, at=clock.now)
    await sign_up(app, activity, await person_of(app, "head"), at=clock.now)
    clock.now = START

    roll = await hoa.replies(f"/diemdanh {activity}")
    assert [o.payload for o in roll[0].options] == [
        f"checkin:{activity}:{lan_id}",
        f"checkin:{activity}:{await person_of(app, 'head')}",
    ]
    # someone else pressing it (a forwarded message) is refused and nothing is stored
    before = await row_counts(app)
    assert "không dành cho bạn" in await lan.say(payload=f"checkin:{activity}:{lan_id}")
    assert (
        await row_counts(app) == before
        and (await signups(app, activity))[lan_id].attended_at is None
    )

    # on the console the list is numbered: "1" marks Lan
    marked = await hoa.say("1")
    assert "Đã ghi Lan có mặt" in marked and "✅ Lan (đã đăng ký): có mặt lúc 08:00" in marked
    assert (await signups(app, activity))[lan_id].attended_at == START
    assert "Đã ghi Hùng có mặt" in await hoa.say(f"/diemdanh {activity} Hùng")
    assert "đã được điểm danh" in await hoa.say(f"/diemdanh {activity} Hùng")
    assert "Không tìm thấy “Ai đó”" in await hoa.say(f"/diemdanh {activity} Ai đó")
    everyone = await hoa.say(f"/diemdanh {activity}")
    assert "Mọi người đã điểm danh" in everyone
    async with app.db.transaction() as session:
        actions = list(await session.scalars(select(AuditLog.action)))
    assert actions.count("checkin.mark") == 2


async def test_a_cancelled_or_unknown_activity_takes_no_check_in(
    app: App, admin: User, clock: Clock
) -> None:
    head, lan = await members_of_kt(app, admin)
    activity = await make_activity(app, starts_at=START, units=("KT",))
    code = found(CODE, await head.say(f"/diemdanh mo {activity}"))
    async with app.db.transaction() as session:
        row = await session.get(Activity, activity)
        assert row is not None
        row.status = "cancelled"
    clock.now = START
    before = await row_counts(app)
    assert "đã bị huỷ" in await lan.say(f"/diemdanh {code}")
    assert "đã bị huỷ" in await head.say(f"/diemdanh mo {activity}")
    assert "Không có hoạt động số 999" in await head.say("/diemdanh mo 999")
    assert "Điểm danh: gửi" in await lan.say("/diemdanh")
    assert await row_counts(app) == before
    clock.now = START + timedelta(days=1)
    late = await make_activity(app, name="Họp", starts_at=START, ends_at=END)
    assert "đã kết thúc" in await head.say(f"/diemdanh mo {late}")


async def test_english_check_in(app: App, admin: User, clock: Clock) -> None:
    head, lan = await members_of_kt(app, admin)
    await lan.say("/language en")
    activity = await make_activity(app, starts_at=START, ends_at=END)
    code = found(CODE, await head.say(f"/diemdanh mo {activity}"))
    clock.now = START
    assert "Checked in: you are present at" in await lan.say(f"/checkin {code}")


# --- the figures per unit ----------------------------------------------------------------
