"""Issue 17, item 6: activities in the standing, `stats --json` and the report's "Hoạt động"
sheet. Rows are written straight through storage here, so the figures are checked apart from
the commands that make them (tests/test_activities.py and others drive those)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import App
from campaign.outreach import ActivityRow, UnitOutreach, department, per_unit
from storage.models import Activity, ActivityUnit, Contribution, Membership, Person, Signup, Unit
from storage.outreach_report import activity_rows
from tests.conftest import CAMPAIGN_2026, Clock, User, import_file, members_of_kt, workbook_of
from usecases.standing import When, campaign_window, compute, stats_json

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


def row(activity: int, unit: int, **figures: int | bool) -> ActivityRow:
    values: dict = dict(signed_up=0, waitlisted=0, attended=0, contributed=0, contributions=0)
    values.update(figures)
    cancelled = bool(values.pop("cancelled", False))
    starts = NOW + timedelta(days=int(values.pop("in_days", -1)))
    return ActivityRow(activity, f"A{activity}", "khac", starts, cancelled, unit, **values)


def test_units_are_summed_from_their_activity_rows() -> None:
    rows = [
        row(1, 10, signed_up=4, attended=3, contributed=500_000, contributions=2),
        row(1, 20, signed_up=2, attended=2),
        row(2, 10, signed_up=5, in_days=3),  # coming: not held, no absence yet
        row(3, 10, signed_up=9, attended=0, cancelled=True),  # cancelled: not counted
    ]
    figures = per_unit(rows, NOW)
    assert figures[10] == UnitOutreach(
        held=1, signed_up=9, attended=3, expected=4, contributed=500_000, contributions=2
    )
    assert figures[10].attendance_rate == 0.75 and figures[10].absent == 1
    assert figures[20].attendance_rate == 1.0
    whole = department(figures.values(), rows, NOW)
    assert (whole.held, whole.signed_up, whole.attended, whole.expected) == (1, 11, 5, 6)
    assert UnitOutreach(0, 0, 0, 0, 0, 0).attendance_rate is None


async def test_rows_per_activity_and_unit_in_a_fixed_number_of_queries(app: App) -> None:
    async with app.db.transaction() as session:
        kt, ns, vp = (Unit(code=c, name=c, kind="department") for c in ("KT", "NS", "VP"))
        lan, minh, hoa = (Person(display_name=n) for n in ("Lan", "Minh", "Hoa"))
        session.add_all([kt, ns, vp, lan, minh, hoa])
        await session.flush()
        session.add_all(
            [
                Membership(person_id=lan.id, unit_id=kt.id, role="member"),
                Membership(person_id=minh.id, unit_id=ns.id, role="member"),
                Membership(person_id=hoa.id, unit_id=kt.id, role="member"),
            ]
        )
        blood = Activity(name="Hiến máu", kind="hien_mau", starts_at=NOW - timedelta(days=2))
        fund = Activity(name="Quỹ", kind="quyen_gop", starts_at=NOW - timedelta(days=1))
        old = Activity(name="Năm ngoái", kind="khac", starts_at=datetime(2025, 5, 1, tzinfo=UTC))
        session.add_all([blood, fund, old])
        await session.flush()
        session.add(ActivityUnit(activity_id=blood.id, unit_id=kt.id))  # fund: everyone
        at = NOW - timedelta(days=3)
        session.add_all(
            [
                Signup(activity_id=blood.id, person_id=lan.id, status="confirmed", queued_at=at,
                       attended_at=NOW - timedelta(days=2)),
                Signup(activity_id=blood.id, person_id=hoa.id, status="confirmed", queued_at=at),
                Signup(activity_id=blood.id, person_id=minh.id, status="waitlist", queued_at=at),
                Contribution(activity_id=fund.id, person_id=lan.id, unit_id=kt.id,
                             amount=1_200_000, confirmed_at=NOW),
                Contribution(activity_id=fund.id, person_id=minh.id, unit_id=ns.id,
                             amount=500_000),  # not confirmed: not counted
                Contribution(activity_id=fund.id, unit_id=ns.id, items="10 kg gạo",
                             confirmed_at=NOW),
            ]
        )  # fmt: skip
        await session.flush()
        ids = (kt.id, ns.id, vp.id)
        with app.db.statements() as statements:
            rows = await activity_rows(session, datetime(2026, 1, 1, tzinfo=UTC), NOW, None)
        assert len(statements) == 5  # activities, units, audiences, sign-ups, contributions
    by = {(r.name, r.unit_id): r for r in rows}
    assert set(by) == {
        ("Hiến máu", ids[0]),  # its audience
        ("Hiến máu", ids[1]),  # Minh of NS is on its waitlist
        ("Quỹ", ids[0]),
        ("Quỹ", ids[1]),
        ("Quỹ", ids[2]),  # meant for everyone
    }
    assert (by[("Hiến máu", ids[0])].signed_up, by[("Hiến máu", ids[0])].attended) == (2, 1)
    assert by[("Hiến máu", ids[1])].waitlisted == 1
    assert (by[("Quỹ", ids[0])].contributed, by[("Quỹ", ids[1])].contributed) == (1_200_000, 0)
    assert by[("Quỹ", ids[1])].contributions == 1  # the rice, confirmed


async def test_standing_stats_and_report_show_activities(
    app: App, admin: User, clock: Clock
) -> None:
    await import_file(app, CAMPAIGN_2026)
    head, _lan = await members_of_kt(app, admin)
    async with app.db.transaction() as session:
        kt = await session.scalar(select(Unit).where(Unit.code == "KT"))
        assert kt is not None
        person = await session.scalar(select(Person).where(Person.display_name == "Lan"))
        assert person is not None
        drive = Activity(
            name="Hiến máu <đợt 1>", kind="hien_mau", starts_at=clock() - timedelta(hours=3)
        )
        session.add(drive)
        await session.flush()
        session.add(Signup(activity_id=drive.id, person_id=person.id, status="confirmed",
                           queued_at=clock() - timedelta(days=1)))  # fmt: skip
        session.add(Contribution(activity_id=drive.id, person_id=person.id, unit_id=kt.id,
                                 amount=300_000, confirmed_at=clock()))  # fmt: skip
    async with app.db.transaction() as session:
        row = await app.services.library.current(session, clock().date())
        assert row is not None
        start, end = campaign_window(row, ZONE)
        assert start.tzinfo is ZONE and start < clock() < end
        results = await compute(session, row, (), None, When(clock(), ZONE))
    figures = stats_json(results)
    units = figures["units"]
    assert isinstance(units, list)
    kt_json = next(u for u in units if u["code"] == "KT")
    assert kt_json["activities"] == {
        "held": 1,
        "signed_up": 1,
        "attended": 0,
        "absent": 1,
        "attendance_rate": 0.0,
        "contributed": 300_000,
        "contributions": 1,
    }
    stats = await head.say("/thongke")
    assert (
        "Hoạt động đoàn thể: 1 đã tổ chức, 1 lượt đăng ký, có mặt 0% (vắng 1), "
        "quyên góp đã xác nhận 300.000 đ"
    ) in stats
    [report] = await head.replies("/baocao")
    sheet = workbook_of(report)["Hoạt động"]
    lines = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert lines[0][:4] == ["Mã", "Đơn vị", "Hoạt động", "Loại"]
    assert lines[1][0] == "KT" and lines[1][2] == "Hiến máu <đợt 1>"
    assert lines[1][4] == (clock() - timedelta(hours=3)).astimezone(ZONE).replace(tzinfo=None)
    assert lines[1][5:] == ["đã diễn ra", 1, 0, 0, 1, 0, 300_000, 1]
