"""Benchmark: one announcement to 300 groups and 3,000 private chats under Telegram's limits.

    python bench/broadcast.py [--groups 300] [--privates 3000] [--scale 3] [--database URL]

The fake Bot API server enforces Telegram's flood limits (30 messages/s overall, 20/min into a
group, 1/s into a private chat) with time running `--scale` times faster, answering 429 past
them. The outbox rows are written as /thongbao writes them; the dispatcher sends them through
the real Telegram channel. Prints messages delivered, lost, duplicated, 429 answers after the
first second, and the achieved rate as a share of the optimum the limits allow.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on the import path, and bench/telegram.py would hide
# the `telegram` package: the project root takes its place.
sys.path[0] = str(ROOT)

from bot.app import open_app  # noqa: E402
from bot.channels.pacing import paced_limiter  # noqa: E402
from bot.channels.telegram import OVERALL_PER_SECOND as PACE  # noqa: E402
from bot.channels.telegram import TelegramChannel  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.scheduler import Scheduler  # noqa: E402
from storage import outbox  # noqa: E402
from storage.models import Chat  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402

OVERALL_PER_SECOND = 30


async def run(url: str, groups: int, privates: int, scale: float) -> dict:
    settings = load_settings(BOT_DATABASE_URL=url)
    if url.startswith("postgresql"):
        from storage.db import Database

        reset = Database(url)
        async with reset.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await reset.close()
    app = await open_app(settings)
    now = datetime.now(UTC)
    async with app.db.transaction() as session:
        ids = [-(1_000_000 + n) for n in range(groups)] + [2_000_000 + n for n in range(privates)]
        chats = [
            Chat(platform="telegram", platform_chat_id=str(i), kind="group" if i < 0 else "private")
            for i in ids
        ]
        session.add_all(chats)
        await session.flush()
        for chat in chats:
            await outbox.enqueue(session, chat_id=chat.id, kind="announce",
                                 text="📣 <b>Thông báo</b>: Chiều nay 15h họp toàn cơ quan",
                                 dedupe_key=f"bench:{chat.id}", due_at=now)  # fmt: skip
    fake = FakeTelegram().start()
    fake.limit_scale = scale
    channel = TelegramChannel(
        app, fake.token, base_url=fake.base_url, rate_limiter=paced_limiter(PACE, scale)
    )
    await channel.connect()
    scheduler = Scheduler(app, senders={"telegram": channel}, concurrency=16, batch=200)
    started = time.monotonic()
    try:
        while True:
            await scheduler.tick(datetime.now(UTC))
            async with app.db.transaction() as session:
                left = [r for r in await outbox.rows(session) if r.status != "sent"]
            if not left or time.monotonic() - started > 900:
                break
            await asyncio.sleep(0.05)
    finally:
        elapsed = time.monotonic() - started
        await channel.application.shutdown()
        fake.stop()
        await app.close()
    counts = Counter(int(c.params["chat_id"]) for c in fake.sent() if "_result" in c.params)
    total = groups + privates
    return {
        "delivered": sum(1 for i in ids if counts[i] >= 1),
        "lost": sum(1 for i in ids if counts[i] == 0),
        "duplicated": sum(n - 1 for n in counts.values() if n > 1),
        "late_429": sum(1 for t in fake.too_many if t - started > 1.0),
        "elapsed": elapsed,
        "optimum": total / (OVERALL_PER_SECOND * scale),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--privates", type=int, default=3000)
    parser.add_argument("--scale", type=float, default=3.0, help="time runs this much faster")
    parser.add_argument("--database", default=None, help="async URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite+aiosqlite:///{folder}/broadcast.db"
        result = asyncio.run(run(url, args.groups, args.privates, args.scale))
    total = args.groups + args.privates
    print(f"announcement to {args.groups} groups and {args.privates} private chats "
          f"(limits ×{args.scale:g}, {url.split(':')[0]})")  # fmt: skip
    print(f"delivered {result['delivered']}/{total}, lost {result['lost']}, "
          f"duplicated {result['duplicated']}, "
          f"429 after the first second {result['late_429']}")  # fmt: skip
    print(f"took {result['elapsed']:.1f} s, the limits allow {result['optimum']:.1f} s: "
          f"rate ratio {result['optimum'] / result['elapsed']:.2f} of the optimum")  # fmt: skip
    return 0 if result["lost"] == 0 and result["duplicated"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
