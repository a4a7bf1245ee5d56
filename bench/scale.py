"""Benchmark: 1, 2 and 4 `python -m bot run` processes on one PostgreSQL database, behind a
round-robin "proxy", and one of them killed mid-run.

    python bench/scale.py --database postgresql+asyncpg://postgres@127.0.0.1:5432/NAME
        [--chats 150] [--per-chat 4] [--connections 40] [--max-per-second 1000]

For each number of processes, on a fresh schema: the processes start in webhook mode against
the fake Bot API (tests/fakes/), then every chat sends its updates one after the other (as
Telegram does: a chat's next update after the answer to the previous one), many chats at once
(at most --connections requests in flight, Telegram's max_connections), each request to the
next process in turn. A webhook is answered once its replies are sent, so the latency of an
update is the time from its post to its answer. Printed: throughput (updates/s), p95 latency,
lost (an update whose reply never reached the fake) and doubled (a reply sent twice), and the
ratio of 2 and 4 processes to 1, measured in the same run.

Then 4 processes again, and the leader (the one running the scheduler's producers) is killed
with SIGKILL once a third of the updates are answered: its requests in flight fail, and are
posted again to the next process, as Telegram retries. Printed: lost, doubled, how many
requests were in flight in the killed process, and how long until another process led.

The pacing of Telegram sends is per process (29 a second by default): --max-per-second is
passed as TELEGRAM_MAX_PER_SECOND when the bot has that setting, so that the figures measure
the processes and the database rather than the pacing.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # bench/telegram.py must not hide the `telegram` package

from bench.databases import empty_database  # noqa: E402
from bot.config import Settings  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402
from tests.processes import HEADERS, Bot, message, start_bots  # noqa: E402

TAG = re.compile(r"/(c\d+m\d+)")
LEADS = "now runs the scheduler's producers"


@dataclass
class Run:
    """What one run measured."""

    processes: int
    chats: int
    per_chat: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    lost: int = 0
    doubled: int = 0
    retried: int = 0
    in_flight_at_kill: int = 0
    lost_in_flight: int = 0
    takeover: float | None = None

    @property
    def updates(self) -> int:
        return self.chats * self.per_chat

    @property
    def throughput(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0


async def post_all(
    bots: list[Bot],
    chats: int,
    per_chat: int,
    connections: int,
    run: Run,
    kill_after: int | None = None,
) -> tuple[set[str], set[str]]:
    """Every chat's updates in order, the chats at once; each request to the next live
    process. Returns the tags answered and the tags in flight in the killed process."""
    turn = itertools.count()
    alive = list(bots)
    gate = asyncio.Semaphore(connections)
    answered: set[str] = set()
    in_flight: dict[int, set[str]] = {id(bot): set() for bot in bots}
    killed: set[str] = set()
    done = 0
    kill_lock = asyncio.Lock()

    async def maybe_kill() -> None:
        nonlocal kill_after
        if kill_after is None or done < kill_after:
            return
        async with kill_lock:
            if kill_after is None:
                return
            kill_after = None
            victim = next((b for b in alive if LEADS in b.logged()), alive[0])
            killed.update(in_flight[id(victim)])
            run.in_flight_at_kill = len(in_flight[id(victim)])
            alive.remove(victim)
            started = time.monotonic()
            victim.kill()
            asyncio.get_running_loop().create_task(watch_takeover(started))

    async def watch_takeover(started: float) -> None:
        while time.monotonic() - started < 120:
            if any(LEADS in bot.logged() for bot in alive):
                run.takeover = time.monotonic() - started
                return
            await asyncio.sleep(0.05)

    async def send(client: httpx.AsyncClient, body: dict, tag: str) -> None:
        nonlocal done
        first = time.monotonic()
        while True:
            bot = alive[next(turn) % len(alive)]
            in_flight[id(bot)].add(tag)
            try:
                async with gate:
                    answer = await client.post(bot.url, json=body, headers=HEADERS)
                if answer.status_code == 200:
                    break
            except httpx.TransportError:
                pass  # the process died with the request: Telegram posts it again
            finally:
                in_flight[id(bot)].discard(tag)
            run.retried += 1
            await asyncio.sleep(0.05)
        run.latencies.append(time.monotonic() - first)
        answered.add(tag)
        done += 1
        await maybe_kill()

    async def chat(client: httpx.AsyncClient, number: int) -> None:
        for step in range(per_chat):
            tag = f"c{number}m{step}"
            await send(client, message(number * 1000 + step + 1, 10_000 + number, f"/{tag}"), tag)

    limits = httpx.Limits(max_connections=connections * 2, max_keepalive_connections=connections)
    async with httpx.AsyncClient(timeout=300, limits=limits) as client:
        started = time.monotonic()
        await asyncio.gather(*(chat(client, n) for n in range(chats)))
        run.seconds = time.monotonic() - started
        deadline = time.monotonic() + 120
        while run.in_flight_at_kill and run.takeover is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    return answered, killed


def count_replies(fake: FakeTelegram, run: Run, killed: set[str]) -> None:
    replies = Counter(
        found.group(1)
        for call in fake.sent()
        if (found := TAG.search(str(call.params.get("text", ""))))
    )
    expected = {f"c{n}m{s}" for n in range(run.chats) for s in range(run.per_chat)}
    lost = expected - set(replies)
    run.lost = len(lost)
    run.lost_in_flight = len(lost & killed)
    run.doubled = sum(n - 1 for n in replies.values() if n > 1)


def measure(url: str, processes: int, args: argparse.Namespace, *, kill: bool = False) -> Run:
    asyncio.run(empty_database(url))
    fake = FakeTelegram().start()
    assert fake._server is not None  # a killed bot's connections reset: not worth a traceback
    fake._server.handle_error = lambda *_: None  # type: ignore[method-assign]  # quiet: killed clients' broken pipes are expected here
    extra = {}
    if "TELEGRAM_MAX_PER_SECOND" in {f.alias for f in Settings.model_fields.values()}:
        extra["TELEGRAM_MAX_PER_SECOND"] = str(args.max_per_second)
    run = Run(processes, args.chats, args.per_chat)
    with tempfile.TemporaryDirectory() as folder:
        bots = start_bots(processes, url, fake, Path(folder), **extra)
        try:
            asyncio.run(warm_up(bots))
            kill_after = run.updates // 3 if kill else None
            _, killed = asyncio.run(
                post_all(bots, args.chats, args.per_chat, args.connections, run, kill_after)
            )
        finally:
            for bot in bots:
                bot.stop()
            fake.stop()
    count_replies(fake, run, killed)
    return run


async def warm_up(bots: list[Bot]) -> None:
    """One update per process, not counted: the first one of a process loads what it needs."""
    async with httpx.AsyncClient(timeout=300) as client:
        for number, bot in enumerate(bots):
            body = message(900_000 + number, 900 + number, "/trogiup")
            await client.post(bot.url, json=body, headers=HEADERS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="postgresql+asyncpg://… (dropped!)")
    parser.add_argument("--chats", type=int, default=150)
    parser.add_argument("--per-chat", type=int, default=4)
    parser.add_argument("--connections", type=int, default=40)
    parser.add_argument("--max-per-second", type=float, default=1000)
    args = parser.parse_args()
    if not args.database.startswith("postgresql"):
        raise SystemExit(
            "several processes need PostgreSQL: give --database postgresql+asyncpg://…"
        )
    paced = "TELEGRAM_MAX_PER_SECOND" in {f.alias for f in Settings.model_fields.values()}
    print(f"{args.chats} chats × {args.per_chat} updates, {args.connections} requests in flight; "
          + (f"pacing {args.max_per_second:g}/s per process" if paced
             else "pacing: this build's default (29 sends/s per process, no setting)"))  # fmt: skip
    one, five, fifteen = os.getloadavg()
    print(f"load average before: {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores")
    runs = {}
    bad = 0
    for processes in (1, 2, 4):
        run = measure(args.database, processes, args)
        runs[processes] = run
        name = f"{processes} process{'es' if processes > 1 else ''}"
        print(f"{name}: {run.throughput:6.1f} updates/s, p95 {run.p95 * 1000:6.0f} ms, "
              f"lost {run.lost}, doubled {run.doubled}")  # fmt: skip
        bad += run.lost + run.doubled
    base = runs[1].throughput
    print(f"ratio to 1 process: 2 → {runs[2].throughput / base:.2f}, "
          f"4 → {runs[4].throughput / base:.2f}")  # fmt: skip
    run = measure(args.database, 4, args, kill=True)
    takeover = f"{run.takeover:.1f} s" if run.takeover is not None else "not seen"
    print(f"4 processes, the leader killed (SIGKILL) after {run.updates // 3} answers: "
          f"{run.throughput:.1f} updates/s, lost {run.lost} (of them in flight in the killed "
          f"process: {run.lost_in_flight}), doubled {run.doubled}; {run.in_flight_at_kill} "
          f"requests were in flight there, {run.retried} posted again; another process led "
          f"after {takeover}")  # fmt: skip
    bad += run.lost - run.lost_in_flight + run.doubled
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
