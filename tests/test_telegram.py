"""The real python-telegram-bot Application against the fake Bot API server (tests/fakes)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App, open_app
from bot.channels.telegram import TelegramChannel
from bot.channels.text import split_text
from bot.config import load_settings
from storage.models import Chat, Pledge
from tests.conftest import CAMPAIGN_2026, Clock, bot_environment, found, import_file, run_cli
from tests.fakes.telegram_api import FakeTelegram

ADMIN, LAN, HEAD = 1, 2, 3
GROUP = -100200


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram().start()
    yield server
    server.stop()


@pytest.fixture
async def bot(database_url: str, fake: FakeTelegram, clock: Clock) -> AsyncIterator[App]:
    settings = load_settings(BOT_DATABASE_URL=database_url, BOT_ADMINS=f"telegram:{ADMIN}")
    app = await open_app(settings, clock=clock)
    await import_file(app, CAMPAIGN_2026)
    channel = TelegramChannel(app, fake.token, base_url=fake.base_url, poll_timeout=1)
    await channel.start()
    app.services.platforms.add(channel)  # as bot/launch.py does
    yield app
    await channel.stop()
    await app.close()


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> bool:
    """Whether `check` comes true in time: a fetched update may still be being handled."""
    for _ in range(int(timeout / 0.02)):
        if await check():
            return True
        await asyncio.sleep(0.02)
    return False


async def join(fake: FakeTelegram, user: int, role: str = "") -> None:
    before = len(fake.sent(ADMIN))
    fake.message(ADMIN, f"/moi KT {role}".strip())
    texts = await fake.wait_sent(ADMIN, before + 2)  # the code, then the deep link
    code = found(r"<code>([A-Z0-9]{8})</code>", texts[before])
    assert "Chào mừng" in await fake.say(user, f"/start {code}")


async def test_menus_are_set_in_both_languages_for_private_chats_and_groups(
    bot: App, fake: FakeTelegram
) -> None:
    menus = fake.sent(method="setMyCommands")
    assert len(menus) == 4
    by_key = {(c.params.get("language_code"), c.params["scope"]["type"]): c for c in menus}
    private_vi = [c["command"] for c in by_key[(None, "all_private_chats")].params["commands"]]
    group_vi = [c["command"] for c in by_key[(None, "all_group_chats")].params["commands"]]
    private_en = [c["command"] for c in by_key[("en", "all_private_chats")].params["commands"]]
    assert "trogiup" in private_vi and "dangky" in private_vi and "xoadulieu" in private_vi
    assert "lienket" in group_vi and "xoadulieu" not in group_vi
    assert "help" in private_en and "pledge" in private_en


async def test_a_new_user_joins_with_the_deep_link(bot: App, fake: FakeTelegram) -> None:
    assert "Đã thêm đơn vị" in await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    await fake.say(ADMIN, "/moi KT")
    texts = await fake.wait_sent(ADMIN, 3)  # the unit, the code, then the deep link
    link = re.search(r"https://t\.me/thidua_test_bot\?start=([A-Z0-9]{8})", texts[2])
    assert link, texts
    # Opening https://t.me/<bot>?start=CODE makes Telegram send "/start CODE".
    welcome = await fake.say(LAN, f"/start {link.group(1)}", name="Lan")
    assert welcome.startswith("Chào mừng bạn đến với <b>Phòng Kế toán</b> (KT)!")
    assert fake.sent(LAN)[-1].params["parse_mode"] == "HTML"


async def test_a_pledge_registered_with_the_buttons(bot: App, fake: FakeTelegram) -> None:
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    await join(fake, LAN)
    await fake.say(LAN, "/dangky")
    question = fake.sent(LAN)[-1]
    buttons = question.params["reply_markup"]["inline_keyboard"]
    assert buttons[0][0] == {
        "text": "Lao động tiên tiến (LĐTT)",
        "callback_data": "pledge:title:ldtt",
    }

    async def press(data: str) -> str:
        before = len(fake.sent(LAN))
        fake.press(LAN, fake.sent(LAN)[-1], data)
        return (await fake.wait_sent(LAN, before + 1))[before]

    assert "Bạn gửi từng cam kết" in await press("pledge:title:ldtt")
    await fake.wait_for(lambda: fake.sent(method="answerCallbackQuery"))
    edited = fake.sent(method="editMessageText")[0].params
    assert edited["text"].endswith("<i>➜ Lao động tiên tiến (LĐTT)</i>")
    assert "reply_markup" not in edited or not edited["reply_markup"]
    assert "Đã ghi cam kết 1." in await fake.say(LAN, "Hoàn thành 100% hồ sơ")
    assert "Bạn phấn đấu xếp loại" in await press("pledge:done")
    assert "Bạn kiểm tra lại" in await press("pledge:rating:good")
    assert "Đã lưu đăng ký thi đua năm 2026" in await press("pledge:confirm")
    async with bot.db.transaction() as session:
        pledge = await session.scalar(select(Pledge))
        assert pledge is not None and pledge.title == "ldtt"


async def test_questions_in_private_and_in_groups(bot: App, fake: FakeTelegram) -> None:
    answer = await fake.say(LAN, "hạn chót là khi nào")
    assert "đến hết ngày 31/12/2026" in answer
    assert "<b>Mục III.1 (Tổ chức thực hiện)</b>" in answer
    fake.message(LAN, "hạn chót là khi nào", chat_id=GROUP, kind="group")
    fake.message(LAN, "@thidua_test_bot hạn chót là khi nào", chat_id=GROUP, kind="group")
    fake.message(LAN, "chỉ tiêu là gì", chat_id=GROUP, kind="group", reply_to_bot=True)
    await fake.drained()
    texts = await fake.wait_sent(GROUP, 2)
    await fake.drained()
    assert len(fake.sent(GROUP)) == 2
    assert "31/12/2026" in texts[0]
    assert texts[1].startswith("Chỉ tiêu phấn đấu thi đua năm 2026:")


async def test_a_lead_links_a_group_only_as_a_telegram_admin(bot: App, fake: FakeTelegram) -> None:
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    await join(fake, HEAD, "lead")
    fake.message(HEAD, "/lienket@thidua_test_bot KT", chat_id=GROUP, kind="group")
    refused = (await fake.wait_sent(GROUP, 1))[0]
    assert refused == "Chỉ quản trị viên của nhóm chat này mới liên kết được nhóm với đơn vị."
    fake.chat_admins[GROUP] = {HEAD}
    fake.message(HEAD, "/lienket KT", chat_id=GROUP, kind="group")
    linked = (await fake.wait_sent(GROUP, 2))[1]
    assert linked.startswith("Đã liên kết nhóm này với <b>Phòng Kế toán</b> (KT).")
    assert fake.sent(method="getChatMember")[-1].params["user_id"] == HEAD
    fake.message(LAN, "/lienket@another_bot KT", chat_id=GROUP, kind="group")
    await fake.drained()
    assert len(fake.sent(GROUP)) == 2


async def test_added_to_a_group_then_kicked(bot: App, fake: FakeTelegram) -> None:
    fake.membership(GROUP, HEAD, "left", "member")
    greeting = (await fake.wait_sent(GROUP, 1))[0]
    assert "/lienket MÃ_ĐƠN_VỊ" in greeting
    fake.membership(GROUP, HEAD, "member", "kicked")
    await fake.drained()

    async def inactive() -> bool:
        async with bot.db.transaction() as session:
            chat = await session.scalar(select(Chat).where(Chat.platform_chat_id == str(GROUP)))
            return chat is not None and chat.active is False

    assert await eventually(inactive)


async def test_a_group_that_migrates_keeps_its_unit(bot: App, fake: FakeTelegram) -> None:
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    fake.chat_admins[GROUP] = {ADMIN}
    fake.message(ADMIN, "/lienket KT", chat_id=GROUP, kind="group")
    await fake.wait_sent(GROUP, 1)
    new_id = -1009990001
    fake.message(ADMIN, "", chat_id=GROUP, kind="group", migrate_to_chat_id=new_id)
    await fake.drained()

    async def moved() -> bool:
        async with bot.db.transaction() as session:
            chat = await session.scalar(select(Chat).where(Chat.platform_chat_id == str(new_id)))
            return chat is not None and chat.unit_id is not None and chat.active

    assert await eventually(moved)


async def test_user_text_is_escaped(bot: App, fake: FakeTelegram) -> None:
    reply = await fake.say(ADMIN, "/donvi them KT <b>& Tên")
    assert reply == "Đã thêm đơn vị <b>&lt;b&gt;&amp; Tên</b> (KT) (phòng, ban)."


def answered(fake: FakeTelegram, chat: int, start: str) -> bool:
    """Whether the bot has sent `chat` a message starting with `start`."""
    return any(text.startswith(start) for text in fake.texts(chat))


async def test_a_replayed_update_is_answered_once(bot: App, fake: FakeTelegram) -> None:
    """The replay is followed by a sentinel (/start) in the same chat, whose updates are
    handled in order: once the sentinel is answered, the replay has been handled or dropped."""
    fake.message(LAN, "/trogiup", update_id=900)
    fake.message(LAN, "/trogiup", update_id=900)
    fake.message(LAN, "/start", update_id=901)
    await fake.wait_for(lambda: answered(fake, LAN, "Xin chào"))
    help_text, hello = fake.texts(LAN)
    assert "/xoadulieu" in help_text and hello.startswith("Xin chào")


async def test_rate_limits_and_blocked_users(bot: App, fake: FakeTelegram) -> None:
    fake.fail("sendMessage", 429, retry_after=1)
    fake.message(LAN, "/trogiup")
    first, second = await fake.wait_sent(LAN, 2)  # refused once with retry_after, then sent
    assert first == second and "/trogiup" in second
    await fake.drained()
    assert len(fake.sent(LAN)) == 2
    fake.forbidden_chats.add(LAN)
    fake.message(LAN, "/start")
    await fake.drained()

    async def blocked() -> bool:
        async with bot.db.transaction() as session:
            chat = await session.scalar(select(Chat).where(Chat.platform_chat_id == str(LAN)))
            return chat is not None and chat.active is False

    assert await eventually(blocked)


async def test_non_text_messages_get_an_explanation(bot: App, fake: FakeTelegram) -> None:
    fake.message(
        LAN,
        "",
        sticker={
            "file_id": "s",
            "file_unique_id": "s",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        },
    )
    text = (await fake.wait_sent(LAN, 1))[0]
    assert text == "Mình chỉ đọc được tin nhắn chữ. Gõ /trogiup để xem những gì mình làm được."


async def test_the_report_is_sent_as_a_document(bot: App, fake: FakeTelegram) -> None:
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    fake.message(ADMIN, "/baocao")
    await fake.wait_for(lambda: fake.sent(ADMIN, "sendDocument"))
    document = fake.sent(ADMIN, "sendDocument")[0]
    assert list(document.files) == ["bao-cao-thi-dua-2026.xlsx"]
    assert document.files["bao-cao-thi-dua-2026.xlsx"][:2] == b"PK"


def test_long_texts_are_split_at_paragraphs() -> None:
    paragraph = "Một đoạn văn. " * 100
    text = "\n\n".join([paragraph.strip()] * 5)
    pieces = split_text(text, 4096)
    assert all(len(p) <= 4096 for p in pieces)
    assert "\n\n".join(pieces) == text
    assert len(pieces) == 3  # two paragraphs fit in a message, three do not
    assert split_text("x" * 9000, 4096) == ["x" * 4096, "x" * 4096, "x" * 808]


def test_a_wrong_token_is_one_line(fake: FakeTelegram, tmp_path: Path) -> None:
    result = run_cli(
        "run",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        cwd=tmp_path,
        env={"TELEGRAM_BOT_TOKEN": "999:WRONG", "TELEGRAM_API_BASE_URL": fake.base_url},
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Token Telegram không hợp lệ (TELEGRAM_BOT_TOKEN): Telegram từ chối token này."
    )
    assert "999:WRONG" not in result.stderr + result.stdout


async def test_webhook_mode_checks_the_secret(database_url: str, fake: FakeTelegram) -> None:
    import json

    import httpx

    from bot.web import Hook, WebServer

    settings = load_settings(BOT_DATABASE_URL=database_url)
    app = await open_app(settings)
    channel = TelegramChannel(app, fake.token, base_url=fake.base_url)
    web = WebServer("127.0.0.1", 0)
    web.webhook("/telegram", channel.secret_header, "s3cret", channel.feed)
    await web.start()
    port = web.port
    await channel.start(Hook("https://bot.example.vn/telegram", "s3cret"))
    try:
        hook = fake.sent(method="setWebhook")[-1].params
        assert (hook["url"], hook["secret_token"]) == ("https://bot.example.vn/telegram", "s3cret")
        message = {
            "message_id": 1, "date": 0, "text": "/start",
            "chat": {"id": LAN, "type": "private", "first_name": "Lan"},
            "from": {"id": LAN, "is_bot": False, "first_name": "Lan"},
        }  # fmt: skip
        update = {"update_id": 7, "message": message}
        async with httpx.AsyncClient() as client:
            url = f"http://127.0.0.1:{port}/telegram"
            body = json.dumps(update)
            headers = {"Content-Type": "application/json"}
            wrong = await client.post(
                url, content=body, headers={**headers, "X-Telegram-Bot-Api-Secret-Token": "nope"}
            )
            assert wrong.status_code == 403
            right = await client.post(
                url, content=body, headers={**headers, "X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            )
            assert right.status_code == 200
            again = await client.post(
                url, content=body, headers={**headers, "X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            )
            assert (
                again.status_code == 200
            )  # Telegram retries: the replay is accepted, not answered
            sentinel = {**update, "update_id": 8,
                        "message": {**message, "message_id": 2, "text": "/trogiup"}}  # fmt: skip
            after = await client.post(
                url, content=json.dumps(sentinel),
                headers={**headers, "X-Telegram-Bot-Api-Secret-Token": "s3cret"},
            )  # fmt: skip
            assert after.status_code == 200
        # One chat's updates are handled in order: the sentinel's answer comes after the
        # replay was answered or dropped.
        await fake.wait_for(lambda: any("/xoadulieu" in text for text in fake.texts(LAN)))
        hello, help_text = fake.texts(LAN)
        assert hello.startswith("Xin chào <b>Lan</b>!") and "/xoadulieu" in help_text
    finally:
        await channel.stop()
        await web.stop()
        await app.close()


def test_run_polls_and_stops_cleanly_on_sigterm(fake: FakeTelegram, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    env = bot_environment(
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_BASE_URL=fake.base_url,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not fake.sent(method="setMyCommands") and time.monotonic() < deadline:
            time.sleep(0.05)
        fake.message(LAN, "/start")
        while not fake.sent(LAN) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert fake.texts(LAN)[0].startswith("Xin chào")
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert fake.token not in err


async def test_the_token_never_reaches_the_logs(
    database_url: str, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    # the command line quiets httpx (an in-process run_cli may have run in this worker): here
    # it must speak, to show that what it says carries no token
    caplog.set_level(logging.DEBUG, logger="httpx")
    app = await open_app(load_settings(BOT_DATABASE_URL=database_url))
    channel = TelegramChannel(app, fake.token, base_url=fake.base_url, poll_timeout=1)
    await channel.start()
    try:
        assert (await fake.say(LAN, "/start")).startswith("Xin chào")
    finally:
        await channel.stop()
        await app.close()
    assert "HTTP Request: POST" in caplog.text  # httpx did log the requests
    assert fake.token not in caplog.text


async def test_thongke_is_a_picture_with_its_figures_as_caption(
    bot: App, fake: FakeTelegram
) -> None:
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    await join(fake, LAN)
    fake.message(ADMIN, "/thongke KT")
    (photo,) = await fake.wait_for(lambda: fake.sent(ADMIN, method="sendPhoto"))
    assert photo.files["thong-ke-2026.png"].startswith(b"\x89PNG\r\n")
    assert photo.params["parse_mode"] == "HTML"
    assert "<b>Phòng Kế toán</b> (KT) — 1 thành viên" in photo.params["caption"]
    assert not any("thành viên" in text for text in fake.texts(ADMIN)[-1:])  # one message


async def test_figures_too_long_for_a_caption_come_as_text_then_the_picture(
    bot: App, fake: FakeTelegram
) -> None:
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    for n in range(8):  # an admin's view of many units: longer than a caption may be
        await fake.say(ADMIN, f"/donvi them U{n} Phòng số {n} có tên rất dài để thử")
    await join(fake, LAN)
    before = len(fake.sent(ADMIN))
    fake.message(ADMIN, "/thongke")
    (photo,) = await fake.wait_for(lambda: fake.sent(ADMIN, method="sendPhoto"))
    assert "caption" not in photo.params
    pieces = fake.sent(ADMIN)[before:]
    figures = "".join(str(call.params["text"]) for call in pieces)
    assert len(figures) > 1024 and "Phòng số 7" in figures  # split where it must be
    assert all(call.at <= photo.at for call in pieces)  # the picture after its figures


async def test_sentences_and_a_listening_dialog_on_telegram(bot: App, fake: FakeTelegram) -> None:
    """Issue 16's journeys through the real PTB application: a reminder said in a sentence, a
    sentence read two ways answered with two buttons, a question in the middle of a dialog."""
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    await join(fake, LAN)
    assert (await fake.say(LAN, "nhắc tôi nộp báo cáo 8h sáng mai")).startswith(
        "Đã đặt nhắc việc #1 cho bạn: Thứ Ba, 08:00 03/03/2026"
    )
    assert "Bạn muốn dùng lệnh /nhacnho hay hỏi về văn bản?" in await fake.say(
        LAN, "nhắc tôi hạn chót đăng ký thi đua là khi nào"
    )
    buttons = fake.sent(LAN)[-1].params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in buttons] == ["Dùng /nhacnho", "Hỏi về văn bản"]
    before = len(fake.sent(LAN))
    fake.press(LAN, fake.sent(LAN)[-1], buttons[1][0]["callback_data"])
    assert "31/3/2026" in (await fake.wait_sent(LAN, before + 1))[before]
    assert "(Gõ huỷ để thoát.)" in await fake.say(LAN, "/dangky")
    before = len(fake.sent(LAN))
    fake.message(LAN, "hạn chót đăng ký thi đua là khi nào?")
    answer, still = (await fake.wait_sent(LAN, before + 2))[before:]
    assert "31/3/2026" in answer and "vẫn đang chờ bạn trả lời" in still
    assert "chưa lưu gì" in await fake.say(LAN, "huỷ")
