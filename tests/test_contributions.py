"""Contributions (/quyengop): money and gifts in kind, for a unit, confirmed by the organiser;
bad input refused with nothing stored; and the whole journey (a check-in, a contribution
confirmed) on the Telegram fake, the Zalo fake and the console."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App, open_app
from bot.config import load_settings
from storage.models import Activity, AuditLog, Contribution, Signup
from tests.conftest import (
    INVITE_CODE,
    Clock,
    User,
    found,
    members_of_kt,
    row_counts,
    run_cli,
    serving,
)
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo
from tests.outreach_rows import make_activity, person_of, sign_up

START = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)  # Thứ Ba 03/03/2026 08:00 in Hà Nội
FLOOD = "Quyên góp ủng hộ đồng bào lũ lụt"


async def contributions(app: App) -> list[Contribution]:
    async with app.db.transaction() as session:
        return list(await session.scalars(select(Contribution).order_by(Contribution.id)))


async def outreach_officer(app: App, admin: User) -> User:
    vy = User(app, "vy", name="Vy")
    code = found(INVITE_CODE, await admin.say("/moi KT outreach"))
    assert "Chào mừng" in await vy.say(f"/start {code}")
    return vy


async def test_a_member_gives_and_the_organiser_confirms(app: App, admin: User) -> None:
    head, lan = await members_of_kt(app, admin)
    vy = await outreach_officer(app, admin)
    collection = await make_activity(app, name=FLOOD, kind="quyen_gop", starts_at=START,
                                     units=("KT",), organiser=await person_of(app, "vy"))  # fmt: skip

    money = await lan.say(f"/quyengop {collection} 500k")
    assert f"Đã ghi khoản ủng hộ #1: 500.000 đ cho #{collection} “{FLOOD}”" in money
    assert "Đã ghi khoản ủng hộ #2: 10 kg gạo" in await lan.say(f"quyên góp {collection} 10 kg gạo")
    own = await lan.say(f"/quyengop {collection}")
    assert "• #1: 500.000 đ (chờ xác nhận)" in own and "• #2: 10 kg gạo (chờ xác nhận)" in own
    assert "Tổng của đợt: 0 đ đã xác nhận, 500.000 đ chờ xác nhận, 1 khoản hiện vật." in own

    unit = await vy.say(f"/quyengop {collection} don vi KT 1tr2")
    assert "Đã ghi khoản ủng hộ #3 của Phòng Kế toán (KT): 1.200.000 đ" in unit

    ledger = await vy.replies(f"/quyengop ds {collection}")
    assert [o.payload for o in ledger[0].options] == ["donation:1", "donation:2", "donation:3"]
    before = await row_counts(app)
    assert "Chỉ người tổ chức" in await lan.say(f"/quyengop ds {collection}")
    assert "Chỉ trưởng đơn vị hoặc cán bộ vận động" in await lan.say(
        f"/quyengop {collection} don vi KT 5tr"
    )
    assert "không dành cho bạn" in await lan.say(payload="donation:1")
    assert await row_counts(app) == before

    assert "Đã xác nhận khoản ủng hộ #1: 500.000 đ" in await vy.say("1")  # the first button
    assert "đã được xác nhận từ trước" in await head.say("/quyengop xacnhan 1")
    assert "Đã xác nhận khoản ủng hộ #3" in await head.say("/quyengop xacnhan 3")
    listed = await admin.say(f"/quyengop ds {collection}")
    assert "• #1 Lan (KT): 500.000 đ, đã xác nhận" in listed
    assert "• #2 Lan (KT): 10 kg gạo, chờ xác nhận" in listed
    assert "• #3 cả đơn vị (KT): 1.200.000 đ, đã xác nhận" in listed
    assert "• KT: 1.700.000 đ đã xác nhận, 0 đ chờ xác nhận, 1 khoản hiện vật" in listed, listed
    rows = await contributions(app)
    lan_id, vy_id, head_id = [await person_of(app, p) for p in ("lan", "vy", "head")]
    assert [(r.person_id, r.amount, r.items) for r in rows] == [
        (lan_id, 500_000, None), (lan_id, None, "10 kg gạo"), (None, 1_200_000, None)
    ]  # fmt: skip
    assert [r.confirmed_by for r in rows] == [vy_id, None, head_id]
    async with app.db.transaction() as session:
        actions = list(await session.scalars(select(AuditLog.action)))
    assert actions.count("contribution.confirm") == 2 and "contribution.unit" in actions

    await lan.say("/language en")
    assert "Contribution #4 recorded: 2,000,000 VND" in await lan.say(f"/donate {collection} 2tr")


BAD = {
    "-500k": "Số tiền không được âm",
    "0": "Số tiền phải lớn hơn 0",
    "1e9": "Mình chưa đọc được số tiền “1e9”",
    "abc": "Mình chưa đọc được số tiền “abc”",
    "11 tỷ": "vượt mức tối đa 10.000.000.000 đ",
    "500": "Có phải bạn định ghi “500k”?",
    "x" * 5 + " 5 " + "gạo " * 60: "Hiện vật ghi ngắn thôi",
}


async def test_bad_contributions_are_refused_and_nothing_is_stored(app: App, admin: User) -> None:
    head, lan = await members_of_kt(app, admin)
    await admin.say("/donvi them NS Phòng Nhân sự")
    minh = User(app, "minh", name="Minh")
    await minh.say(f"/start {found(INVITE_CODE, await admin.say('/moi NS'))}")
    collection = await make_activity(app, name=FLOOD, kind="quyen_gop", starts_at=START,
                                     units=("KT",))  # fmt: skip
    blood = await make_activity(app, starts_at=START)
    cancelled = await make_activity(app, name="Huỷ", kind="quyen_gop", starts_at=START,
                                    status="cancelled")  # fmt: skip
    before = await row_counts(app)
    for typed, said in BAD.items():
        assert said in await lan.say(f"/quyengop {collection} {typed}"), typed
    assert "Không có hoạt động số 999" in await lan.say("/quyengop 999 500k")
    assert "đã bị huỷ" in await lan.say(f"/quyengop {cancelled} 500k")
    assert "không phải đợt quyên góp" in await lan.say(f"/quyengop {blood} 500k")
    assert "dành cho đơn vị khác" in await minh.say(f"/quyengop {collection} 500k")
    assert "dành cho đơn vị khác" in await minh.say(f"/quyengop {collection}")
    assert "không dành cho Phòng Nhân sự (NS)" in await admin.say(
        f"/quyengop {collection} don vi NS 1tr"
    )
    assert "Không có đơn vị" in await admin.say(f"/quyengop {collection} don vi XX 1tr")
    assert "Không có khoản ủng hộ số 5" in await head.say("/quyengop xacnhan 5")
    assert "Ghi khoản ủng hộ" in await lan.say("/quyengop")
    assert "Ghi khoản ủng hộ" in await lan.say("/quyengop ds")
    assert await row_counts(app) == before


# --- end to end on the platforms ---------------------------------------------------------


@pytest.fixture
async def telegram(database_url: str, clock: Clock) -> AsyncIterator[tuple[App, FakeTelegram]]:
    fake = FakeTelegram().start()
    try:
        async with serving(fake, database_url, clock, admin="1") as (app, _):
            yield app, fake
    finally:
        fake.stop()


async def _activities(app: App, person: int) -> tuple[int, int]:
    """A blood drive for KT, organised by `person`, and a collection for everyone."""
    drive = await make_activity(app, starts_at=START, ends_at=START + timedelta(hours=2),
                                units=("KT",), organiser=person)  # fmt: skip
    collection = await make_activity(app, name=FLOOD, kind="quyen_gop", starts_at=START)
    return drive, collection


async def test_check_in_and_a_confirmed_contribution_on_telegram(
    telegram: tuple[App, FakeTelegram], clock: Clock
) -> None:
    app, fake = telegram
    admin, lan = 1, 2
    await fake.say(admin, "/donvi them KT Phòng Kế toán")
    before = len(fake.sent(admin))
    fake.message(admin, "/moi KT")
    code = found(r"<code>([A-Z0-9]{8})</code>", (await fake.wait_sent(admin, before + 1))[before])
    assert "Chào mừng" in await fake.say(lan, f"/start {code}", name="Lan")
    drive, collection = await _activities(app, await person_of(app, "1", "telegram"))
    await sign_up(app, drive, await person_of(app, "2", "telegram"), at=clock.now)

    opened = await fake.say(admin, f"/diemdanh mo {drive}")
    checkin = found(r"Mã điểm danh: <code>([A-Z0-9]{5})</code>", opened)
    clock.now = START
    assert "Đã điểm danh: bạn có mặt" in await fake.say(lan, f"/diemdanh {checkin}")
    assert "Đã ghi khoản ủng hộ #1: 500.000 đ" in await fake.say(
        lan, f"/quyengop {collection} 500 nghìn"
    )
    await fake.say(admin, f"/quyengop ds {collection}")
    listing = fake.sent(admin)[-1]
    buttons = listing.params["reply_markup"]["inline_keyboard"]
    assert buttons[0][0]["callback_data"] == "donation:1"
    before = len(fake.sent(admin))
    fake.press(admin, listing, "donation:1")
    confirmed = (await fake.wait_sent(admin, before + 1))[before]
    assert "Đã xác nhận khoản ủng hộ #1: 500.000 đ" in confirmed
    async with app.db.transaction() as session:
        signup = await session.scalar(select(Signup))
        contribution = await session.scalar(select(Contribution))
    assert signup is not None and signup.attended_at == START
    assert contribution is not None and contribution.confirmed_at == START


@pytest.fixture
async def zalo(database_url: str, clock: Clock) -> AsyncIterator[tuple[App, FakeZalo]]:
    fake = FakeZalo().start()
    try:
        async with serving(fake, database_url, clock, admin="za-admin") as (app, _):
            yield app, fake
    finally:
        fake.stop()


async def test_check_in_and_a_confirmed_contribution_on_zalo(
    zalo: tuple[App, FakeZalo], clock: Clock
) -> None:
    app, fake = zalo
    admin, lan = "za-admin", "za-lan"
    await fake.say(admin, "/donvi them KT Phòng Kế toán")
    code = found(r": ([A-Z0-9]{8})\n", await fake.say(admin, "/moi KT"))
    assert "Chào mừng" in await fake.say(lan, f"/start {code}", name="Lan")
    drive, collection = await _activities(app, await person_of(app, admin, "zalo"))
    await sign_up(app, drive, await person_of(app, lan, "zalo"), at=clock.now)

    checkin = found(r"Mã điểm danh: ([A-Z0-9]{5})", await fake.say(admin, f"/diemdanh mo {drive}"))
    clock.now = START
    assert "Đã điểm danh: bạn có mặt" in await fake.say(lan, f"điểm danh {checkin}")
    assert "Đã ghi khoản ủng hộ #1: 1.200.000 đ" in await fake.say(
        lan, f"/quyengop {collection} 1tr2"
    )
    listing = await fake.say(admin, f"/quyengop ds {collection}")
    assert "1. Xác nhận #1 (1.200.000 đ)" in listing
    assert "Đã xác nhận khoản ủng hộ #1: 1.200.000 đ" in await fake.say(admin, "1")
    async with app.db.transaction() as session:
        signup = await session.scalar(select(Signup))
        contribution = await session.scalar(select(Contribution))
    assert signup is not None and signup.attended_at == START
    assert contribution is not None and contribution.confirmed_at == START


async def test_check_in_and_a_contribution_on_the_console(
    database_url: str, tmp_path: Path
) -> None:
    env = {"BOT_ADMINS": "console:boss"}
    setup = run_cli("console", "--user", "boss", "--name", "Văn phòng", database_url=database_url,
                    cwd=tmp_path, env=env, stdin="/donvi them KT Phòng Kế toán\n/moi KT\n")  # fmt: skip
    code = found(r"\(KT\): ([A-Z0-9]{8})", setup.stdout)
    joined = run_cli("console", "--user", "lan", "--name", "Lan", database_url=database_url,
                     cwd=tmp_path, stdin=f"/start {code}\n")  # fmt: skip
    assert "Chào mừng" in joined.stdout, joined.stderr
    # The console runs on the wall clock: the drive started ten minutes ago.
    app = await open_app(load_settings(BOT_DATABASE_URL=database_url))
    try:
        now = datetime.now(UTC)
        drive = await make_activity(app, starts_at=now - timedelta(minutes=10),
                                    ends_at=now + timedelta(hours=3))  # fmt: skip
        collection = await make_activity(app, name=FLOOD, kind="quyen_gop", starts_at=now)
        async with app.db.transaction() as session:
            row = await session.get(Activity, drive)
            assert row is not None
            row.checkin_code, row.checkin_from, row.checkin_until = (
                "K7P3M",
                row.starts_at,
                row.ends_at,
            )
    finally:
        await app.close()
    member = run_cli("console", "--user", "lan", database_url=database_url, cwd=tmp_path,
                     stdin=f"/diemdanh k7p3m\n/quyengop {collection} 200.000đ\n")  # fmt: skip
    assert member.returncode == 0, member.stderr
    assert f"Đã điểm danh: bạn có mặt ở #{drive} “Hiến máu nhân đạo”" in member.stdout
    assert "Đã ghi khoản ủng hộ #1: 200.000 đ" in member.stdout
    boss = run_cli("console", "--user", "boss", database_url=database_url, cwd=tmp_path, env=env,
                   stdin=f"/quyengop ds {collection}\n1\n/diemdanh ds {drive}\n")  # fmt: skip
    assert boss.returncode == 0, boss.stderr
    assert "1. Xác nhận #1 (200.000 đ)" in boss.stdout
    assert "Đã xác nhận khoản ủng hộ #1: 200.000 đ" in boss.stdout
    assert "Đăng ký: 1" in boss.stdout and "Có mặt: 1" in boss.stdout
