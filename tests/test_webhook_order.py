"""A webhook is answered only once its update has been handled and the replies sent.

This is what keeps one chat's updates in order when a reverse proxy spreads them over several
processes: the platform sends a chat's next update only after the answer to the previous one
(docs/architecture.md, "Several processes"). So, when the HTTP answer arrives, the reply is
already at the platform: no waiting here, the order of the requests is the order of the facts.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.web import Hook, WebServer
from tests.conftest import found
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

SECRET = "s3cret-order"
ASKED = re.compile(r"/(q\d+)")


@pytest.fixture
async def telegram(fresh_app: App) -> AsyncIterator[tuple[FakeTelegram, str]]:
    fake = FakeTelegram().start()
    channel = TelegramChannel(fresh_app, fake.token, base_url=fake.base_url, max_per_second=0)
    web = WebServer("127.0.0.1", 0)
    web.webhook("/telegram", channel.secret_header, SECRET, channel.feed)
    await web.start()
    await channel.start(Hook("https://bot.example.vn/telegram", SECRET))
    try:
        yield fake, f"http://127.0.0.1:{web.port}/telegram"
    finally:
        await channel.stop()
        await web.stop()
        fake.stop()


def telegram_update(fake: FakeTelegram, update_id: int, chat: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {"message_id": update_id, "date": 0, "text": text,
                    "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
                    "chat": fake.chat(chat), "from": fake.user(chat)},
    }  # fmt: skip


async def test_telegram_is_answered_after_the_reply_is_sent(
    telegram: tuple[FakeTelegram, str],
) -> None:
    fake, url = telegram
    headers = {TelegramChannel.secret_header: SECRET}
    async with httpx.AsyncClient(timeout=60) as client:
        for number in range(1, 6):
            update = telegram_update(fake, number, 4242, f"/q{number}")
            answer = await client.post(url, json=update, headers=headers)
            assert answer.status_code == 200
            # the reply is already at Telegram when the webhook is answered
            assert [found(ASKED, t) for t in fake.texts(4242)] == [
                f"q{n}" for n in range(1, number + 1)
            ]
        replay = await client.post(url, json=telegram_update(fake, 3, 4242, "/q3"), headers=headers)
        assert replay.status_code == 200
    assert len(fake.texts(4242)) == 5  # the replay was not answered


async def test_telegram_asks_for_what_the_bot_handles_and_an_edit_is_not_answered(
    telegram: tuple[FakeTelegram, str],
) -> None:
    """setWebhook names the update types the bot handles; an edited message posted anyway
    (a webhook set by an older version asked for every type) is accepted and not answered:
    the webhook is answered once the update is handled, so nothing can come after."""
    fake, url = telegram
    (hook,) = fake.sent(method="setWebhook")
    assert sorted(hook.params["allowed_updates"]) == ["callback_query", "message", "my_chat_member"]
    assert fake.allowed == [("setWebhook", ["message", "callback_query", "my_chat_member"])]
    headers = {TelegramChannel.secret_header: SECRET}
    asked = telegram_update(fake, 1, 4242, "/q1")
    edited = {"update_id": 2, "edited_message": {**asked["message"], "edit_date": 1}}
    async with httpx.AsyncClient(timeout=60) as client:
        assert (await client.post(url, json=asked, headers=headers)).status_code == 200
        assert (await client.post(url, json=edited, headers=headers)).status_code == 200
    assert len(fake.texts(4242)) == 1


async def test_zalo_is_answered_after_the_reply_is_sent(fresh_app: App) -> None:
    fake = FakeZalo().start()
    channel = ZaloChannel(fresh_app, fake.token, base_url=fake.base_url)
    web = WebServer("127.0.0.1", 0)
    web.webhook("/zalo", channel.secret_header, SECRET, channel.feed)
    await web.start()
    await channel.start(Hook("https://bot.example.vn/zalo", SECRET))
    try:
        url = f"http://127.0.0.1:{web.port}/zalo"
        async with httpx.AsyncClient(timeout=60) as client:
            for number in range(1, 6):
                update = fake.update("lan-z", f"/q{number}", message_id=f"z{number}")
                answer = await client.post(
                    url, json=update, headers={channel.secret_header: SECRET}
                )
                assert answer.status_code == 200
                assert [found(ASKED, t) for t in fake.texts("lan-z")] == [
                    f"q{n}" for n in range(1, number + 1)
                ]
    finally:
        await channel.stop()
        await web.stop()
        fake.stop()
