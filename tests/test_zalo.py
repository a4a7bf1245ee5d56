"""The real Zalo channel (httpx) against the fake Zalo Bot API server (tests/fakes)."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import signal
import subprocess
import sys
import time
import unicodedata
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.app import App, open_app
from bot.channels.zalo import ZaloChannel, read_update, strip_mention
from bot.config import load_settings
from bot.delivery import ChatGone, Permanent, QuotaExceeded, RetryLater, Transient
from bot.errors import UserError
from bot.scheduler import Scheduler
from bot.web import Hook, WebServer
from handlers.messages import Attachment, Option, Reply, Safe
from storage import outbox
from storage.models import Chat, Outbox, Pledge
from tests.conftest import CAMPAIGN_2026, Clock, bot_environment, found, import_file, run_cli
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import MAX_TEXT, FakeZalo

ADMIN, LAN, HEAD = "za-admin", "za-lan", "za-head"
GROUP = "zg-ketoan"
MONDAY_9 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # Monday 09/03/2026 09:00 in Hà Nội
PUBLIC = "https://thidua.example.gov.vn/bot"


@pytest.fixture
async def fake() -> AsyncIterator[FakeZalo]:
    server = FakeZalo().start()
    yield server
    server.stop()


@pytest.fixture
async def zapp(database_url: str) -> AsyncIterator[App]:
    settings = load_settings(BOT_DATABASE_URL=database_url, BOT_ADMINS=f"zalo:{ADMIN}")
    app = await open_app(settings, clock=Clock(MONDAY_9))
    await import_file(app, CAMPAIGN_2026)
    yield app
    await app.close()


@pytest.fixture
async def bot(zapp: App, fake: FakeZalo) -> AsyncIterator[ZaloChannel]:
    """The bot as Zalo's reference has it today: getMe says it cannot join groups."""
    channel = ZaloChannel(
        zapp, fake.token, base_url=fake.base_url, public_url=PUBLIC, poll_timeout=1, idle_gap=0.05
    )
    await channel.start()
    yield channel
    await channel.stop()


@pytest.fixture
async def group_bot(zapp: App, fake: FakeZalo) -> AsyncIterator[ZaloChannel]:
    """The bot on a Zalo that lets it join groups (getMe: can_join_groups true), with a
    display name besides its account name."""
    fake.can_join_groups = True
    fake.display_name = "Bot Thi Đua"
    channel = ZaloChannel(
        zapp, fake.token, base_url=fake.base_url, public_url=PUBLIC, poll_timeout=1, idle_gap=0.05
    )
    await channel.start()
    yield channel
    await channel.stop()


async def join(fake: FakeZalo, user: str, role: str = "", name: str = "") -> None:
    invite = await fake.say(ADMIN, f"/moi KT {role}".strip())
    code = found(r": ([A-Z0-9]{8})\n", invite)
    assert "Chào mừng" in await fake.say(user, f"/start {code}", name=name)


async def test_join_pledge_by_numbers_and_ask_in_plain_text(
    bot: ZaloChannel, fake: FakeZalo, zapp: App
) -> None:
    assert fake.sent(method="deleteWebhook")  # polling needs no webhook
    assert "Đã thêm đơn vị Phòng Kế toán (KT)" in await fake.say(
        ADMIN, "/donvi them KT Phòng Kế toán"
    )
    invite = await fake.say(ADMIN, "/moi KT")
    assert "t.me" not in invite  # Zalo has no deep links: the code is typed after /start
    code = re.search(r"Mã mời vào Phòng Kế toán \(KT\): ([A-Z0-9]{8})\n", invite)
    assert code, invite
    welcome = await fake.say(LAN, f"/start {code.group(1)}", name="Lan")
    assert welcome.startswith("Chào mừng bạn đến với Phòng Kế toán (KT)!")

    question = await fake.say(LAN, "/dangky")
    assert "1. Lao động tiên tiến (LĐTT)" in question
    assert question.rstrip().endswith("(Trả lời bằng số thứ tự, ví dụ: 1)")
    assert "Danh hiệu: Lao động tiên tiến." in await fake.say(LAN, "1")
    assert (await fake.say(LAN, "Hoàn thành 100% hồ sơ đúng hạn")).startswith("Đã ghi cam kết 1.")
    assert "Bạn phấn đấu xếp loại ở mức nào?" in await fake.say(LAN, "xong")
    confirm = await fake.say(LAN, "2")
    assert "Mức xếp loại phấn đấu: Hoàn thành tốt nhiệm vụ" in confirm
    assert "Đã lưu đăng ký thi đua năm 2026" in await fake.say(LAN, "1")
    async with zapp.db.transaction() as session:
        pledge = await session.scalar(select(Pledge))
        assert pledge is not None and pledge.title == "ldtt"

    answer = await fake.say(LAN, "han chot la khi nao")
    assert "đến hết ngày 31/12/2026" in answer and "Mục III.1" in answer
    everything = fake.texts(LAN) + fake.texts(ADMIN)
    assert not [t for t in everything if re.search(r"</?(b|i|code)>|&amp;|&lt;", t)], everything
    assert all(len(t) <= MAX_TEXT for t in everything)


async def test_a_replayed_update_is_answered_once(bot: ZaloChannel, fake: FakeZalo) -> None:
    fake.replay_all = True  # Zalo hands each update out twice
    fake.message(LAN, "/trogiup")
    fake.message(LAN, "/ngonngu")
    await fake.drained()
    texts = await fake.wait_sent(LAN, 2)
    assert texts[0].startswith("Bạn chưa thuộc đơn vị nào.")
    assert texts[1] == ("Ngôn ngữ hiện tại: tiếng Việt. Đổi bằng /ngonngu vi hoặc /ngonngu en.")
    fake.replay_all = False
    assert "Mình chưa nhận được nội dung nào" not in await fake.say(LAN, "/trogiup")
    assert len(fake.texts(LAN)) == 3  # two answers, not four, then the third question's


