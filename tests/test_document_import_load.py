"""A long document is parsed off the event loop and outside the database transaction: while
it is being read, other people's messages are answered; above the size limit it is refused
politely and nothing is stored."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from bot.app import App
from campaign.document import MAX_TEXT_CHARS, Document
from campaign.facts import Facts
from handlers.documents import import_document, read_document
from storage import campaigns
from tests.conftest import CAMPAIGN_2026, User, row_counts, run_cli

HANG_GUARD = 120
"""Seconds after which a test that waits on an event gives up: a hang, not a slow run."""


async def test_other_users_are_answered_while_a_document_is_parsed(app: App) -> None:
    parsing, release = threading.Event(), threading.Event()

    def slow_reader(text: str, year: int | None) -> tuple[Document, Facts, int]:
        parsing.set()  # the parse has begun (in its worker thread) …
        release.wait(HANG_GUARD)  # … and lasts until the other user has been answered
        return read_document(text, year)

    text = CAMPAIGN_2026.read_text("utf-8")
    importing = asyncio.create_task(import_document(app.db, text, "lon.txt", reader=slow_reader))
    assert await asyncio.to_thread(parsing.wait, HANG_GUARD)

    other = User(app, "lan", name="Lan")
    try:
        answer = await asyncio.wait_for(other.say("/trogiup"), HANG_GUARD)
        assert "/start" in answer
        assert not importing.done()  # answered while the document was still being read
    finally:
        release.set()
    imported = await asyncio.wait_for(importing, HANG_GUARD)
    async with app.db.transaction() as session:
        assert imported.saved.row.id in {row.id for row in await campaigns.list_documents(session)}


async def test_a_document_just_above_the_limit_is_refused_politely(
    app: App, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "qua-dai.txt"
    sample = CAMPAIGN_2026.read_text("utf-8")
    path.write_text((sample * (MAX_TEXT_CHARS // len(sample) + 1))[: MAX_TEXT_CHARS + 1], "utf-8")
    before = await row_counts(app)

    result = await asyncio.to_thread(
        run_cli, "campaign", "import", str(path), database_url=database_url, cwd=tmp_path
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "2 triệu ký tự" in result.stderr
    assert "qua-dai.txt" in result.stderr
    assert await row_counts(app) == before
