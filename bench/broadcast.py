"""Benchmark: one announcement to 300 groups and 3,000 private chats under Telegram's limits;
then one to units whose members are half on Zalo, where there are no groups.

    python bench/broadcast.py [--groups 300] [--privates 3000] [--scale 3] [--database URL]
                              [--units 30] [--members 3000]

The fake Bot API server enforces Telegram's flood limits (30 messages/s overall, 20/min into a
group, 1/s into a private chat) with time running `--scale` times faster, answering 429 past
them. The outbox rows are written as /thongbao writes them; the dispatcher sends them through
the real Telegram channel. Prints messages delivered, lost, duplicated, 429 answers after the
first second, and the achieved rate as a share of the optimum the limits allow.

The second run goes through /thongbao itself: `--units` units with a Telegram group each and
`--members` members, every other one on Zalo only (no group reaches them: they hear
privately), one in ten of those also on Telegram (linked: the group reaches them, no private
copy). An admin announces to all; the dispatcher sends through the real Telegram and Zalo
channels to their fakes. Prints who should hear and did, lost, duplicated, and copies sent
where none was due (a Telegram member in private, a linked person twice).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on the import path, and bench/telegram.py would hide
# the `telegram` package: the project root takes its place.
sys.path[0] = str(ROOT)

from bench.databases import empty_database  # noqa: E402
from bot.app import App, open_app  # noqa: E402
from bot.channels.pacing import paced_limiter  # noqa: E402
from bot.channels.telegram import OVERALL_PER_SECOND as PACE  # noqa: E402
from bot.channels.telegram import TelegramChannel  # noqa: E402
from bot.channels.zalo import ZaloChannel  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.delivery import Sender  # noqa: E402
from bot.scheduler import Scheduler  # noqa: E402
from handlers.messages import Incoming  # noqa: E402
from storage import outbox  # noqa: E402
from storage.models import Account, Chat, Membership, Person, Unit  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402
from tests.fakes.zalo_api import FakeZalo  # noqa: E402

OVERALL_PER_SECOND = 30


async def fresh_app(url: str, **settings: str) -> App:
    await empty_database(url)
    return await open_app(load_settings(BOT_DATABASE_URL=url, **settings))


async def drain(app: App, scheduler: Scheduler, limit: float = 900) -> None:
    """Dispatch until every outbox row is sent (or `limit` seconds have passed)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        await scheduler.tick(datetime.now(UTC))
        async with app.db.transaction() as session:
            if all(row.status == "sent" for row in await outbox.rows(session)):
                return
        await asyncio.sleep(0.05)


async def run(url: str, groups: int, privates: int, scale: float) -> dict:
    app = await fresh_app(url)
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
        await drain(app, scheduler)
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


async def run_people(url: str, units: int, members: int, scale: float) -> dict:
    """An announcement to every unit through /thongbao, to members on two apps."""
    app = await fresh_app(url, BOT_ADMINS="console:admin")
    due: set[tuple[str, str]] = set()
    """(platform, chat id) that must get exactly one copy."""
    async with app.db.transaction() as session:
        rows = [Unit(code=f"U{n}", name=f"Đơn vị {n}", kind="department") for n in range(units)]
        session.add_all(rows)
        await session.flush()
        for n, unit in enumerate(rows):
            group = str(-(1_000_000 + n))
            session.add(Chat(platform="telegram", platform_chat_id=group, kind="group",
                             unit_id=unit.id))  # fmt: skip
            due.add(("telegram", group))
        for n in range(members):
            on_zalo, linked = n % 2 == 1, n % 20 == 1
            apps = (["zalo", "telegram"] if linked else ["zalo"]) if on_zalo else ["telegram"]
            person = Person(display_name=f"Người {n}", last_platform=apps[0])
            session.add(person)
            await session.flush()
            session.add(Membership(person_id=person.id, unit_id=rows[n % units].id, role="member"))
            for platform in apps:
                user = f"z{n}" if platform == "zalo" else str(3_000_000 + n)
                session.add(Account(platform=platform, platform_user_id=user, person=person))
                session.add(Chat(platform=platform, platform_chat_id=user, kind="private"))
            if on_zalo and not linked:
                due.add(("zalo", f"z{n}"))
    admin = Incoming(platform="console", user_id="admin", chat_id="admin", text="")
    for typed in ("/thongbao Chiều nay 15h họp toàn cơ quan", "1"):
        await app.router.handle(replace(admin, text=typed))
    telegram, zalo = FakeTelegram().start(), FakeZalo().start()
    telegram.limit_scale = scale
    to_telegram = TelegramChannel(
        app, telegram.token, base_url=telegram.base_url, rate_limiter=paced_limiter(PACE, scale)
    )
    to_zalo = ZaloChannel(app, zalo.token, base_url=zalo.base_url, sends_per_second=1e6)
    await to_telegram.connect()
    await to_zalo.connect()
    senders: dict[str, Sender] = {"telegram": to_telegram, "zalo": to_zalo}
    scheduler = Scheduler(app, senders=senders, concurrency=16, batch=200)
    started = time.monotonic()
    try:
        await drain(app, scheduler)
    finally:
        elapsed = time.monotonic() - started
        await to_telegram.application.shutdown()
        await to_zalo.stop()
        telegram.stop()
        zalo.stop()
        await app.close()
    got = Counter(
        ("telegram", str(c.params["chat_id"])) for c in telegram.sent() if "_result" in c.params
    )
    got += Counter(("zalo", str(c.params["chat_id"])) for c in zalo.sent())
    return {
        "due": len(due),
        "delivered": sum(1 for chat in due if got[chat] >= 1),
        "lost": sum(1 for chat in due if got[chat] == 0),
        "duplicated": sum(n - 1 for n in got.values() if n > 1),
        "undue": sum(n for chat, n in got.items() if chat not in due),
        "zalo": sum(1 for platform, _ in due if platform == "zalo"),
        "elapsed": elapsed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--privates", type=int, default=3000)
    parser.add_argument("--scale", type=float, default=3.0, help="time runs this much faster")
    parser.add_argument("--database", default=None, help="async URL (default: a new SQLite file)")
    parser.add_argument("--units", type=int, default=30, help="units of the second run")
    parser.add_argument("--members", type=int, default=3000, help="members of the second run")
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
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite+aiosqlite:///{folder}/people.db"
        people = asyncio.run(run_people(url, args.units, args.members, args.scale))
    print(f"announcement through /thongbao to {args.units} units, {args.members} members, half "
          f"on Zalo without groups ({people['zalo']} of them privately)")  # fmt: skip
    print(f"delivered {people['delivered']}/{people['due']}, lost {people['lost']}, "
          f"duplicated {people['duplicated']}, sent where none was due {people['undue']}, "
          f"in {people['elapsed']:.1f} s")  # fmt: skip
    failed = [r for r in (result, people) if r["lost"] or r["duplicated"] or r.get("undue")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