async def group_idle(channel: ZaloChannel) -> None:
    """Every update the channel took is handled (what it would send is sent)."""
    while channel._tasks:
        await asyncio.wait(set(channel._tasks))


def _polled_past(fake: FakeZalo, count: int) -> Callable[[], bool]:
    """Whether the bot has polled the fake more than `count` times."""
    return lambda: len(fake.polls) > count


async def test_a_replay_after_a_restart_is_still_answered_once(zapp: App, fake: FakeZalo) -> None:
    """Memory drops quick replays; the database catches those that outlive the process."""
    update = fake.update(LAN, "/trogiup", message_id="same-id")
    fake.poll_wait = 0.0  # no long poll left open by the stopped bot to swallow the replay
    for _ in range(2):  # the bot, then the bot restarted (nothing in memory)
        channel = ZaloChannel(zapp, fake.token, base_url=fake.base_url, poll_timeout=1,
                              idle_gap=0.05)  # fmt: skip
        await channel.start()
        fake.push(json.loads(json.dumps(update)))
        await fake.drained()
        polls = len(fake.polls)
        await fake.wait_for(_polled_past(fake, polls))  # the bot took the update
        await channel.stop()  # and waits for its answer
    assert len(fake.texts(LAN)) == 1


async def test_long_answers_are_split_under_2000_characters(bot: ZaloChannel) -> None:
    paragraph = "Một đoạn văn dài về phong trào thi đua. " * 20  # about 800 characters
    reply = Reply(Safe("\n\n".join([paragraph.strip()] * 6)), options=(Option("Xong", "x:1"),))
    pieces = await bot.render(reply)
    assert len(pieces) == 3  # two paragraphs fit in a message, three do not
    assert all(len(p) <= MAX_TEXT and p.count("\n\n") >= 1 for p in pieces)
    assert pieces[0] == paragraph.strip() + "\n\n" + paragraph.strip()
    assert pieces[-1].endswith("1. Xong\n(Trả lời bằng số thứ tự, ví dụ: 1)")


NON_TEXT = "Mình chỉ đọc được tin nhắn chữ. Gõ /trogiup để xem những gì mình làm được."


async def test_pictures_and_stickers_are_explained_once_a_day_in_private_only(
    zapp: App, group_bot: ZaloChannel, fake: FakeZalo
) -> None:
    image = fake.update(LAN, None, event="message.image.received")
    fake.push(image)
    fake.push(json.loads(json.dumps(image)))  # the same image handed out again
    fake.message(LAN, None, event="message.sticker.received")  # another message, same day
    fake.message(LAN, None, event="message.unsupported.received")
    fake.message(LAN, "", event=None)  # no event_name, an empty text: nothing to read either
    fake.message(LAN, None, chat_id=GROUP, group=True, event="message.sticker.received")
    fake.message(LAN, "/trogiup")  # answered after everything before it, in order
    texts = await fake.wait_sent(LAN, 2)
    assert texts[0] == NON_TEXT and texts[1].startswith("Bạn chưa thuộc đơn vị nào.")
    assert fake.texts(GROUP) == []  # a sticker in a group is not for the bot
    clock = zapp.services.clock
    assert isinstance(clock, Clock)
    clock.advance(days=1)  # the next day, the next sticker is explained again, once
    fake.message(LAN, None, event="message.sticker.received")
    fake.message(LAN, None, event="message.sticker.received")
    fake.message(LAN, "/ngonngu")
    texts = await fake.wait_sent(LAN, 4)
    assert texts[2] == NON_TEXT and texts[3].startswith("Ngôn ngữ hiện tại")
    await fake.drained()
    assert len(fake.texts(LAN)) == 4 and fake.texts(GROUP) == []


async def test_the_text_is_read_whatever_the_event_name_says(
    bot: ZaloChannel, fake: FakeZalo
) -> None:
    """The reference's event_name is required, yet the text is what counts: an update without
    it, or with another event's name, is answered by its text."""
    assert (await fake.say(LAN, "/ngonngu", event=None)).startswith("Ngôn ngữ hiện tại")
    assert (await fake.say(LAN, "/trogiup", event="message.unsupported.received")).startswith(
        "Bạn chưa thuộc đơn vị nào."
    )
    assert NON_TEXT not in fake.texts(LAN)


NO_GROUPS = (
    "Bot Zalo chưa tham gia được nhóm (Zalo chưa mở tính năng này cho bot), nên mình không trả "
    "lời trong nhóm. Bạn nhắn riêng cho mình nhé: nhắc việc và thông báo của đơn vị đến từng "
    "người qua tin nhắn riêng."
)


async def test_a_group_message_while_zalo_has_no_groups_is_told_once_a_day(
    zapp: App, bot: ZaloChannel, fake: FakeZalo, caplog: pytest.LogCaptureFixture
) -> None:
    """getMe says can_join_groups false (the reference's sample): groups stay off. A group
    message that comes anyway is not handled (the group is not linked), the group hears why
    once a day, the log says it once, and private chats go on."""
    caplog.set_level(logging.WARNING)
    assert bot.names == ("bot.thidua",) and bot.groups is False  # the documented getMe
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    await join(fake, HEAD, role="lead", name="Hùng")
    for text in ("@bot.thidua /lienket KT", "@bot.thidua /lienket KT", "@bot.thidua hạn chót?"):
        fake.message(HEAD, text, chat_id=GROUP, group=True)
    fake.message(HEAD, None, chat_id=GROUP, group=True, event="message.sticker.received")
    await fake.wait_sent(GROUP, 1)
    await fake.drained()
    assert (await fake.say(HEAD, "/ngonngu")).startswith("Ngôn ngữ hiện tại")  # private: on
    await group_idle(bot)
    assert fake.texts(GROUP) == [NO_GROUPS]
    async with zapp.db.transaction() as session:
        assert list(await session.scalars(select(Chat).where(Chat.kind == "group"))) == []
    clock = zapp.services.clock
    assert isinstance(clock, Clock)
    clock.advance(days=1)
    fake.message(HEAD, "@bot.thidua /lienket KT", chat_id=GROUP, group=True)
    await fake.wait_sent(GROUP, 2)
    assert fake.texts(GROUP) == [NO_GROUPS, NO_GROUPS]
    assert caplog.text.count("getMe says the bot cannot join groups") == 1


