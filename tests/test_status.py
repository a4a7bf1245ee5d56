"""/trangthai and `python -m bot status`: one report, from the database, of each channel (up or
failing with its last error), the outbox still to go and given up, the last delivery, the
scheduler's failures, and the campaign with its next milestone."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.app import App
from bot.delivery import QuotaExceeded
from bot.health import Watched
from bot.scheduler import MAX_ATTEMPTS, Scheduler, backoff
from tests.conftest import (
    CAMPAIGN_2026,
    INVITE_CODE,
    Clock,
    User,
    found,
    import_file,
    run_cli,
)
from tests.fakes.channel import FakeChannel, Transient


async def member_on_telegram(app: App, admin: User) -> User:
    """Lan, a member of Phòng Kế toán, writing from Telegram."""
    await admin.say("/donvi them KT Phòng Kế toán")
    lan = User(app, "501", name="Lan", platform="telegram")
    assert "Chào mừng" in await lan.say(f"/start {found(INVITE_CODE, await admin.say('/moi KT'))}")
    return lan


async def test_the_status_follows_a_channel_down_and_up_again(
    app: App, admin: User, clock: Clock, database_url: str, tmp_path: Path
) -> None:
    await import_file(app, CAMPAIGN_2026)
    telegram = FakeChannel()
    dispatcher = Scheduler(app, senders={"telegram": Watched("telegram", telegram, app.db, clock)})
    lan = await member_on_telegram(app, admin)
    assert "Đã đặt nhắc việc" in await lan.say("/nhacnho 10 phút nữa Gọi Sở")
    before = await admin.say("/trangthai")
    assert "• Chưa kết nối ứng dụng nào" in before  # no channel in this process, nothing sent

    telegram.fail("501", Transient("mạng mất kết nối <timeout>"))
    clock.advance(minutes=10)
    await dispatcher.tick(clock.now)
    down = await admin.say("/trangthai")
    assert "• Telegram: đang lỗi từ 09:10 02/03/2026: mạng mất kết nối <timeout>;" in down
    assert "chờ gửi 1, bỏ sau nhiều lần thử 0" in down
    assert "Phong trào đang diễn ra: Phát động phong trào thi đua" in down
    assert "Mốc sắp tới: hạn đăng ký thi đua, 31/03/2026" in down

    clock.advance(seconds=backoff(0).total_seconds())
    await dispatcher.tick(clock.now)
    assert telegram.to("501") == ["🔔 <b>Nhắc việc</b>: Gọi Sở"]
    up = await admin.say("/trangthai")
    assert "• Telegram: đang gửi được; tin gần nhất lúc 09:10 02/03/2026; chờ gửi 0" in up

    printed = await asyncio.to_thread(
        run_cli, "status", "--json", database_url=database_url, cwd=tmp_path
    )
    [channel] = json.loads(printed.stdout)["channels"]
    assert (channel["platform"], channel["up"], channel["waiting"]) == ("telegram", True, 0)
    assert channel["last_error"] == "mạng mất kết nối <timeout>"


async def test_a_message_given_up_after_retries_is_counted_dead(
    app: App, admin: User, clock: Clock
) -> None:
    telegram = FakeChannel()
    dispatcher = Scheduler(app, senders={"telegram": Watched("telegram", telegram, app.db, clock)})
    lan = await member_on_telegram(app, admin)
    await lan.say("/nhacnho 10 phút nữa Gọi Sở")
    telegram.fail("501", *[Transient("502 Bad Gateway") for _ in range(MAX_ATTEMPTS)])
    clock.advance(minutes=10)
    for attempt in range(MAX_ATTEMPTS):
        await dispatcher.tick(clock.now)
        clock.advance(seconds=backoff(attempt).total_seconds())
    text = await admin.say("/trangthai")
    assert "chờ gửi 0, bỏ sau nhiều lần thử 1" in text
    assert "đang lỗi từ" in text and "502 Bad Gateway" in text


async def test_the_state_is_written_when_it_changes_not_at_every_send(
    app: App, clock: Clock
) -> None:
    watched = Watched("telegram", FakeChannel(), app.db, clock)
    with app.db.statements() as seen:
        for _ in range(5):
            await watched.note(up=True, error=None)
    assert sum("channel_state" in s for s in seen) == 2  # one read, one write: once
    clock.advance(minutes=1)
    with app.db.statements() as seen:
        await watched.note(up=True, error=None)
    assert any("channel_state" in s for s in seen)  # refreshed after a minute


async def test_status_is_for_admins_and_escapes_errors(app: App, admin: User, clock: Clock) -> None:
    assert (await User(app, "minh").say("/trangthai")).startswith("Bạn chưa thuộc đơn vị nào")
    watched = Watched("zalo", FakeChannel(), app.db, clock)
    await watched.note(up=False, error="<b>quota</b> & more")
    replies = await admin.replies("/trangthai")
    assert "&lt;b&gt;quota&lt;/b&gt; &amp; more" in str(replies[0].text)
    clock.advance(days=400)  # no campaign covers the day
    assert "Hôm nay không có phong trào nào đang diễn ra." in await admin.say("/trangthai")


async def test_a_spent_quota_ends_in_a_dead_letter_that_the_status_names(
    app: App, admin: User, clock: Clock
) -> None:
    zalo = FakeChannel()
    dispatcher = Scheduler(app, senders={"zalo": Watched("zalo", zalo, app.db, clock)})
    await admin.say("/donvi them KT Phòng Kế toán")
    lan = User(app, "z-lan", name="Lan", platform="zalo")
    await lan.say(f"/start {found(INVITE_CODE, await admin.say('/moi KT'))}")
    await lan.say("/nhacnho 10 phút nữa Gọi Sở")
    delays = (30.0, 120.0)
    zalo.fail("z-lan", *[QuotaExceeded("Zalo error 429: Quota exceeded", delays)] * 3)
    clock.advance(minutes=10)
    for wait in (*delays, 0.0):
        await dispatcher.tick(clock.now)
        clock.advance(seconds=wait)
    text = await admin.say("/trangthai")
    assert "• Zalo: đang lỗi từ 09:12 02/03/2026: Zalo error 429: Quota exceeded;" in text
    assert "bỏ sau nhiều lần thử 1" in text
    assert "    bỏ 1 tin: Zalo error 429: Quota exceeded (gave up after 3 attempts)" in text
    assert zalo.to("z-lan") == []
