"""Benchmark: the whole bot on Zalo against a bare httpx echo loop, both polling the fake.

    python bench/zalo.py [--users 100] [--per-user 10]

Zalo's getUpdates hands out one update per call and may hand it out again; the fake server of
the tests does both (every update twice here). The bot gets 1,000 private updates from 100
users (commands and questions) through its channel, router, handlers and an SQLite database;
the echo loop polls the same way, drops repeats by message id in memory and echoes. The fake
runs in a process of its own (bench/harness.py), as Zalo's servers are elsewhere. Sending is
unpaced in both (the bot's ten messages a second is a choice about Zalo, not a cost of the
code). Prints updates per second of both, their ratio, and checks that every update was
answered exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.harness import ZaloApi, api_elsewhere, check, push_all, wait_answers  # noqa: E402
from bot.app import open_app  # noqa: E402
from bot.channels.zalo import ZaloChannel  # noqa: E402
from bot.config import load_settings  # noqa: E402


async def run_bot(fake: Any, users: int, per_user: int, folder: str) -> float:
    settings = load_settings(BOT_DATABASE_URL=f"sqlite+aiosqlite:///{folder}/bench.db")
    app = await open_app(settings)
    channel = ZaloChannel(app, fake.token, base_url=fake.base_url, poll_timeout=1,
                          idle_gap=0.01, sends_per_second=1e6)  # fmt: skip
    await channel.start()
    try:
        expected = push_all(lambda user, text: fake.message(f"u{user}", text), users, per_user)
        seconds = await wait_answers(fake, expected)
        check(fake, users, per_user)
    finally:
        await channel.stop()
        await app.close()
    return expected / seconds


async def run_echo(fake: Any, users: int, per_user: int) -> float:
    base = f"{fake.base_url}/bot{fake.token}"
    stop = asyncio.Event()

    async def echo() -> None:
        seen: set[str] = set()
        async with httpx.AsyncClient(timeout=10) as client:
            while not stop.is_set():
                body = (await client.post(f"{base}/getUpdates", json={"timeout": "1"})).json()
                if not body.get("ok"):
                    await asyncio.sleep(0.01)
                    continue
                message = body["result"]["message"]
                if message["message_id"] in seen:
                    continue
                seen.add(message["message_id"])
                answer = {"chat_id": message["chat"]["id"], "text": message["text"]}
                await client.post(f"{base}/sendMessage", json=answer)

    task = asyncio.create_task(echo())
    try:
        expected = push_all(lambda user, text: fake.message(f"u{user}", text), users, per_user)
        seconds = await wait_answers(fake, expected)
        check(fake, users, per_user)
    finally:
        stop.set()
        await task
    return expected / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--per-user", type=int, default=10)
    args = parser.parse_args()
    twice = {"replay_all": True}  # as Zalo may: every update handed out twice
    with tempfile.TemporaryDirectory() as folder, api_elsewhere(ZaloApi, **twice) as fake:
        bot_rate = asyncio.run(run_bot(fake, args.users, args.per_user, folder))
    with api_elsewhere(ZaloApi, **twice) as fake:
        echo_rate = asyncio.run(run_echo(fake, args.users, args.per_user))
    total = args.users * args.per_user
    print(f"{total:,} private updates from {args.users} users, each handed out twice by the API;")
    print("every one answered exactly once")
    print(f"{'bot (channel, router, handlers, SQLite)':<40} {bot_rate:>8.0f} updates/s")
    print(f"{'bare httpx echo loop':<40} {echo_rate:>8.0f} updates/s")
    print(f"{'ratio (bot / echo)':<40} {bot_rate / echo_rate:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
