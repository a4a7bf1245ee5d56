"""Two `python -m bot run` processes behind one webhook address, on PostgreSQL: every update
answered once and each chat's answers in order, whichever process got each update; a replay
sent to the other process is caught; a due reminder is sent once; the producers run in one
process only (the leader). Nothing is timed: the test waits for the answers (a webhook is
answered after its replies are sent) and for the fake Bot API to have the reminder."""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.app import open_app
from bot.config import load_settings
from tests.conftest import Clock, User
from tests.fakes.telegram_api import FakeTelegram
from tests.processes import HEADERS, message, start_bots

CHATS = 24
PER_CHAT = 4
ASKED = re.compile(r"/(c\d+m\d+)")
REMINDED = 90_001
"""The Telegram user (and private chat) whose reminder is due."""


async def reminder_due_a_minute_ago(database_url: str) -> None:
    """Set through the handlers, on a clock a few minutes back: when the bots start it is due
    and not yet sent."""
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    due = (datetime.now(UTC) - timedelta(minutes=1)).astimezone(zone).replace(second=0)
    clock = Clock((due - timedelta(minutes=3)).astimezone(UTC))
    settings = load_settings(BOT_DATABASE_URL=database_url, BOT_ADMINS=f"telegram:{REMINDED}")
    app = await open_app(settings, clock=clock)
    user = User(app, str(REMINDED), platform="telegram", name="Lan")
    await user.say("/start")
    answer = await user.say(f"/nhacnho {due.hour}h{due.minute:02d} Gọi điện cho Sở")
    await app.close()
    assert answer.startswith("Đã đặt nhắc việc #1"), answer


async def test_two_run_processes_answer_every_update_once_and_in_order(
    database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes share one database on PostgreSQL: SQLite is one file "
                    "with one writer, for one process (and a cron dispatch)")  # fmt: skip
    await reminder_due_a_minute_ago(database_url)
    fake = FakeTelegram().start()
    bots = start_bots(2, database_url, fake, tmp_path)
    try:
        async with httpx.AsyncClient(timeout=120) as client:

            async def chat(number: int) -> list[int]:
                """One chat's updates one after the other, as Telegram sends them, each to
                the next process in turn (a round-robin proxy); the statuses."""
                statuses = []
                for step in range(PER_CHAT):
                    update_id = number * 100 + step
                    body = message(update_id, 1000 + number, f"/c{number}m{step}")
                    target = bots[(number + step) % 2].url
                    statuses.append(
                        (await client.post(target, json=body, headers=HEADERS)).status_code
                    )
                return statuses

            results = await asyncio.gather(*(chat(n) for n in range(CHATS)))
            assert {s for statuses in results for s in statuses} == {200}
            replays = [  # Telegram resends when an answer was lost: to the other process
                client.post(bots[(n + 1) % 2].url, json=message(n * 100, 1000 + n, f"/c{n}m0"),
                            headers=HEADERS)
                for n in range(CHATS)
            ]  # fmt: skip
            assert {(await r).status_code for r in replays} == {200}
        reminders = await fake.wait_for(
            lambda: [c for c in fake.sent(REMINDED) if "Gọi điện cho Sở" in c.params["text"]],
            timeout=120,
        )
        logs = [bot.logged() for bot in bots]  # before the first to stop hands over
    finally:
        codes = [bot.stop() for bot in bots]
        fake.stop()
    assert codes == [0, 0]

    answered: dict[int, list[str]] = defaultdict(list)
    for call in fake.sent():
        found = ASKED.search(str(call.params.get("text", "")))
        if found:
            answered[int(call.params["chat_id"])].append(found.group(1))
    for number in range(CHATS):  # each once, in the order sent, across both processes
        assert answered[1000 + number] == [f"c{number}m{step}" for step in range(PER_CHAT)]
    assert len(reminders) == 1
    assert len([c for c in fake.sent(REMINDED) if "Gọi điện cho Sở" in c.params["text"]]) == 1
    leaders = [log for log in logs if "now runs the scheduler's producers" in log]
    assert len(leaders) == 1, [log[-1500:] for log in logs]
