import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text

from bot.app import App
from storage import units
from storage.db import Database, alembic_config
from storage.models import Base, Unit


async def test_migrations_create_every_table(app: App) -> None:
    async with app.db.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


async def test_upgrade_is_idempotent(app: App) -> None:
    await app.db.upgrade()
    async with app.db.engine.connect() as connection:
        version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert version == head and head is not None


async def test_sqlite_runs_with_wal_and_foreign_keys(app: App) -> None:
    if app.db.dialect != "sqlite":
        pytest.skip("SQLite pragmas")
    async with app.db.engine.connect() as connection:
        assert (await connection.scalar(text("PRAGMA journal_mode"))) == "wal"
        assert (await connection.scalar(text("PRAGMA foreign_keys"))) == 1


async def test_a_transaction_is_committed_or_rolled_back_whole(app: App) -> None:
    with pytest.raises(RuntimeError):
        async with app.db.transaction() as session:
            await units.add_unit(session, "KT", "Kế toán", "department")
            raise RuntimeError("boom")
    async with app.db.transaction() as session:
        assert await units.find_unit(session, "KT") is None
        await units.add_unit(session, "KT", "Kế toán", "department")
    async with app.db.transaction() as session:
        assert (await session.scalars(select(Unit.code))).all() == ["KT"]


async def test_a_second_database_handle_sees_committed_work(app: App) -> None:
    async with app.db.transaction() as session:
        await units.add_unit(session, "VP", "Văn phòng", "department")
    other = Database(app.db.url)
    try:
        async with other.transaction() as session:
            unit = await units.find_unit(session, "vp")
            assert unit is not None and unit.name == "Văn phòng"
    finally:
        await other.close()


async def test_starts_at_the_same_time_on_a_new_database(empty_database_url: str) -> None:
    """Several processes may start at once on a fresh install (a script running `ask` twice
    in parallel): one migrates and seeds, the others wait and find the work done."""
    import asyncio

    from bot.app import open_app
    from bot.config import load_settings
    from storage import campaigns

    settings = load_settings(BOT_DATABASE_URL=empty_database_url)
    apps = await asyncio.gather(*(open_app(settings) for _ in range(4)))
    try:
        async with apps[0].db.transaction() as session:
            documents = await campaigns.list_documents(session)
            assert [(d.year, d.demo) for d in documents] == [(2025, True)]  # seeded once
    finally:
        for started in apps:
            await started.close()


async def test_the_sweep_forgets_old_update_ids_and_expired_downloads(app: App) -> None:
    from datetime import timedelta

    from bot.scheduler import SEEN_WINDOW, Scheduler
    from storage import downloads, seen
    from storage.models import Download, SeenUpdate, utcnow

    now = utcnow()
    async with app.db.transaction() as session:
        assert await seen.first_time(session, "zalo", "m-old")
        kept = await downloads.keep(session, "a.xlsx", b"PK", expires_at=now + timedelta(hours=24))
        await downloads.keep(session, "b.xlsx", b"PK", expires_at=now + timedelta(hours=1))
        token = kept.token
    scheduler = Scheduler(app)
    await scheduler.sweep(now + timedelta(hours=2))
    async with app.db.transaction() as session:
        assert not await seen.first_time(session, "zalo", "m-old")  # still remembered
        assert await downloads.find(session, token, now + timedelta(hours=2)) is not None
        assert [d.filename for d in await session.scalars(select(Download))] == ["a.xlsx"]
    await scheduler.sweep(now + SEEN_WINDOW + timedelta(days=1))
    async with app.db.transaction() as session:
        assert list(await session.scalars(select(SeenUpdate))) == []
        assert list(await session.scalars(select(Download))) == []
