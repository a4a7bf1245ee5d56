"""The webhook answers what is not an update with a short 4xx, never a traceback or a 500, and
a flood of wrong-secret requests costs one warning a minute, not one line each."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.web import WebServer
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

SECRET = "s3cret"
JSON = {"Content-Type": "application/json"}


class Ticks:
    """The web server's monotonic clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
async def base(fresh_app: App, ticks: Ticks) -> AsyncIterator[str]:
    """A web server with the Telegram and Zalo webhooks of channels that are not started
    (refusals happen before an update would reach them)."""
    telegram_api, zalo_api = FakeTelegram().start(), FakeZalo().start()
    telegram = TelegramChannel(fresh_app, telegram_api.token, base_url=telegram_api.base_url)
    zalo = ZaloChannel(fresh_app, zalo_api.token, base_url=zalo_api.base_url)
    web = WebServer("127.0.0.1", 0, clock=ticks)
    web.webhook("/telegram", telegram.secret_header, SECRET, telegram.feed)
    web.webhook("/zalo", zalo.secret_header, SECRET, zalo.feed)
    await web.start()
    try:
        yield f"http://127.0.0.1:{web.port}"
    finally:
        await web.stop()
        telegram_api.stop()
        zalo_api.stop()


TELEGRAM = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
ZALO = {"X-Bot-Api-Secret-Token": SECRET}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"update_id": "7"},
        {"update_id": 7, "message": "x"},
        {"update_id": 7, "message": {"text": 1}},
        {"foo": [1, 2]},
    ],
)
async def test_a_well_signed_body_that_is_no_update_gets_400_without_a_traceback(
    base: str, body: dict, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with httpx.AsyncClient() as client:
        telegram = await client.post(
            f"{base}/telegram", content=json.dumps(body), headers={**JSON, **TELEGRAM}
        )
        zalo = await client.post(f"{base}/zalo", content=json.dumps(body), headers={**JSON, **ZALO})

    assert telegram.status_code == 400
    assert telegram.json() == {"ok": False, "description": "the body is not an update"}
    assert zalo.status_code == 200  # Zalo's events without a message are ignored
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize("kind", ["text/plain", "application/x-www-form-urlencoded", ""])
async def test_a_body_that_is_not_json_gets_415(base: str, kind: str) -> None:
    async with httpx.AsyncClient() as client:
        for path, headers in (("telegram", TELEGRAM), ("zalo", ZALO)):
            answer = await client.post(
                f"{base}/{path}",
                content=json.dumps({"update_id": 1}),
                headers={**headers, "Content-Type": kind},
            )
            assert answer.status_code == 415


async def test_json_with_a_charset_is_json(base: str) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{base}/zalo",
            content=b"{}",
            headers={**ZALO, "Content-Type": "application/json; charset=utf-8"},
        )
    assert answer.status_code == 200


async def test_wrong_secrets_are_refused_with_one_warning_a_minute(
    base: str, ticks: Ticks, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.web")
    wrong = {**JSON, "X-Telegram-Bot-Api-Secret-Token": "nope"}

    async with httpx.AsyncClient() as client:
        for _ in range(60):
            answer = await client.post(f"{base}/telegram", content=b"{}", headers=wrong)
            assert answer.status_code == 403
            ticks.now += 0.5  # 60 requests over 30 seconds
        assert [r.getMessage() for r in caplog.records] == [
            "refused a webhook request to /telegram: wrong secret"
        ]

        ticks.now += 30.5  # a minute after the warning
        await client.post(f"{base}/telegram", content=b"{}", headers=wrong)
        ticks.now += 1
        await client.post(f"{base}/telegram", content=b"{}", headers=wrong)

    assert [r.getMessage() for r in caplog.records] == [
        "refused a webhook request to /telegram: wrong secret",
        "refused a webhook request to /telegram: wrong secret"
        " (59 more refused since the last warning)",
    ]