async def test_groups_follow_getme_and_mentions_use_its_names(
    zapp: App, group_bot: ZaloChannel, fake: FakeZalo
) -> None:
    """With can_join_groups true, a group message is handled, and a mention of either of
    getMe's names (account_name, display_name) is taken off, in any case or form."""
    assert group_bot.groups is True
    assert group_bot.names == ("bot.thidua", "Bot Thi Đua")
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    await join(fake, HEAD, role="lead", name="Hùng")
    fake.message(HEAD, "@Bot.ThiDua /lienket KT", chat_id=GROUP, group=True)
    assert "Đã liên kết" in (await fake.wait_sent(GROUP, 1))[0]
    fake.message(HEAD, unicodedata.normalize("NFD", "@bot thi đua hạn chót là khi nào"),
                 chat_id=GROUP, group=True)  # fmt: skip
    assert "31/12/2026" in (await fake.wait_sent(GROUP, 2))[1]


async def test_the_report_is_offered_as_a_link_that_expires(
    zapp: App, bot: ZaloChannel, fake: FakeZalo
) -> None:
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    web = WebServer("127.0.0.1", 0)
    web.downloads(zapp.db, zapp.services.clock)
    await web.start()
    try:
        report = await fake.say(ADMIN, "/baocao")
        link = re.search(rf"{re.escape(PUBLIC)}(/files/\S+)", report)
        assert link, report
        assert "bao-cao-thi-dua-2026.xlsx" in report
        assert "Liên kết dùng được đến 09:00 10/03/2026." in report
        local = f"http://127.0.0.1:{web.port}{link.group(1)}"
        async with httpx.AsyncClient() as client:
            got = await client.get(local)
            assert got.status_code == 200 and got.content[:2] == b"PK"
            assert "attachment" in got.headers["content-disposition"]
            wrong = await client.get(local.replace("/files/", "/files/x"))
            assert wrong.status_code == 404
            clock = zapp.services.clock
            assert isinstance(clock, Clock)
            clock.advance(hours=25)
            expired = await client.get(local)
            assert expired.status_code == 404 and "hết hạn" in expired.text
    finally:
        await web.stop()


async def test_without_a_public_url_the_file_is_explained(zapp: App, fake: FakeZalo) -> None:
    channel = ZaloChannel(zapp, fake.token, base_url=fake.base_url)
    reply = Reply(Safe("Báo cáo"), file=Attachment("bao-cao.xlsx", b"PK" + b"0" * 5000))
    (text,) = await channel.render(reply)
    await channel.stop()
    assert text.startswith("Báo cáo\n\n📎 Tệp bao-cao.xlsx (5 KB) đã sẵn sàng")
    assert "BOT_PUBLIC_URL" in text


async def test_a_reminder_reaches_a_linked_zalo_group(
    zapp: App, group_bot: ZaloChannel, fake: FakeZalo
) -> None:
    """Where getMe says the bot can join groups; the mention typed as phones may send it
    (decomposed accents, a non-breaking space, another case) is taken off."""
    bot = group_bot
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    await join(fake, HEAD, role="lead", name="Hùng")
    mention = unicodedata.normalize("NFD", "@bot\u00a0THI Đua")
    fake.message(HEAD, f"{mention} /lienket KT", chat_id=GROUP, group=True)
    linked = (await fake.wait_sent(GROUP, 1))[0]
    assert "Đã liên kết" in linked and "Phòng Kế toán" in linked
    fake.message(HEAD, "@Bot Thi Đua /nhacnho 30 phút nữa Chuẩn bị họp giao ban", chat_id=GROUP,
                 group=True)  # fmt: skip
    assert "Đã đặt nhắc việc #1" in (await fake.wait_sent(GROUP, 2))[1]
    scheduler = Scheduler(zapp, senders={"zalo": bot})
    await scheduler.tick(MONDAY_9 + timedelta(minutes=30))
    assert fake.texts(GROUP)[-1] == "🔔 Nhắc việc: Chuẩn bị họp giao ban"
    await scheduler.tick(MONDAY_9 + timedelta(minutes=31))
    assert len(fake.texts(GROUP)) == 3  # once
    async with zapp.db.transaction() as session:
        (row,) = await outbox.rows(session)
        assert row.status == "sent" and (row.sent_message_id or "").startswith("s")


async def test_a_private_reminder_is_snoozed_by_typing_its_number(
    zapp: App, bot: ZaloChannel, fake: FakeZalo
) -> None:
    assert "Đã đặt nhắc việc #1 cho bạn" in await fake.say(
        ADMIN, "/nhacnho 30 phút nữa Gọi Sở Nội vụ"
    )
    scheduler = Scheduler(zapp, senders={"zalo": bot})
    await scheduler.tick(MONDAY_9 + timedelta(minutes=30))
    pushed = fake.texts(ADMIN)[-1]
    assert pushed == "🔔 Nhắc việc: Gọi Sở Nội vụ\n\n1. Nhắc lại sau 1 giờ"
    clock = zapp.services.clock
    assert isinstance(clock, Clock)
    clock.now = MONDAY_9 + timedelta(minutes=31)
    assert (await fake.say(ADMIN, "1")).startswith("Được, mình sẽ nhắc lại lúc 10:31 09/03/2026")
    assert "Gọi Sở Nội vụ" not in await fake.say(ADMIN, "1")  # the offer was used: "1" is new
    await scheduler.tick(MONDAY_9 + timedelta(minutes=91))
    assert fake.texts(ADMIN)[-1].startswith("🔔 Nhắc việc: Gọi Sở Nội vụ")


