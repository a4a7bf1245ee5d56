"""Benchmark: the whole bot on Telegram against a bare python-telegram-bot echo bot.

    python bench/telegram.py [--users 200] [--per-user 10]

Both run the real Application against the fake Bot API server of the tests (loopback, limits
off). The bot gets 2,000 private updates from 200 users (commands and questions, each answered
by one message) through router, handlers and an SQLite database; the echo bot gets the same
updates and echoes them. Prints updates per second of both, their ratio, and checks that no
update was lost or answered twice.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This file is named like the `telegram` package: keep its folder off the import path.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402
from telegram.ext import Application, ContextTypes, MessageHandler, filters  # noqa: E402

from bench.harness import check, push_all, wait_answers  # noqa: E402
from bot.app import open_app  # noqa: E402
from bot.channels.telegram import TelegramChannel  # noqa: E402
from bot.config import load_settings  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402

FIRST_USER = 10_000
"""Telegram user ids of the benchmark's users (private chats have the same id)."""


async def run_bot(users: int, per_user: int, folder: str) -> float:
    fake = FakeTelegram().start()
    settings = load_settings(BOT_DATABASE_URL=f"sqlite+aiosqlite:///{folder}/bench.db")
    app = await open_app(settings)
    channel = TelegramChannel(
        app, fake.token, base_url=fake.base_url, rate_limits=False, poll_timeout=1
    )
    await channel.start()
    try:
        expected = push_all(
            lambda user, text: fake.message(FIRST_USER + user, text), users, per_user
        )
        seconds = await wait_answers(fake, expected)
        check(fake, users, per_user)
    finally:
        await channel.stop()
        await app.close()
        fake.stop()
    return expected / seconds


async def run_echo(users: int, per_user: int) -> float:
    fake = FakeTelegram().start()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    application = Application.builder().token(fake.token).base_url(fake.base_url).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        expected = push_all(
            lambda user, text: fake.message(FIRST_USER + user, text), users, per_user
        )
        seconds = await wait_answers(fake, expected)
        check(fake, users, per_user)
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        fake.stop()
    return expected / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--per-user", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bot_rate = asyncio.run(run_bot(args.users, args.per_user, folder))
    echo_rate = asyncio.run(run_echo(args.users, args.per_user))
    total = args.users * args.per_user
    print(f"{total:,} private updates from {args.users} users; every one answered exactly once")
    print(f"{'bot (router, handlers, SQLite)':<34} {bot_rate:>8.0f} updates/s")
    print(f"{'bare python-telegram-bot echo':<34} {echo_rate:>8.0f} updates/s")
    print(f"ratio bot/echo: {bot_rate / echo_rate:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
