"""Benchmark: several dispatchers on one outbox, as real processes: 0 lost, 0 duplicated?

    python bench/outbox_race.py [--messages 300] [--trials 3] [--database URL]

Two scenarios, each `--trials` times on a fresh database: two `python -m bot dispatch` (the
second starts once the first has sent some, so both hold claims at once), and `python -m bot
run` with a cron `python -m bot dispatch` started beside it. The messages are announcements
to Telegram groups; the fake Bot API server records every send and answers each after a short
delay, so each process spends seconds in its batches. Prints, per trial, what each process
delivered, the messages lost (not sent) and duplicated (a chat that got its message twice).
Without --database each trial uses a new SQLite file; with a PostgreSQL URL its public schema
is dropped and recreated for each trial.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # bench/telegram.py must not hide the `telegram` package

from bench.databases import empty_database  # noqa: E402
from bot.app import open_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from storage import outbox  # noqa: E402
from storage.models import Chat, Outbox  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402

SEND_DELAY = 0.02
"""Seconds the fake takes to answer each send: a batch of 50 takes a while."""
HEAD_START = 20
"""Sends the first process makes before the second one starts."""


async def fresh(url: str, messages: int) -> None:
    """A new schema (PostgreSQL) and `messages` announcements due now, one per group."""
    await empty_database(url)
    app = await open_app(load_settings(BOT_DATABASE_URL=url))
    now = datetime.now(UTC)
    async with app.db.transaction() as session:
        for n in range(messages):
            chat = Chat(platform="telegram", platform_chat_id=str(-10_000 - n), kind="group",
                        active=True)  # fmt: skip
            session.add(chat)
            await session.flush()
            await outbox.enqueue(session, chat_id=chat.id, kind="announce", text=f"Họp {n}",
                                 dedupe_key=f"race:{n}", due_at=now)  # fmt: skip
    await app.close()


async def statuses(url: str) -> Counter[str]:
    app = await open_app(load_settings(BOT_DATABASE_URL=url))
    async with app.db.transaction() as session:
        found = Counter(await session.scalars(select(Outbox.status)))
    await app.close()
    return found


def environment(url: str, fake: FakeTelegram) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_", "ZALO_"))}
    return {**keep, "BOT_DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url}  # fmt: skip


def wait_until(check: Callable[[], bool], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit("the dispatchers did not finish in time")
        time.sleep(0.02)


def delivered_by(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=300)
    if process.returncode != 0:
        raise SystemExit(f"a dispatcher failed: {err.strip()[-500:]}")
    digits = "".join(c for c in out if c.isdigit())
    return digits or "?"


def trial(url: str, messages: int, scenario: str, folder: Path) -> dict[str, str | int]:
    asyncio.run(fresh(url, messages))
    fake = FakeTelegram().start()
    fake.send_delay = SEND_DELAY
    env = environment(url, fake)
    first_command = ["dispatch"] if scenario == "dispatch + dispatch" else ["run"]

    def spawn(*command: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", *command],
            cwd=folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    try:
        first = spawn(*first_command)
        wait_until(lambda: len(fake.sent()) >= HEAD_START)
        second = spawn("dispatch")
        by_second = delivered_by(second)
        if first_command == ["run"]:
            wait_until(lambda: len(set(c.params["chat_id"] for c in fake.sent())) >= messages)
            first.send_signal(signal.SIGTERM)
            first.communicate(timeout=60)
            by_first = "the rest"
        else:
            by_first = delivered_by(first)
        time.sleep(0.5)  # would a late duplicate still come?
    finally:
        fake.stop()
    counts = Counter(str(call.params["chat_id"]) for call in fake.sent())
    states = asyncio.run(statuses(url))
    return {
        "first": by_first,
        "second": by_second,
        "lost": messages - len(counts) + sum(n for s, n in states.items() if s != "sent"),
        "duplicated": sum(n - 1 for n in counts.values()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--database", default=None, help="async URL (default: new SQLite files)")
    args = parser.parse_args()
    bad = 0
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for kind, scenario in enumerate(("dispatch + dispatch", "run + cron dispatch")):
            totals = Counter[str]()
            for number in range(1, args.trials + 1):
                url = args.database or f"sqlite+aiosqlite:///{folder}/race-{kind}-{number}.db"
                result = trial(url, args.messages, scenario, folder)
                totals.update(
                    {"lost": int(result["lost"]), "duplicated": int(result["duplicated"])}
                )
                print(f"{scenario} ({url.split(':')[0]}), trial {number}: first delivered "
                      f"{result['first']}, second {result['second']}; lost {result['lost']}, "
                      f"duplicated {result['duplicated']} of {args.messages}")  # fmt: skip
            print(f"{scenario}: {args.trials} trials of {args.messages} messages, lost "
                  f"{totals['lost']}, duplicated {totals['duplicated']}")  # fmt: skip
            bad += totals["lost"] + totals["duplicated"]
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