@pytest.mark.parametrize("in_body", [False, True], ids=["http-status", "body-only"])
async def test_each_documented_zalo_error_has_its_outcome(
    zapp: App, fake: FakeZalo, in_body: bool
) -> None:
    """The reference's error table, not Telegram's: 403 is Zalo's internal error (retried,
    the chat stays), 404 the chat not found, 429 a spent quota with no retry_after. Whether
    Zalo sets the HTTP status or says the code only in the body, the outcome is the same."""
    fake.errors_in_body = in_body
    channel = ZaloChannel(zapp, fake.token, base_url=fake.base_url)
    await channel.connect()
    expected: list[tuple[int, type[Exception]]] = [
        (400, Permanent), (401, Transient), (403, Transient), (404, ChatGone),
        (408, Transient), (429, QuotaExceeded), (502, Transient),
    ]  # fmt: skip
    try:
        for code, outcome in expected:
            fake.fail("sendMessage", code)
            with pytest.raises(outcome) as raised:
                await channel.send("c1", Reply(Safe("Họp")), push=True)
            assert str(code) in str(raised.value)
            if isinstance(raised.value, QuotaExceeded):
                assert raised.value.delays == (30.0, 120.0, 600.0, 1800.0, 3600.0)
        fake.fail("sendMessage", 429, retry_after=7)  # not in the reference; honoured if given
        with pytest.raises(RetryLater) as slow:
            await channel.send("c1", Reply(Safe("Họp")), push=True)
        assert slow.value.seconds == 7
        assert await channel.send(
            "c1", Reply(Safe("<b>Họp</b> &amp; bàn"), (Option("Hoãn", "s:1"),)), push=True
        )
        assert fake.texts("c1") == ["Họp & bàn\n\n1. Hoãn"]
    finally:
        await channel.stop()


async def _zalo_rows(zapp: App, *chat_ids: str) -> None:
    """A push due at MONDAY_9 for each of these Zalo chats (private chats, as today)."""
    async with zapp.db.transaction() as session:
        for chat_id in chat_ids:
            session.add(Chat(platform="zalo", platform_chat_id=chat_id, kind="private"))
        await session.flush()
        for row in await session.scalars(select(Chat).where(Chat.platform == "zalo")):
            await outbox.enqueue(session, chat_id=row.id, kind="announce", text="Họp",
                                 dedupe_key=f"z:{row.platform_chat_id}", due_at=MONDAY_9)  # fmt: skip


async def _states(zapp: App) -> tuple[dict[str, bool], dict[str, tuple[str, int, datetime]]]:
    """Each Zalo chat's active flag, and each row's (status, attempts, next attempt)."""
    async with zapp.db.transaction() as session:
        active = {c.platform_chat_id: c.active for c in await session.scalars(select(Chat))}
        rows = {
            r.dedupe_key: (r.status, r.attempts, r.next_attempt_at)
            for r in await session.scalars(select(Outbox))
        }
    return active, rows


async def test_the_dispatcher_follows_zalo_errors(zapp: App, fake: FakeZalo) -> None:
    """A chat not found (404) is gone; Zalo's 403 (its internal error) is retried with
    back-off and the chat stays; a spent quota (429) waits 30 s, not 5."""
    channel = ZaloChannel(zapp, fake.token, base_url=fake.base_url)
    await channel.connect()
    await _zalo_rows(zapp, "gone", "busy", "spent")
    fake.gone_chats.add("gone")
    fake.fail("sendMessage", 403, chat="busy")
    fake.fail("sendMessage", 429, chat="spent")
    scheduler = Scheduler(zapp, senders={"zalo": channel})
    try:
        await scheduler.tick(MONDAY_9)
        active, rows = await _states(zapp)
        assert active == {"gone": False, "busy": True, "spent": True}
        assert rows["z:gone"][:2] == ("failed", 0)
        assert rows["z:busy"] == ("pending", 1, MONDAY_9 + timedelta(seconds=5))
        assert rows["z:spent"] == ("pending", 1, MONDAY_9 + timedelta(seconds=30))
        await scheduler.tick(MONDAY_9 + timedelta(seconds=5))
        assert fake.texts("busy") == ["Họp"] and fake.texts("spent") == []
        await scheduler.tick(MONDAY_9 + timedelta(seconds=30))
    finally:
        await channel.stop()
    _, rows = await _states(zapp)
    assert {key: state[0] for key, state in rows.items()} == {
        "z:gone": "failed", "z:busy": "sent", "z:spent": "sent",
    }  # fmt: skip
    assert fake.texts("spent") == ["Họp"] and fake.texts("gone") == []


