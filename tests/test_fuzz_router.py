"""The router fuzzed: random Unicode, commands with random arguments and random button payloads,
from a member, a lead and an admin, in private and in group chats. Whatever comes in, the
answer is a reply of the bot, never the apology (error.unexpected: an exception the router
caught) and never an exception. One bot per test, so state builds up across examples as it
does in use: dialogs left open, reminders, units, pledges. Runs on SQLite, and on PostgreSQL
when BOT_TEST_DATABASE_URL is set."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.app import open_app
from bot.config import load_settings
from handlers.messages import Incoming, plain
from tests.conftest import ADMIN, CAMPAIGN_2026, Clock, import_file
from tests.test_fuzz_parsers import NUMBERS, TRICKY, WORDS, mixed

PEOPLE = {"member": "lan", "lead": "head", "admin": ADMIN, "stranger": "someone"}
SUBWORDS = ["them", "xoa", "sua", "hien", "mo", "dong", "ds", "huy", "@KT", "@tatca", "KT", "VP",
            "lead", "member", "vi", "en", "tốt", "xuất sắc", "mai 8h", "sau 3 ngày", "01/05/2027",
            ";", "|", "@head", "@lan", "xong", "bỏ qua", "1", "2"]  # fmt: skip


def _commands() -> tuple[list[str], list[str]]:
    """The commands' names (Vietnamese and English) and the phrases that call them."""
    from handlers.features import build_registry

    registry = build_registry()
    names = [c.name for c in registry.commands] + [c.english for c in registry.commands]
    return sorted(set(names)), sorted({p for c in registry.commands for p in c.phrases})


COMMANDS, PHRASES = _commands()
ARGUMENT = st.one_of(st.sampled_from(SUBWORDS), NUMBERS, st.sampled_from(TRICKY),
                     st.sampled_from(WORDS), st.text(max_size=10))  # fmt: skip
COMMAND_LINE = st.builds(
    lambda name, args: f"{name} " + " ".join(args),
    st.one_of(st.sampled_from(COMMANDS).map("/{}".format), st.sampled_from(PHRASES)),
    st.lists(ARGUMENT, max_size=6),
)
PAYLOAD = st.one_of(
    st.builds(lambda prefix, rest: f"{prefix}{rest}",
              st.sampled_from(["snooze:", "nudges:", "announce:", "pledge:", "assess:", "link:",
                               "forget:", "title:", "rating:", "replace:", "x:", ""]),
              st.one_of(NUMBERS, st.sampled_from(SUBWORDS), st.text(max_size=10))),
    st.text(max_size=20),
)  # fmt: skip
MESSAGE = st.fixed_dictionaries(
    {
        "who": st.sampled_from(sorted(PEOPLE)),
        "group": st.booleans(),
        "addressed": st.booleans(),
        "text": st.one_of(COMMAND_LINE, mixed(), st.text(max_size=300)),
        "payload": st.one_of(st.none(), st.none(), PAYLOAD),
    }
)


def test_no_message_gets_the_apology(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.new_event_loop()
    clock = Clock(datetime(2026, 3, 10, 2, 0, tzinfo=UTC))
    settings = load_settings(BOT_DATABASE_URL=database_url, BOT_ADMINS=f"console:{ADMIN}")
    app = loop.run_until_complete(open_app(settings, clock=clock))
    apology = plain(app.services.catalog.translator("vi")("error.unexpected"))
    seen = 0

    async def send(message: dict, update: int | None = None) -> list[str]:
        user_id = PEOPLE[message["who"]]
        incoming = Incoming(
            platform="console",
            user_id=user_id,
            chat_id="kt-group" if message["group"] else user_id,
            chat_kind="group" if message["group"] else "private",
            text=message["text"],
            payload=message["payload"],
            user_name=message["who"].title(),
            addressed=message["addressed"],
            update_id=None if update is None else str(update),
        )
        return [plain(reply.text) for reply in await app.router.handle(incoming)]

    async def prepare() -> None:
        await import_file(app, CAMPAIGN_2026)
        for who, text, group in (
            ("admin", "/donvi them KT Phòng Kế toán", False),
            ("admin", "/lienket KT", True),
        ):
            await send({"who": who, "group": group, "addressed": True, "text": text,
                        "payload": None})  # fmt: skip
        for who, role in (("lead", "lead"), ("member", "")):
            reply = await send({"who": "admin", "group": False, "addressed": True,
                                "text": f"/moi KT {role}".strip(), "payload": None})  # fmt: skip
            code = reply[0].split(": ", 1)[1].split()[0]
            await send({"who": who, "group": False, "addressed": True, "text": f"/start {code}",
                        "payload": None})  # fmt: skip

    @given(st.lists(MESSAGE, min_size=1, max_size=4))
    @example(
        [
            {
                "who": "member",
                "group": False,
                "addressed": True,
                "text": "/huynhac 2147483648",
                "payload": None,
            }
        ]
    )
    @example(
        [
            {
                "who": "member",
                "group": False,
                "addressed": True,
                "text": "/nhacnho sau 99999999 ngày họp",
                "payload": None,
            }
        ]
    )
    @example(
        [
            {
                "who": "member",
                "group": False,
                "addressed": True,
                "text": "/tiendo 5¹",
                "payload": None,
            }
        ]
    )
    @example(
        [
            {
                "who": "admin",
                "group": False,
                "addressed": True,
                "text": "/sukien xoa 99999999999999999999",
                "payload": None,
            }
        ]
    )
    @example(
        [
            {
                "who": "member",
                "group": False,
                "addressed": True,
                "text": "",
                "payload": "snooze:99999999999",
            }
        ]
    )
    def run(messages: list[dict]) -> None:
        nonlocal seen
        for message in messages:
            seen += 1
            replies = loop.run_until_complete(send(message, seen))
            assert not any(apology in reply for reply in replies), (message, replies)

    try:
        loop.run_until_complete(prepare())
        caplog.set_level(logging.ERROR)
        run()
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    finally:
        loop.run_until_complete(app.close())
        loop.close()
