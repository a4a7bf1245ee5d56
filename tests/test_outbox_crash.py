"""Exactly once across a crash: the dispatcher is killed (SIGKILL) in the middle of a batch."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from bot.app import open_app
from bot.config import load_settings
from storage import outbox
from storage.models import Chat, Outbox
from tests.conftest import bot_environment
from tests.fakes.telegram_api import FakeTelegram

ROWS = 40


async def test_a_killed_dispatcher_resumes_without_sending_twice(
    database_url: str, tmp_path: Path
) -> None:
    settings = load_settings(BOT_DATABASE_URL=database_url)
    app = await open_app(settings)
    now = datetime.now(UTC)
    async with app.db.transaction() as session:
        for n in range(ROWS):
            chat = Chat(
                platform="telegram", platform_chat_id=str(-1000 - n), kind="group", active=True
            )
            session.add(chat)
            await session.flush()
            await outbox.enqueue(session, chat_id=chat.id, kind="announce", text=f"Thông báo {n}",
                                 dedupe_key=f"test:{n}", due_at=now)  # fmt: skip
    fake = FakeTelegram().start()
    fake.hold_after = 12  # the 13th send and those after it hang: the batch is surely unfinished
    env = bot_environment(database_url, TELEGRAM_BOT_TOKEN=fake.token,
                          TELEGRAM_API_BASE_URL=fake.base_url)  # fmt: skip
    try:
        first = subprocess.Popen([sys.executable, "-m", "bot", "dispatch"], cwd=tmp_path, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        assert fake.wait_held(1), "the dispatcher never got past 12 sends"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        fake.hold_after = None
        fake.release()
        async with app.db.transaction() as session:
            states = {r.chat_id: r.status for r in await session.scalars(select(Outbox))}
        left = {"pending", "claimed"} & set(states.values())
        assert "sent" in states.values() and left  # killed in the middle of the batch
        before = Counter(int(c.params["chat_id"]) for c in fake.sent())
        async with app.db.transaction() as session:  # the dead process's lease runs out
            await session.execute(
                update(Outbox)
                .where(Outbox.status.in_(("claimed", "sending")))
                .values(claimed_at=datetime.now(UTC) - outbox.LEASE - timedelta(seconds=1))
            )
        second = subprocess.run([sys.executable, "-m", "bot", "dispatch"], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=120)  # fmt: skip
        assert second.returncode == 0, second.stderr
    finally:
        fake.stop()
    async with app.db.transaction() as session:
        chats = {c.id: int(c.platform_chat_id) for c in await session.scalars(select(Chat))}
        final = {r.chat_id: r.status for r in await session.scalars(select(Outbox))}
    await app.close()
    counts = Counter(int(c.params["chat_id"]) for c in fake.sent())
    assert set(final.values()) == {"sent"}  # nothing due is lost
    for chat_id, state in states.items():
        received = counts[chats[chat_id]]
        if state in ("sent", "pending", "claimed"):
            assert received == 1, (state, received)  # exactly once: marked sent, or never sent
        else:  # in flight when killed: Telegram may have it already, so at most twice
            assert 1 <= received <= 2
    in_flight = [c for c, s in states.items() if s == "sending"]
    assert sum(counts.values()) - ROWS <= len(in_flight)
    assert sum(before.values()) >= 12
