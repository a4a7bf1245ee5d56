"""Benchmark: the whole bot on Telegram, against a bare python-telegram-bot echo bot, and its
answers while an announcement goes out.

    python bench/telegram.py [--users 200] [--per-user 10]
                             [--chats 3300] [--rate 10] [--seconds 20] [--latency 0.05]

Everything runs against the fake Bot API server of the tests (loopback), which enforces no
limit: the bot's own pacing is what is measured.

(a) Cost per message, pacing off (TELEGRAM_MAX_PER_SECOND=0). The bot gets 2,000 private
    updates from 200 users (commands and questions, each answered by one message) through
    router, handlers and an SQLite database; a bare python-telegram-bot echo bot gets the same
    updates from the same kind of fake and echoes them. The fake runs in a process of its own
    (bench/harness.py), as Telegram's servers are elsewhere: its work is not the bot's. Both
    poll alike (1 s long polls, no pause between them) and each answer is one sendMessage.
    Prints updates per second of both and their ratio, after checking that no update was lost
    or answered twice.

(b) Answers first, default pacing (29 messages/s). An announcement to `--chats` chats (a tenth
    of them groups) is written to the outbox as /thongbao writes it, and the bot's dispatcher
    starts sending it; once the first push is out, `--rate` new people a second write to the
    bot for `--seconds`. Each send takes `--latency` seconds to answer, as Telegram's do. Prints
    the time from each update to its answer reaching the API (p50, p95, max; the goal is a p95
    under 1 s) and how many answers and pushes went out in that window.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This file is named like the `telegram` package: keep its folder off the import path.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402
from telegram.ext import Application, ContextTypes, MessageHandler, filters  # noqa: E402

from bench.harness import MESSAGES, TelegramApi, api_elsewhere, check, push_all, wait_answers  # noqa: E402
from bot.app import open_app, utc_now  # noqa: E402
from bot.channels.telegram import TelegramChannel  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.scheduler import Scheduler  # noqa: E402
from handlers.messages import Reply, Safe  # noqa: E402
from storage import outbox  # noqa: E402
from storage.models import Chat  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402

FIRST_USER = 10_000
"""Telegram user ids of the benchmark's users (private chats have the same id)."""
FIRST_PRIVATE, FIRST_GROUP = 2_000_000, -1_000_000
"""Chat ids of the announcement's private chats and groups: apart from the users'."""


