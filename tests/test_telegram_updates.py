"""What the bot asks Telegram for, and how it reads what it gets: only new messages, button
presses and its own membership; an edit never answers twice; a command or mention addressed to
the bot in any letter case; the Bot API address with or without its "/bot"."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from bot.app import App, open_app
from bot.channels.telegram import TelegramChannel, api_urls
from bot.config import load_settings
from tests.conftest import CAMPAIGN_2026, Clock, import_file
from tests.fakes.telegram_api import FakeTelegram
from tests.test_telegram import GROUP, LAN, answered

ASKED = ["callback_query", "message", "my_chat_member"]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram().start()
    yield server
    server.stop()


@pytest.fixture
async def app(database_url: str, clock: Clock) -> AsyncIterator[App]:
    app = await open_app(load_settings(BOT_DATABASE_URL=database_url), clock=clock)
    await import_file(app, CAMPAIGN_2026)
    yield app
    await app.close()


async def started(app: App, fake: FakeTelegram, base_url: str | None = None) -> TelegramChannel:
    channel = TelegramChannel(app, fake.token, base_url=base_url or fake.base_url, poll_timeout=1)
    await channel.start()
    return channel


async def test_only_what_the_bot_handles_is_asked_for_and_an_edit_is_not_answered(
    app: App, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    """Edits made before the bot asked are still delivered (the Bot API: allowed_updates
    "doesn't affect updates created before the call"): the bot ignores them, saying so once.
    Edits made after are not delivered at all."""
    caplog.set_level(logging.INFO, logger="bot.channels.telegram")
    asked = fake.message(LAN, "/trogiup")
    fake.edit(LAN, "/trogiup", message_id=asked)
    fake.edit(LAN, "/trogiup ", message_id=asked)
    fake.message(LAN, "/start")  # the same chat, in order: once answered, the edits were seen
    channel = await started(app, fake)
    try:
        await fake.wait_for(lambda: answered(fake, LAN, "Xin chào"))
        help_text, hello = fake.texts(LAN)
        assert "/xoadulieu" in help_text and hello.startswith("Xin chào")
        assert fake.allowed_updates == ASKED
        assert {tuple(sorted(kinds)) for _, kinds in fake.allowed} == {tuple(ASKED)}
        ignored = [r.getMessage() for r in caplog.records if "ignored" in r.getMessage()]
        assert len(ignored) == 1 and "edited_message" in ignored[0]

        fake.edit(LAN, "/trogiup", message_id=asked)  # after: Telegram keeps it to itself
        assert "Xin chào" in await fake.say(LAN, "/start")
        assert len(fake.texts(LAN)) == 3
    finally:
        await channel.stop()


async def test_a_command_or_mention_for_the_bot_in_any_letter_case(
    app: App, fake: FakeTelegram
) -> None:
    """Telegram usernames are case-insensitive: /trogiup@Thidua_Test_Bot is for this bot, as
    is @THIDUA_TEST_BOT; /trogiup@thidua_test_bot2 and @thidua_test_bot2 are not."""
    channel = await started(app, fake)
    try:
        for text in (
            "/trogiup@Thidua_Test_Bot",
            "/trogiup@thidua_test_bot2",
            "/trogiup@another_bot",
            "@thidua_test_bot2 hạn chót là khi nào",
            "@THIDUA_TEST_BOT hạn chót là khi nào",
            "hạn chót là khi nào, @Thidua_test_bot?",
            "/start@THIDUA_TEST_BOT",
        ):
            fake.message(LAN, text, chat_id=GROUP, kind="group")
        await fake.wait_for(lambda: answered(fake, GROUP, "Xin chào"))
        await fake.drained()
        help_text, deadline, again, hello = fake.texts(GROUP)
        assert help_text.startswith("Bạn chưa thuộc đơn vị nào.")
        assert "31/12/2026" in deadline and "31/12/2026" in again
        assert hello.startswith("Xin chào")
    finally:
        await channel.stop()


def test_the_api_address_may_end_in_bot_or_not() -> None:
    expected = ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")
    for given in (
        "http://127.0.0.1:8081",
        "http://127.0.0.1:8081/",
        "http://127.0.0.1:8081/bot",
        "http://127.0.0.1:8081/bot/",
    ):
        assert api_urls(given) == expected, given
    # only the last "/bot" is the API's: a host named bot… stays whole
    assert api_urls("https://botapi.example.vn/bot") == (
        "https://botapi.example.vn/bot",
        "https://botapi.example.vn/file/bot",
    )


async def test_the_bot_runs_against_a_server_named_without_bot(
    app: App, fake: FakeTelegram
) -> None:
    channel = await started(app, fake, base_url=f"{fake.origin}/")
    try:
        assert (await fake.say(LAN, "/start")).startswith("Xin chào")
    finally:
        await channel.stop()
