"""A big `units import` is written in short batches: a message that comes in meanwhile is
answered before the import ends (SQLite's one writer is shared between batches), and nobody
gets the apology."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from bot.app import App
from campaign.units import parse_units_csv
from handlers import unit_import
from storage.models import AuditLog, Unit
from tests.conftest import User, run_cli

ROWS = 20_000


def units_csv(count: int) -> str:
    return "code,name,kind\n" + "".join(
        f"U{n:05d},Đơn vị số {n},department\n" for n in range(count)
    )


async def test_a_message_is_answered_while_many_units_are_imported(fresh_app: App) -> None:
    rows, errors = parse_units_csv(units_csv(ROWS))
    assert not errors and not await unit_import.problems(fresh_app.db, rows)
    importing = asyncio.create_task(unit_import.import_units(fresh_app.db, rows))
    await asyncio.sleep(0)  # the import takes the database first
    answering = asyncio.create_task(User(fresh_app, "lan", name="Lan").say("/trogiup"))

    done, _ = await asyncio.wait({importing, answering}, return_when=asyncio.FIRST_COMPLETED)

    assert answering in done and not importing.done()  # answered between two batches
    assert "/start" in answering.result() and "Xin lỗi" not in answering.result()
    assert await importing == ROWS
    async with fresh_app.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Unit)) == ROWS
        audit = await session.scalar(select(AuditLog).where(AuditLog.action == "unit.import"))
        assert audit is not None and audit.detail["count"] == ROWS


async def test_units_import_checks_everything_before_writing_anything(
    fresh_app: App, database_url: str, tmp_path: Path
) -> None:
    text = units_csv(2500)
    (tmp_path / "a.csv").write_text(text, "utf-8")
    (tmp_path / "b.csv").write_text(units_csv(3000), "utf-8")

    first = await asyncio.to_thread(
        run_cli, "units", "import", "a.csv", database_url=database_url, cwd=tmp_path
    )
    again = await asyncio.to_thread(
        run_cli, "units", "import", "b.csv", database_url=database_url, cwd=tmp_path
    )

    assert first.returncode == 0, first.stderr
    assert "2500" in first.stdout.replace(".", "").replace(",", "")
    assert again.returncode == 1
    assert again.stderr.count("U0") == 2500  # every taken code named, in the later batches too
    async with fresh_app.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Unit)) == 2500
