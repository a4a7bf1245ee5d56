"""Benchmark: 1,000 members press "Đăng ký tham gia" for an activity of 100 places at once.

    python bench/signup.py [--database-url URL] [--members 1000] [--places 100]
                           [--chunk 100] [--withdrawals 50]

Runs on a fresh SQLite file, then on the database given (PostgreSQL:
postgresql+asyncpg://user@host/db; its public schema is dropped first). Each run: a unit of
`--members` members (known Telegram users with their private chats), an activity with
`--places` places put on by an admin through /hoatdong (and announced to them all); then every
member presses the announcement's button, as the channels hand presses to the router: many at
once (`asyncio.gather` over chunks of `--chunk`), each with its own update id, on PostgreSQL in
as many concurrent transactions as the pool gives. The baseline, measured in the same run the
same way: every member sends /trogiup.

Prints the time all presses took, confirmed, waitlisted, oversold (confirmed past the places:
must be 0), double sign-ups (a person with two rows, or told twice that they are in: must be
0), waitlist places given twice or skipped, and the p95 reply time against the baseline's. Then
`--withdrawals` confirmed members press again at once: the waitlist must move up by exactly
that many, the first in line first, each told privately (an outbox notice each).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on the import path, and bench/telegram.py would hide
# the `telegram` package: the project root takes its place.
sys.path[0] = str(ROOT)

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from bench.databases import empty_database  # noqa: E402
from bot.app import App, open_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from handlers.messages import Incoming, Reply  # noqa: E402
from storage.models import (  # noqa: E402
    Account,
    Activity,
    Chat,
    Membership,
    Outbox,
    Person,
    Signup,
    Unit,
)

ADMIN = "9000"
FIRST_MEMBER = 100_000
WAITING = re.compile(r"danh sách chờ, thứ (\d+)")


async def fresh_app(url: str) -> App:
    await empty_database(url)
    return await open_app(load_settings(BOT_DATABASE_URL=url, BOT_ADMINS=f"telegram:{ADMIN}"))


class Presses:
    """Telegram users talking to the router, each update with an id of its own."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.update_id = 0

    async def handle(self, user: str, text: str = "", payload: str | None = None) -> list[Reply]:
        self.update_id += 1
        return await self.app.router.handle(
            Incoming(platform="telegram", user_id=user, chat_id=user, text=text, payload=payload,
                     user_name=f"Người {user}", update_id=str(self.update_id))
        )  # fmt: skip

    async def timed(
        self, user: str, text: str = "", payload: str | None = None
    ) -> tuple[str, float]:
        started = time.perf_counter()
        replies = await self.handle(user, text, payload)
        return "\n".join(r.text for r in replies), time.perf_counter() - started


async def members(app: App, count: int) -> list[str]:
    """A unit and `count` members who have written to the bot before (accounts, private chats)."""
    async with app.db.transaction() as session:
        unit = Unit(code="CD", name="Công đoàn cơ sở", kind="union")
        session.add(unit)
        await session.flush()
        users = [str(FIRST_MEMBER + n) for n in range(count)]
        for user in users:
            person = Person(display_name=f"Người {user}", last_platform="telegram")
            session.add(person)
            session.add(Account(platform="telegram", platform_user_id=user, person=person))
            session.add(Chat(platform="telegram", platform_chat_id=user, kind="private"))
            session.add(Membership(person=person, unit_id=unit.id, role="member"))
    return users


async def in_chunks(
    users: list[str], chunk: int, one: Callable[[str], Awaitable[tuple[str, float]]]
) -> tuple[list[tuple[str, float]], float]:
    """Everyone's `one`, `chunk` at a time at once: the answers, their times, and the total."""
    started = time.perf_counter()
    results: list[tuple[str, float]] = []
    for start in range(0, len(users), chunk):
        results += await asyncio.gather(*(one(u) for u in users[start : start + chunk]))
    return results, time.perf_counter() - started


async def statuses(session: AsyncSession) -> dict[str, int]:
    """Sign-ups by status."""
    query = select(Signup.status, func.count()).group_by(Signup.status)
    return {status: int(n) for status, n in (await session.execute(query)).all()}


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