async def test_a_quota_storm_ends_in_a_dead_letter_that_admins_can_count(
    zapp: App, fake: FakeZalo, caplog: pytest.LogCaptureFixture
) -> None:
    """Zalo keeps answering 429 with no retry_after: the push waits 30 s, 2 min, 10 min, 30
    min, 1 h (not every 5 s for ever), is given up at the sixth refusal with its reason, and
    is counted among the dead letters; the quota is logged once, not at every refusal."""
    caplog.set_level(logging.WARNING)
    channel = ZaloChannel(zapp, fake.token, base_url=fake.base_url)
    await channel.connect()
    await _zalo_rows(zapp, "c9")
    for _ in range(10):
        fake.fail("sendMessage", 429, chat="c9")
    scheduler = Scheduler(zapp, senders={"zalo": channel})
    waits: list[float] = []
    now = MONDAY_9
    try:
        for _ in range(6):
            await scheduler.tick(now - timedelta(seconds=1))  # not due yet: nothing is sent
            await scheduler.tick(now)
            _, rows = await _states(zapp)
            status, _, following = rows["z:c9"]
            if status != "pending":
                break
            waits.append((following - now).total_seconds())
            now = following
    finally:
        await channel.stop()
    assert waits == [30, 120, 600, 1800, 3600]
    assert status == "dead"
    assert len(fake.sent("c9")) == 6  # six refusals, no more calls
    reason = "Zalo error 429: Quota exceeded (gave up after 6 attempts)"
    async with zapp.db.transaction() as session:
        assert await outbox.dead_letters(session) == [("zalo", reason, 1)]
    assert caplog.text.count("Zalo's quota is exceeded (429)") == 1


async def test_a_refused_token_while_sending_is_retried_and_logged_once(
    zapp: App, fake: FakeZalo, caplog: pytest.LogCaptureFixture
) -> None:
    """A token refused after start (401) keeps pushes with back-off, like any transient
    error, and says so once, not once a message."""
    caplog.set_level(logging.WARNING)
    channel = ZaloChannel(zapp, fake.token, base_url=fake.base_url)
    await channel.connect()
    await _zalo_rows(zapp, "t1", "t2", "t3")
    for chat_id in ("t1", "t2", "t3"):
        fake.fail("sendMessage", 401, chat=chat_id)
    scheduler = Scheduler(zapp, senders={"zalo": channel})
    try:
        await scheduler.tick(MONDAY_9)
        _, rows = await _states(zapp)
        assert {state[:2] for state in rows.values()} == {("pending", 1)}
        await scheduler.tick(MONDAY_9 + timedelta(seconds=5))
    finally:
        await channel.stop()
    _, rows = await _states(zapp)
    assert {state[0] for state in rows.values()} == {"sent"}
    assert caplog.text.count("Zalo refuses the bot's token (401 Unauthorized)") == 1


async def test_start_tells_a_bad_token_from_a_zalo_failure(zapp: App, fake: FakeZalo) -> None:
    """At start 401 is the token; 403 is Zalo's internal error, not a refused token; and a
    webhook address Zalo does not take (not HTTPS) is said in one line too."""
    channel = ZaloChannel(zapp, fake.token, base_url=fake.base_url)
    try:
        fake.fail("getMe", 401)
        with pytest.raises(UserError) as refused:
            await channel.connect()
        assert (
            str(refused.value)
            == "Token Zalo không hợp lệ (ZALO_BOT_TOKEN): Zalo từ chối token này."
        )
        fake.fail("getMe", 403)
        with pytest.raises(UserError) as failing:
            await channel.connect()
        assert str(failing.value) == (
            "Zalo đang báo lỗi (403 Internal server error). Thử khởi động lại sau ít phút."
        )
        with pytest.raises(UserError) as webhook:
            await channel.start(Hook("http://thidua.example.gov.vn/hook/zalo", "s3cret-zalo"))
        assert str(webhook.value).startswith(
            "Zalo không nhận địa chỉ webhook http://thidua.example.gov.vn/hook/zalo (400 Bad request"
        )
        assert fake.webhook is None
    finally:
        await channel.stop()