async def run_bot(fake: Any, users: int, per_user: int, folder: str) -> float:
    settings = load_settings(
        BOT_DATABASE_URL=f"sqlite+aiosqlite:///{folder}/bench.db", TELEGRAM_MAX_PER_SECOND="0"
    )
    app = await open_app(settings)
    channel = TelegramChannel(
        app,
        fake.token,
        base_url=fake.base_url,
        max_per_second=settings.telegram_max_per_second,
        poll_timeout=1,
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
    return expected / seconds


async def run_echo(fake: Any, users: int, per_user: int) -> float:

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
    return expected / seconds


async def run_mixed(chats: int, rate: float, seconds: float, latency: float, folder: str) -> dict:
    """Answers to people while the dispatcher sends an announcement, default pacing."""
    fake = FakeTelegram().start()
    fake.send_delay = latency
    settings = load_settings(BOT_DATABASE_URL=f"sqlite+aiosqlite:///{folder}/mixed.db")
    app = await open_app(settings)
    groups = chats // 10  # an announcement reaches units' groups and members' private chats
    ids = [FIRST_GROUP - n for n in range(groups)] + [
        FIRST_PRIVATE + n for n in range(chats - groups)
    ]
    announcement = Reply(Safe("📣 <b>Thông báo</b>: Chiều nay 15h họp toàn cơ quan")).to_json()
    now = datetime.now(UTC)
    async with app.db.transaction() as session:
        rows = [
            Chat(platform="telegram", platform_chat_id=str(i), kind="group" if i < 0 else "private")
            for i in ids
        ]
        session.add_all(rows)
        await session.flush()
        for chat in rows:
            await outbox.enqueue(session, chat_id=chat.id, kind="announce", message=announcement,
                                 dedupe_key=f"bench:{chat.id}", due_at=now)  # fmt: skip
    channel = TelegramChannel(
        app,
        fake.token,
        base_url=fake.base_url,
        max_per_second=settings.telegram_max_per_second,
        poll_timeout=1,
    )
    await channel.start()
    stop = asyncio.Event()
    dispatcher = Scheduler(app, senders={"telegram": channel})
    pushing = asyncio.create_task(dispatcher.run(stop, utc_now))
    pushes = set(ids)
    written: dict[int, float] = {}
    try:
        if pushes:  # the window opens once the announcement is going out
            await fake.wait_for(
                lambda: any(int(c.params["chat_id"]) in pushes for c in fake.sent()), timeout=60
            )
        window = time.monotonic()
        count = int(rate * seconds)
        for n in range(count):
            delay = window + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            written[FIRST_USER + n] = time.monotonic()
            fake.message(FIRST_USER + n, MESSAGES[n % len(MESSAGES)])
        await fake.wait_for(lambda: all(fake.sent(user) for user in written), timeout=120)
        ended = time.monotonic()
    finally:
        stop.set()
        pushing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pushing
        await channel.stop()
        await app.close()
        fake.stop()
    sends = [c for c in fake.sent() if window <= c.at <= ended]
    waits = sorted(fake.sent(user)[0].at - at for user, at in written.items())
    return {
        "updates": len(written),
        "p50": statistics.median(waits),
        "p95": waits[math.ceil(len(waits) * 0.95) - 1],
        "max": waits[-1],
        "answers": sum(1 for c in sends if int(c.params["chat_id"]) not in pushes),
        "pushes": sum(1 for c in sends if int(c.params["chat_id"]) in pushes),
        "window": ended - window,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument("--chats", type=int, default=3300, help="the announcement's chats")
    parser.add_argument("--rate", type=float, default=10.0, help="updates per second in (b)")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long (b) writes")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds each send takes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, api_elsewhere(TelegramApi) as fake:
        bot_rate = asyncio.run(run_bot(fake, args.users, args.per_user, folder))
    with api_elsewhere(TelegramApi) as fake:
        echo_rate = asyncio.run(run_echo(fake, args.users, args.per_user))
    mixed = {}
    for chats in (0, args.chats):
        with tempfile.TemporaryDirectory() as folder:
            mixed[chats] = asyncio.run(
                run_mixed(chats, args.rate, args.seconds, args.latency, folder)
            )
    total = args.users * args.per_user
    print(f"(a) pacing off: {total:,} private updates from {args.users} users; "
          "every one answered exactly once")  # fmt: skip
    print(f"{'bot (router, handlers, SQLite)':<34} {bot_rate:>8.0f} updates/s")
    print(f"{'bare python-telegram-bot echo':<34} {echo_rate:>8.0f} updates/s")
    print(f"ratio bot/echo: {bot_rate / echo_rate:.2f}")
    print(f"(b) default pacing (29/s), {args.rate:g} updates/s for {args.seconds:g} s, "
          f"each send answered in {args.latency:g} s")  # fmt: skip
    for chats, run in mixed.items():
        during = f"an announcement to {chats:,} chats going out" if chats else "nothing else"
        print(f"{'with ' + during:<50} answer time p50 {run['p50']:.2f} s, "
              f"p95 {run['p95']:.2f} s, max {run['max']:.2f} s; sent {run['answers']} answers "
              f"and {run['pushes']} pushes in {run['window']:.1f} s")  # fmt: skip
    ratio = mixed[args.chats]["p95"] / mixed[0]["p95"]
    print(f"p95 during the announcement: {mixed[args.chats]['p95']:.2f} s "
          f"({ratio:.1f}× the quiet p95; goal under 1 s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