async def run(url: str, count: int, places: int, chunk: int, withdrawals: int) -> bool:
    app = await fresh_app(url)
    try:
        presses = Presses(app)
        users = await members(app, count)
        await presses.handle(ADMIN, "/start")
        day = (datetime.now(UTC) + timedelta(days=14)).strftime("%d/%m/%Y")
        line = f"/hoatdong them Hiến máu nhân đạo; 7h {day}; Hội trường; {places}; @CD"
        asked = "\n".join(r.text for r in await presses.handle(ADMIN, line))
        if "Tạo hoạt động" not in asked:
            raise SystemExit(f"the activity was refused: {asked}")
        created = "\n".join(r.text for r in await presses.handle(ADMIN, "1"))
        number = re.search(r"số (\d+)", created)
        if number is None:
            raise SystemExit(f"no activity was created: {created}")
        payload = f"act:join:{number.group(1)}"

        baseline, baseline_s = await in_chunks(users, chunk, lambda u: presses.timed(u, "/trogiup"))
        joined, joined_s = await in_chunks(
            users, chunk, lambda u: presses.timed(u, payload=payload)
        )
        told_in = sum("✅ Bạn đã đăng ký" in reply for reply, _ in joined)
        positions = Counter(int(m.group(1)) for r, _ in joined if (m := WAITING.search(r)))
        async with app.db.transaction() as session:
            status = await statuses(session)
            doubled_rows = await session.scalar(
                select(func.count()).select_from(
                    select(Signup.person_id).group_by(Signup.activity_id, Signup.person_id)
                    .having(func.count() > 1).subquery()
                )
            )  # fmt: skip
            capacity = await session.scalar(select(Activity.capacity))
        confirmed, waiting = status.get("confirmed", 0), status.get("waitlist", 0)
        oversold = max(0, confirmed - (capacity or 0))
        doubles = int(doubled_rows or 0) + max(0, told_in - confirmed)
        bad_line = sum(n - 1 for n in positions.values() if n > 1) + (
            len(positions) - (max(positions) if positions else 0)
        )
        base95, join95 = p95([t for _, t in baseline]), p95([t for _, t in joined])
        print(f"  {count} presses in {joined_s:.2f} s ({count / joined_s:.0f}/s, chunks of {chunk})"
              f"; baseline {count} × /trogiup in {baseline_s:.2f} s")  # fmt: skip
        print(f"  confirmed {confirmed}, waitlisted {waiting}, oversold {oversold}, "
              f"double sign-ups {doubles}, "
              f"waitlist places given twice or skipped {bad_line}")  # fmt: skip
        print(f"  p95 reply {join95 * 1000:.1f} ms (baseline /trogiup {base95 * 1000:.1f} ms, "
              f"ratio {join95 / base95:.2f}); throughput ratio "
              f"{(count / joined_s) / (count / baseline_s):.2f}")  # fmt: skip

        # Withdrawals: the first `withdrawals` who got a place press again, at once.
        async with app.db.transaction() as session:
            line_before = list(
                await session.scalars(
                    select(Signup.person_id).where(Signup.status == "waitlist")
                    .order_by(Signup.queued_at, Signup.id)
                )
            )  # fmt: skip
        leaving = [u for u, (r, _) in zip(users, joined, strict=True) if "✅" in r][:withdrawals]
        left, left_s = await in_chunks(leaving, chunk, lambda u: presses.timed(u, payload=payload))
        async with app.db.transaction() as session:
            moved = list(
                await session.scalars(
                    select(Signup.person_id).where(
                        Signup.status == "confirmed", Signup.person_id.in_(line_before)
                    )
                )
            )
            status = await statuses(session)
            notices = await session.scalar(
                select(func.count()).where(Outbox.text.like("%Đã có chỗ cho bạn%"))
            )
        in_order = sorted(moved) == sorted(line_before[: len(moved)])
        withdrawn = sum("Bạn đã rút" in r for r, _ in left)
        print(f"  {withdrawn} withdrawals in {left_s:.2f} s: moved up {len(moved)} "
              f"(the first in line: {'yes' if in_order else 'NO'}), told {notices}; now confirmed "
              f"{status.get('confirmed', 0)}, waitlisted {status.get('waitlist', 0)}")  # fmt: skip
        return (
            oversold == 0
            and doubles == 0
            and bad_line == 0
            and confirmed == min(places, count)
            and len(moved) == withdrawn == min(withdrawals, len(line_before))
            and in_order
            and notices == len(moved)
        )
    finally:
        await app.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a second database to run on (PostgreSQL)")
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--places", type=int, default=100)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--withdrawals", type=int, default=50)
    args = parser.parse_args()
    good = True
    with tempfile.TemporaryDirectory() as folder:
        urls = [f"sqlite+aiosqlite:///{folder}/signup.db"]
        if args.database_url:
            urls.append(args.database_url)
        for url in urls:
            print(url.split(":", 1)[0].split("+", 1)[0])
            good = asyncio.run(run(url, args.members, args.places, args.chunk,
                                   args.withdrawals)) and good  # fmt: skip
    print("ok" if good else "FAILED")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
