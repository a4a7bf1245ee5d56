"""Identity read once per process: every change, from this process or another, is seen at the
next message; replays stop before any database work; read sessions hold up no writer."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.app import App, open_app
from bot.config import load_settings
from handlers.features import build_registry
from handlers.messages import Incoming, Reply, Safe
from handlers.registry import Command, Feature, Registry
from handlers.router import Router
from storage import people, units
from storage.merge import merge_people
from storage.models import SeenUpdate, Unit
from storage.seen import RecentUpdates
from tests.conftest import User, members_of_kt, run_cli

REFUSED = "Bạn không có quyền dùng /donvi them. Gõ /trogiup để xem các lệnh của bạn."


async def _cli(database_url: str, cwd: Path, *args: str) -> None:
    """`python -m bot …` beside the running bot (in a thread: it runs its own event loop)."""
    done = await asyncio.to_thread(run_cli, *args, database_url=database_url, cwd=cwd)
    assert done.returncode == 0, done.stderr


async def _other_app(database_url: str) -> App:
    """A second process on the same database, as the CLI or a second bot process would be."""
    return await open_app(load_settings(BOT_DATABASE_URL=database_url))


async def test_an_admin_revoked_by_the_cli_is_refused_at_the_next_message(
    app: App, database_url: str, tmp_path: Path
) -> None:
    boss = User(app, "boss", name="Sếp")
    await boss.say("/start")
    await _cli(database_url, tmp_path, "admin", "grant", "console:boss")
    assert "Đã thêm đơn vị" in await boss.say("/donvi them KT Phòng Kế toán")
    with app.db.statements() as statements:
        assert "Đã thêm đơn vị" in await boss.say("/donvi them NS Phòng Nhân sự")
    assert not any("FROM account" in s for s in statements)  # the cached admin
    await _cli(database_url, tmp_path, "admin", "revoke", "console:boss")
    assert await boss.say("/donvi them TC Phòng Tài chính") == REFUSED
    async with app.db.transaction() as session:
        assert await units.find_unit(session, "TC") is None


async def test_a_unit_deleted_elsewhere_is_gone_from_its_members_next_message(
    app: App, admin: User, database_url: str, tmp_path: Path
) -> None:
    _head, lan = await members_of_kt(app, admin)
    assert "Phòng Kế toán (KT): thành viên" in await lan.say("/donvi")
    assert "Phòng Kế toán (KT): thành viên" in await lan.say("/donvi")  # from the cache
    await _cli(database_url, tmp_path, "units", "delete", "KT", "--yes")
    assert "Phòng Kế toán" not in await lan.say("/donvi")
    assert await lan.say("/tiendo") == (
        "Bạn chưa thuộc đơn vị nào nên chưa dùng được /tiendo. Hãy xin mã mời từ trưởng đơn vị "
        "hoặc cán bộ phụ trách rồi gõ /start MÃ để tham gia; sau đó gõ /trogiup để xem các lệnh."
    )


async def test_a_merged_account_speaks_with_its_new_persons_units(
    app: App, admin: User, database_url: str
) -> None:
    _head, lan = await members_of_kt(app, admin)
    on_zalo = User(app, "z-lan", name="Lan", platform="zalo")
    assert "Phòng Kế toán" not in await on_zalo.say("/donvi")
    assert "Phòng Kế toán" not in await on_zalo.say("/donvi")  # cached: in no unit
    other = await _other_app(database_url)
    try:
        async with other.db.transaction() as session:
            kept = await people.find_account(session, "console", lan.user_id)
            dropped = await people.find_account(session, "zalo", on_zalo.user_id)
            assert kept is not None and dropped is not None
            await merge_people(session, kept.person_id, dropped.person_id)
    finally:
        await other.close()
    assert "Phòng Kế toán (KT): thành viên" in await on_zalo.say("/donvi")


async def test_a_language_chosen_through_another_process_is_spoken_at_once(
    app: App, database_url: str
) -> None:
    lan = User(app, "lan")
    assert "Bạn dùng được các lệnh sau" in await lan.say("/trogiup")
    assert "Bạn dùng được các lệnh sau" in await lan.say("/trogiup")  # cached, in Vietnamese
    other = await _other_app(database_url)
    try:
        assert "English" in await User(other, "lan").say("/ngonngu en")
    finally:
        await other.close()
    assert "You can use these commands" in await lan.say("/trogiup")


def _telegram(text: str, update_id: str) -> Incoming:
    return Incoming(platform="telegram", user_id="7", chat_id="7", text=text, update_id=update_id)


async def test_a_replay_stops_before_the_database_and_after_a_restart_at_the_mark(
    app: App,
) -> None:
    assert await app.router.handle(_telegram("/trogiup", "100"))
    assert await app.router.handle(_telegram("/donvi", "101"))  # a write session
    with app.db.statements() as statements:
        assert await app.router.handle(_telegram("/trogiup", "100")) == []
        assert await app.router.handle(_telegram("/donvi", "101")) == []
    assert statements == []
    await app.router.flush()
    async with app.db.transaction() as session:
        marked = await session.scalars(select(SeenUpdate.update_key).order_by(SeenUpdate.id))
        assert sorted(marked) == ["100", "101"]
    app.router.recent = RecentUpdates()  # a restarted process remembers nothing
    with app.db.statements() as statements:
        assert await app.router.handle(_telegram("/trogiup", "100")) == []
    writes = [s.split()[0] for s in statements if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    # SQLite: a read session finds the mark; PostgreSQL: the mark's INSERT … DO NOTHING is the
    # check (no writer lock to spare there)
    assert writes == ([] if app.db.dialect == "sqlite" else ["INSERT"])


def test_old_telegram_ids_count_as_handled_once_forgotten() -> None:
    recent = RecentUpdates(limit=2)
    for key in ("5", "6", "7"):
        recent.add("telegram", key)
        recent.add("zalo", key)
    assert recent.handled("telegram", "5")  # forgotten, but below the high-water mark
    assert not recent.handled("zalo", "5")  # Zalo's keys have no order
    assert recent.handled("zalo", "6") and not recent.handled("telegram", "8")


async def test_a_read_only_command_does_not_hold_up_a_writer(app: App) -> None:
    """A command declared writes=False is answered while another transaction writes: the
    handler waits, mid-transaction, for the writer's commit (were it holding SQLite's
    writer lock, the two would wait for each other for ever)."""
    reading, written = asyncio.Event(), asyncio.Event()

    async def look(ctx: Any, _args: str) -> list[Reply]:
        reading.set()
        await written.wait()
        count = await ctx.session.scalar(select(func.count()).select_from(Unit))
        return [Reply(Safe(f"{count}"))]

    feature = Feature(commands=(Command("xem", "look", (), look, writes=False),))
    router = Router(app.db, app.services, Registry([feature]))
    assert await router.handle(Incoming(platform="console", user_id="lan", chat_id="lan"))

    async def write() -> None:
        await reading.wait()
        async with app.db.transaction() as session:
            await units.add_unit(session, "KT", "Phòng Kế toán", "department")
        written.set()

    # The bound only turns a deadlock into a failure; nothing here waits on the clock.
    replies, _ = await asyncio.wait_for(
        asyncio.gather(router.handle(Incoming("console", "lan", "lan", text="/xem")), write()),
        timeout=120,
    )
    # The read session's snapshot began before the commit on SQLite; PostgreSQL reads
    # committed rows: either way the reader finished after the writer, and neither failed.
    assert replies[0].text in ("0", "1")


async def test_a_read_only_command_that_writes_after_all_is_done_in_a_write_session(
    app: App, admin: User
) -> None:
    """/sukien is declared read-only; an admin's `/sukien them` writes, and is redone."""
    assert build_registry().get("sukien").writes is False  # type: ignore[union-attr]
    added = await admin.say("/sukien them 02/03/2026 Ngày truyền thống của cơ quan")
    assert "Ngày truyền thống của cơ quan" in added
    assert "Ngày truyền thống của cơ quan" in await admin.say("/sukien 30")