async def test_polling_waits_a_second_after_nothing_and_backs_off_on_errors(
    fake: FakeZalo, tmp_path: Path
) -> None:
    """Timing of the HTTP calls only: one database is enough."""
    zapp = await open_app(load_settings(BOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/z.db"))
    import asyncio

    pauses: list[float] = []

    async def sleep(delay: float) -> None:  # what the channel asks for, not what time did
        pauses.append(round(delay, 6))
        await asyncio.sleep(0.01)

    fake.poll_wait = 0.0  # the server answers 408 at once
    channel = ZaloChannel(zapp, fake.token, base_url=fake.base_url, poll_timeout=1, sleep=sleep)
    await channel.start()
    await fake.wait_for(lambda: len(fake.polls) >= 3, timeout=15)
    await channel.stop()
    empty = [p for p in fake.polls if p.empty]
    assert len(empty) >= 3 and pauses[:2] == [1.0, 1.0], pauses  # a second after nothing

    # A server of its own: the first channel's last call, cancelled on our side, may still
    # reach the first server after stop() and would take one of the failures.
    failing = FakeZalo().start()
    pauses.clear()
    for _ in range(3):
        failing.fail("getUpdates", 502)
    channel = ZaloChannel(zapp, failing.token, base_url=failing.base_url, poll_timeout=1,
                          idle_gap=0.05, sleep=sleep)  # fmt: skip
    try:
        await channel.start()
        await failing.wait_for(lambda: len(failing.polls) >= 4, timeout=15)
        await channel.stop()
    finally:
        failing.stop()
        await zapp.close()
    assert pauses[:3] == [0.1, 0.2, 0.4], pauses  # doubling after each failure


async def test_webhook_takes_both_body_shapes_and_refuses_a_wrong_secret(
    zapp: App, fake: FakeZalo
) -> None:
    channel = ZaloChannel(zapp, fake.token, base_url=fake.base_url)
    web = WebServer("127.0.0.1", 0)
    web.webhook("/zalo", channel.secret_header, "s3cret-zalo", channel.feed)
    await web.start()
    await channel.start(Hook("https://thidua.example.gov.vn/hook/zalo", "s3cret-zalo"))
    try:
        assert fake.webhook == {
            "url": "https://thidua.example.gov.vn/hook/zalo",
            "secret_token": "s3cret-zalo",
        }
        url = f"http://127.0.0.1:{web.port}/zalo"
        plain = fake.update(LAN, "/trogiup", message_id="w1")
        wrapped = {"ok": True, "result": fake.update(LAN, "/ngonngu", message_id="w2")}
        async with httpx.AsyncClient() as client:
            wrong = await client.post(url, json=plain, headers={channel.secret_header: "nope"})
            missing = await client.post(url, json=plain)
            assert (wrong.status_code, missing.status_code) == (403, 403)
            headers = {channel.secret_header: "s3cret-zalo"}
            assert (await client.post(url, json=plain, headers=headers)).status_code == 200
            await fake.wait_sent(LAN, 1)
            assert (await client.post(url, json=wrapped, headers=headers)).status_code == 200
            assert (
                await client.post(url, json=plain, headers=headers)
            ).status_code == 200  # replay
            bad = await client.post(
                url, content=b"[1, 2", headers={**headers, "Content-Type": "application/json"}
            )
            assert bad.status_code == 400
        texts = await fake.wait_sent(LAN, 2)
        assert texts[0].startswith("Bạn chưa thuộc đơn vị nào.")
        assert texts[1].startswith("Ngôn ngữ hiện tại: tiếng Việt.")
    finally:
        await channel.stop()
        await web.stop()
    assert len(fake.texts(LAN)) == 2  # the wrong secret and the replay were not answered


def test_reading_updates_and_mentions() -> None:
    update = {"event_name": "message.text.received", "message": {
        "message_id": "m1", "date": 1, "text": "Xin chào",
        "from": {"id": "u1", "display_name": "Lan", "is_bot": False},
        "chat": {"id": "g1", "chat_type": "GROUP"}}}  # fmt: skip
    for body in (update, {"ok": True, "result": update}):
        message = read_update(body)
        assert message is not None
        assert (message.user_id, message.chat_id, message.group, message.text) == (
            "u1", "g1", True, "Xin chào",
        )  # fmt: skip
    assert read_update({"event_name": "x"}) is None
    assert read_update({"message": {"from": {}, "chat": {}}}) is None
    without = {"message": update["message"]}  # no event_name: the text is still the text
    assert (message := read_update(without)) is not None and message.text == "Xin chào"
    names = ("bot.thidua", "Bot Thi Đua")
    assert strip_mention("@Bot Thi Đua chỉ tiêu là gì", names) == "chỉ tiêu là gì"
    assert strip_mention("@bot thi dua: /lienket KT", names) == "/lienket KT"
    assert strip_mention("@Lan xem giúp", names) == "@Lan xem giúp"
    assert strip_mention("/lienket KT @Bot Thi Đua", names) == "/lienket KT"
    assert strip_mention("Chào @bot.thidua, hạn chót?", names) == "Chào hạn chót?"
    # However the phone typed it: decomposed accents, non-breaking and narrow spaces, a
    # zero-width space, capitals; the rest of the text is left exactly as typed.
    nfd = unicodedata.normalize("NFD", "@Bot Thi Đua hạn chót?")
    assert strip_mention(nfd, names) == unicodedata.normalize("NFD", "hạn chót?")
    assert strip_mention("@BOT\u00a0THI\u202fĐUA /lienket KT", names) == "/lienket KT"
    assert strip_mention("@Bot Thi\u200b Đua  \u00a0 /camket", names) == "/camket"
    named_in_nfd = (unicodedata.normalize("NFD", "Bot Thi Đua"),)
    assert strip_mention("@bot thi đua /camket", named_in_nfd) == "/camket"
    assert strip_mention("@Bot Thi Đuaxyz hỏi", names) == "@Bot Thi Đuaxyz hỏi"  # not the bot
    assert strip_mention("@bot.thidua @Bot Thi Đua /trogiup", names) == "/trogiup"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_run_serves_telegram_and_zalo_webhooks_in_one_process(
    fake: FakeZalo, tmp_path: Path
) -> None:
    """`python -m bot run` with both tokens: one web server, a webhook per platform."""
    telegram = FakeTelegram().start()
    port = _free_port()
    env = bot_environment(
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        TELEGRAM_BOT_TOKEN=telegram.token,
        TELEGRAM_API_BASE_URL=telegram.base_url,
        ZALO_BOT_TOKEN=fake.token,
        ZALO_API_BASE_URL=fake.base_url,
        BOT_WEBHOOK_URL="https://thidua.example.gov.vn/hook/",
        BOT_WEBHOOK_SECRET="s3cret-both",
        BOT_LISTEN=f"127.0.0.1:{port}",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while fake.webhook is None or not telegram.sent(method="setWebhook"):
            assert time.monotonic() < deadline and process.poll() is None, process.stderr
            time.sleep(0.05)
        assert fake.webhook == {
            "url": "https://thidua.example.gov.vn/hook/zalo",
            "secret_token": "s3cret-both",
        }
        hook = telegram.sent(method="setWebhook")[-1].params
        assert hook["url"] == "https://thidua.example.gov.vn/hook/telegram"
        base = f"http://127.0.0.1:{port}"
        zalo_update = fake.update(LAN, "/start", name="Lan")
        telegram_update = {
            "update_id": 9,
            "message": {
                "message_id": 1, "date": 0, "text": "/start",
                "chat": {"id": 42, "type": "private", "first_name": "Hà"},
                "from": {"id": 42, "is_bot": False, "first_name": "Hà"},
            },
        }  # fmt: skip
        with httpx.Client() as client:
            zalo_answer = client.post(
                f"{base}/zalo", json=zalo_update, headers={"X-Bot-Api-Secret-Token": "s3cret-both"}
            )
            telegram_answer = client.post(
                f"{base}/telegram",
                json=telegram_update,
                headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-both"},
            )
        assert (zalo_answer.status_code, telegram_answer.status_code) == (200, 200)
        while not (fake.texts(LAN) and telegram.sent(42)):
            assert time.monotonic() < deadline, (fake.calls, telegram.calls)
            time.sleep(0.05)
        assert fake.texts(LAN)[0].startswith("Xin chào Lan!")
        assert fake.texts(LAN)[0].endswith(
            f"Mã tài khoản của bạn (quản trị viên cần khi cấp quyền): zalo:{LAN}"
        )
        assert telegram.texts(42)[0].startswith("Xin chào <b>Hà</b>!")
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        telegram.stop()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert fake.token not in err and telegram.token not in err


def test_a_wrong_zalo_token_is_one_line(fake: FakeZalo, tmp_path: Path) -> None:
    result = run_cli(
        "run",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        cwd=tmp_path,
        env={"ZALO_BOT_TOKEN": "999:WRONG-zalo", "ZALO_API_BASE_URL": fake.base_url},
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Token Zalo không hợp lệ (ZALO_BOT_TOKEN): Zalo từ chối token này."
    )
    assert "WRONG-zalo" not in result.stderr + result.stdout


async def test_one_person_on_telegram_and_zalo_has_one_pledge(
    zapp: App, bot: ZaloChannel, fake: FakeZalo
) -> None:
    """Both real channels in one app: a code from Telegram, sent from Zalo, joins the accounts."""
    from bot.channels.telegram import TelegramChannel

    tg = FakeTelegram().start()
    telegram = TelegramChannel(zapp, tg.token, base_url=tg.base_url, poll_timeout=1)
    await telegram.start()
    try:

        async def on_telegram(text: str) -> str:
            before = len(tg.sent(77))
            tg.message(77, text, name="Lan")
            return (await tg.wait_sent(77, before + 1))[before]

        await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
        invite = await fake.say(ADMIN, "/moi KT")
        code = found(r": ([A-Z0-9]{8})\n", invite)
        assert "Chào mừng" in await on_telegram(f"/start {code}")
        assert "Đã lưu đăng ký" in await on_telegram("/dangky LĐTT; Hoàn thành 100% hồ sơ")
        issued = await on_telegram("/taikhoan")
        link = re.search(r"<code>/taikhoan ([A-Z0-9]{8})</code>", issued)
        assert link, issued
        asked = await fake.say(LAN, f"/taikhoan {link.group(1)}", name="Lan")
        assert asked.startswith("Mình đã gửi yêu cầu tới tài khoản Telegram của bạn.")
        # The owner confirms on Telegram, under the request the outbox delivered there.
        before = len(tg.sent(77))
        await Scheduler(zapp, senders={"telegram": telegram}).tick(zapp.services.clock())
        await tg.wait_sent(77, before + 1)
        request = tg.sent(77)[before]
        assert "vừa gửi mã liên kết của bạn" in request.params["text"]
        confirm = request.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        tg.press(77, request, confirm)
        joined = (await tg.wait_sent(77, before + 2))[before + 1]
        assert joined.startswith("Đã liên kết tài khoản Zalo với tài khoản Telegram của bạn.")
        mine = await fake.say(LAN, "/camket")
        assert "Lao động tiên tiến" in mine and "Hoàn thành 100% hồ sơ" in mine
        offer = await fake.say(LAN, "/dangky CSTĐCS; Một sáng kiến")
        assert offer.startswith("Bạn đã đăng ký thi đua năm nay (danh hiệu Lao động tiên tiến).")
        assert (await fake.say(LAN, "1")).startswith("Đã thay đăng ký thi đua năm 2026")
        assert "Một sáng kiến" in await on_telegram("/camket")  # the same pledge, seen from both
    finally:
        await telegram.stop()
        tg.stop()
    async with zapp.db.transaction() as session:
        assert len(list(await session.scalars(select(Pledge)))) == 1


async def test_the_token_never_reaches_the_logs(
    zapp: App, fake: FakeZalo, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    for _ in range(2):
        fake.fail("getUpdates", 502, f"Bad Gateway for /bot{fake.token}/getUpdates")
    fake.fail("sendMessage", 500)
    channel = ZaloChannel(zapp, fake.token, base_url=fake.base_url, poll_timeout=1, idle_gap=0.05)
    await channel.start()
    fake.message(LAN, "/trogiup")
    await fake.wait_for(lambda: len(fake.polls) >= 4)
    await channel.stop()
    dead = ZaloChannel(zapp, fake.token, base_url="http://127.0.0.1:9")  # nothing listens there
    with pytest.raises(Transient) as unreachable:
        await dead.send("c1", Reply(Safe("Họp")), push=True)
    await dead.stop()
    assert "Zalo getUpdates failed" in caplog.text and "could not answer" in caplog.text
    assert fake.token not in caplog.text + str(unreachable.value)
    assert "<token>" in caplog.text  # the token in the API's own message was masked


async def test_a_long_push_is_sent_whole_once_despite_a_429(zapp: App, fake: FakeZalo) -> None:
    waits: list[float] = []

    async def sleep(delay: float) -> None:  # what the channel asks for, not what time did
        waits.append(delay)

    channel = ZaloChannel(zapp, fake.token, base_url=fake.base_url, sleep=sleep)
    await channel.connect()
    long = "\n\n".join(["Một đoạn thông báo dài của Văn phòng. " * 30] * 3)  # three pieces
    try:
        fake.fail("sendMessage", 429, chat="c2")  # on the first piece
        with pytest.raises(QuotaExceeded):  # nothing went out: the dispatcher retries it whole
            await channel.send("c2", Reply(Safe(long)), push=True)
        assert waits == []
        fake.fail("sendMessage", 429, chat="c2", after=1)  # the second piece, twice: waited
        fake.fail("sendMessage", 429, chat="c2")  # out in place, 30 s then 2 min
        assert await channel.send("c2", Reply(Safe(long)), push=True)
        assert waits == [30.0, 120.0]
        waits.clear()
        fake.fail("sendMessage", 429, chat="c3")  # an answer to a person waits 5 s
        await channel.send("c3", Reply(Safe("Chào")))
        assert waits == [5.0] and fake.texts("c3") == ["Chào"]
    finally:
        await channel.stop()
    pieces = fake.texts("c2")
    assert len(pieces) == 3 and "\n\n".join(pieces) == long.strip()  # each once, in order


async def test_sends_are_paced_to_zalo(zapp: App, fake: FakeZalo) -> None:
    """Ten messages a second at most, however many the dispatcher sends at once: on a clock
    that stands still, each send waits 0.1 s more than the one before (the first at once)."""
    import asyncio

    from bot.channels.zalo import SENDS_PER_SECOND, Pacer

    waits: list[float] = []

    async def sleep(delay: float) -> None:
        waits.append(round(delay, 6))

    pacer = Pacer(SENDS_PER_SECOND, clock=lambda: 100.0, sleep=sleep)
    channel = ZaloChannel(zapp, fake.token, base_url=fake.base_url, pacer=pacer)
    await channel.connect()
    try:
        await asyncio.gather(
            *(channel.send(f"c{n}", Reply(Safe("Họp")), push=True) for n in range(6))
        )
    finally:
        await channel.stop()
    assert sorted(call.params["chat_id"] for call in fake.sent()) == [f"c{n}" for n in range(6)]
    assert waits == [0.1, 0.2, 0.3, 0.4, 0.5]


async def test_the_pacer_spaces_every_send() -> None:
    """Eight sends at once on a clock that stands still: each waits one interval more than
    the one before, and a send after a pause waits no more than it must."""
    import asyncio

    from bot.channels.zalo import Pacer

    now = [100.0]
    waits: list[float] = []

    async def sleep(delay: float) -> None:
        waits.append(round(delay, 6))

    pacer = Pacer(20, clock=lambda: now[0], sleep=sleep)
    await asyncio.gather(*(pacer.wait() for _ in range(8)))
    assert waits == [round(0.05 * n, 6) for n in range(1, 8)]  # the first goes at once
    now[0] += 10  # a quiet spell: the next send goes at once again
    await pacer.wait()
    assert len(waits) == 7


async def test_a_picture_is_shown_not_linked_and_kept_once(
    zapp: App, bot: ZaloChannel, fake: FakeZalo
) -> None:
    from storage.models import Download

    chart = Reply(Safe("Biểu đồ"), file=Attachment("chart.png", b"\x89PNG", kind="photo"))
    await bot.answer(LAN, [chart])
    assert fake.texts(LAN) == ["Biểu đồ"]
    (photo,) = fake.sent(LAN, method="sendPhoto")
    assert photo.params["photo"].startswith(f"{PUBLIC}/files/")
    assert "caption" not in photo.params and "_ok" in photo.params  # none rather than ""
    async with zapp.db.transaction() as session:
        assert len(list(await session.scalars(select(Download)))) == 1


async def test_a_picture_caption_is_plain_and_at_most_2000_characters(
    bot: ZaloChannel, fake: FakeZalo
) -> None:
    """The reference takes a caption of 1 to 2,000 characters: a longer one is clipped (the
    fake refuses anything else, so a caption sent whole would fail the send)."""
    long = "Biểu đồ <b>thi đua</b> " + "rất dài " * 400
    for caption in (long, "  ", "Tỷ lệ &amp; mục tiêu"):
        picture = Attachment("chart.png", b"\x89PNG", kind="photo", caption=caption)
        await bot.send(LAN, Reply(Safe(""), file=picture))
    clipped, blank, short = (c.params for c in fake.sent(LAN, method="sendPhoto"))
    assert all("_ok" in params for params in (clipped, blank, short))
    assert len(clipped["caption"]) == 2000 and clipped["caption"].endswith("…")
    assert clipped["caption"].startswith("Biểu đồ thi đua rất dài")
    assert "caption" not in blank
    assert short["caption"] == "Tỷ lệ & mục tiêu"


async def test_thongke_shows_its_picture_served_by_the_bots_web_server(
    zapp: App, bot: ZaloChannel, fake: FakeZalo
) -> None:
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    await join(fake, LAN)
    web = WebServer("127.0.0.1", 0)
    web.downloads(zapp.db, zapp.services.clock)
    await web.start()
    try:
        figures = await fake.say(ADMIN, "/thongke")
        assert "Phòng Kế toán (KT) — 1 thành viên" in figures
        (photo,) = await fake.wait_for(lambda: fake.sent(ADMIN, method="sendPhoto"))
        assert "caption" not in photo.params  # the figures came as text just before
        local = photo.params["photo"].replace(PUBLIC, f"http://127.0.0.1:{web.port}")
        async with httpx.AsyncClient() as client:
            got = await client.get(local)
        assert got.status_code == 200 and got.content.startswith(b"\x89PNG\r\n")
    finally:
        await web.stop()


async def test_without_a_public_address_the_figures_come_as_text_only(
    zapp: App, fake: FakeZalo
) -> None:
    channel = ZaloChannel(zapp, fake.token, base_url=fake.base_url, poll_timeout=1,
                          idle_gap=0.05)  # fmt: skip
    await channel.start()
    try:
        await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
        await join(fake, LAN)
        figures = await fake.say(ADMIN, "/thongke")
        assert "Phòng Kế toán (KT) — 1 thành viên" in figures
        assert "BOT_PUBLIC_URL" not in figures  # no note about a file nobody can open
        assert fake.sent(ADMIN, method="sendPhoto") == []
    finally:
        await channel.stop()
