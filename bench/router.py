"""Benchmark: messages per second through Router.handle, in process, against a bare round trip.

    python bench/router.py [--messages 400] [DATABASE_URL]

No channel, no network: what the router, the handlers and the database cost per message. A
known member in a known private chat sends, one after another, "/trogiup", a question about
the document and "/tiendo" (each with a fresh Telegram update id, so replays are checked as in
production). The baseline, measured in the same run, is the least any message could cost: a
write transaction with one SELECT on the same database. Prints messages/s and the ratio of
each to the baseline. The default database is a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This folder would come first on the import path, and bench/telegram.py hide the package.
sys.path[0] = str(ROOT)

from sqlalchemy import select  # noqa: E402

from bot.app import App, open_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from handlers.messages import Incoming  # noqa: E402

ADMIN = "9000"
MEMBER = "9001"
SCENARIOS = (
    ("/trogiup", "/trogiup"),
    ("a question", "hạn chót là khi nào"),
    ("/tiendo", "/tiendo"),
)
INVITE = re.compile(r"/start ([A-Z0-9]{8})")


class Sender:
    """One Telegram user in their private chat, with growing update ids."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.update_id = 0

    async def say(self, user: str, text: str) -> str:
        self.update_id += 1
        incoming = Incoming(
            platform="telegram",
            user_id=user,
            chat_id=user,
            text=text,
            user_name=f"Người {user}",
            username=f"u{user}",
            update_id=str(self.update_id),
        )
        replies = await self.app.router.handle(incoming)
        if not replies:
            raise SystemExit(f"no answer to {text!r}")
        return "\n".join(reply.text for reply in replies)


async def enrol(app: App, sender: Sender) -> None:
    """A unit, and MEMBER in it through an invitation code, as in the chat."""
    await sender.say(ADMIN, "/donvi them KT Phòng Kế toán")
    found = INVITE.search(await sender.say(ADMIN, "/moi KT"))
    if found is None:
        raise SystemExit("no invitation code: did the admin setting take?")
    await sender.say(MEMBER, f"/start {found.group(1)}")


async def rate(messages: int, one: object) -> float:
    """Messages per second of `one()` (a coroutine function), after a short warm-up."""
    for _ in range(20):
        await one()  # type: ignore[operator]
    started = time.perf_counter()
    for _ in range(messages):
        await one()  # type: ignore[operator]
    return messages / (time.perf_counter() - started)


async def run(url: str, messages: int) -> None:
    app = await open_app(load_settings(BOT_DATABASE_URL=url, BOT_ADMINS=f"telegram:{ADMIN}"))
    try:
        sender = Sender(app)
        await enrol(app, sender)

        async def round_trip() -> None:
            async with app.db.transaction() as session:
                await session.execute(select(1))

        baseline = await rate(messages, round_trip)
        print(f"{'baseline: a transaction with one SELECT':<42} {baseline:>7.0f} /s")
        for label, text in SCENARIOS:

            async def one(text: str = text) -> None:
                await sender.say(MEMBER, text)

            per_second = await rate(messages, one)
            print(f"{label:<42} {per_second:>7.0f} /s   ratio {per_second / baseline:.2f}")
    finally:
        await app.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("url", nargs="?", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite+aiosqlite:///{folder}/router.db"
        asyncio.run(run(url, args.messages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
