"""Fixtures: every database test runs on SQLite, and again on PostgreSQL when
BOT_TEST_DATABASE_URL is set, each time on a fresh schema."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import pytest
from hypothesis import HealthCheck, settings
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App, open_app
from bot.channels.console import render
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.config import load_settings
from bot.scheduler import Scheduler
from handlers.documents import Imported, import_document
from handlers.messages import Incoming, Reply
from handlers.router import Router
from storage.models import Base
from tests.fakes.channel import FakeChannel
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

# Property tests: few examples, the same ones every run, no time limit, in `make test` (a
# loaded 2-core machine must not make them flaky); HYPOTHESIS_PROFILE=fuzz (`make fuzz`) draws
# new examples for minutes and keeps the failing ones in .hypothesis/ to replay.
settings.register_profile(
    "default",
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2500")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def _own_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets a database of its own (`test_gw0`, …), since every
    test starts by dropping the schema."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


SHARED_PG_URL = os.environ.get("BOT_TEST_DATABASE_URL")
PG_URL = _own_database(SHARED_PG_URL)
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]
ADMIN = "admin"
"""Console user id that the test settings list in BOT_ADMINS."""


class Clock:
    """A clock the tests move by hand (invite expiry, deadlines)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


async def reset_postgres(url: str) -> None:
    """An empty schema, and no session left over from an earlier test of this worker (a leader
    lock held on a connection that was never closed would keep this test from leading)."""
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


_installed: dict[str, str] = {}
"""Per backend, the database this worker installed once (migrated, the demo seeded)."""


async def _install(url: str, tmp_path: Path) -> None:
    """Make the empty database at `url` what a first start leaves: a copy of one this worker
    installed with `open_app` once, instead of twenty migrations per test (a fifth of a
    second, a third of the suite's time). `open_app` still runs on the copy, as on any
    restart, so the start-up path is what each test goes through."""
    backend = make_url(url).get_backend_name()
    if backend not in _installed:
        if backend == "sqlite":
            template = str(tmp_path.parent / f"installed-{os.getpid()}.db")
            template_url = f"sqlite+aiosqlite:///{template}"
        else:
            template = f"{make_url(url).database}_installed"
            await _recreate_database(url, template, from_template=None)
            template_url = make_url(url).set(database=template).render_as_string(False)
        installer = await open_app(load_settings(BOT_DATABASE_URL=template_url))
        await installer.close()
        _installed[backend] = template
    template, database = _installed[backend], str(make_url(url).database)
    if backend == "sqlite":
        with (
            contextlib.closing(sqlite3.connect(template)) as source,
            contextlib.closing(sqlite3.connect(database)) as copy,
        ):
            source.backup(copy)
    else:
        await _recreate_database(url, database, from_template=template)


async def _recreate_database(url: str, name: str, *, from_template: str | None) -> None:
    """Drop the database `name` on `url`'s server (closing its sessions) and create it again,
    empty or as a copy of `from_template`."""
    server = make_url(url).set(database="postgres")
    engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        template = f' TEMPLATE "{from_template}"' if from_template else ""
        await connection.execute(text(f'CREATE DATABASE "{name}"{template}'))
    await engine.dispose()


async def _create_database(shared: str, own: str) -> None:
    engine = create_async_engine(shared, isolation_level="AUTOCOMMIT")
    name = make_url(own).database
    async with engine.connect() as connection:
        exists = await connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()


def pytest_configure(config: pytest.Config) -> None:
    if SHARED_PG_URL and PG_URL and PG_URL != SHARED_PG_URL:
        asyncio.run(_create_database(SHARED_PG_URL, PG_URL))


@pytest.fixture(params=BACKENDS)
async def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database nothing has started on yet: no tables (first starts, migrations)."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    assert PG_URL is not None
    await reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database as the bot's first start leaves it: migrated, the bundled demo in it."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    else:
        assert PG_URL is not None
        url = PG_URL
    await _install(url, tmp_path)
    return url


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))  # Thứ Hai 02/03/2026, 09:00 in Hà Nội


DATA = Path(__file__).resolve().parent / "data"
CAMPAIGN_2026 = DATA / "ke-hoach-thi-dua-2026.txt"
"""The campaign the tests run in: a department's 2026 launch plan (the test clock is in 2026)."""


async def import_file(app: App, path: Path, **options: Any) -> Imported:
    """Import a document as `python -m bot campaign import` does."""
    return await import_document(app.db, path.read_text("utf-8"), path.name, **options)


@pytest.fixture
async def fresh_app(database_url: str, clock: Clock) -> AsyncIterator[App]:
    """A fresh install: only the bundled 2025 demo, which no longer covers the test clock."""
    settings = load_settings(BOT_DATABASE_URL=database_url, BOT_ADMINS=f"console:{ADMIN}")
    application = await open_app(settings, clock=clock)
    yield application
    await application.close()


@pytest.fixture
async def app(fresh_app: App) -> App:
    """The bot with this year's campaign imported (the demo is gone, as after any import)."""
    await import_file(fresh_app, CAMPAIGN_2026)
    return fresh_app


@contextlib.asynccontextmanager
async def serving(
    fake: FakeTelegram | FakeZalo, database_url: str, clock: Clock, *, admin: str, **options: Any
) -> AsyncIterator[tuple[App, TelegramChannel | ZaloChannel]]:
    """The bot with this year's campaign, `admin` (an id on the fake's platform) its admin,
    polling the fake Telegram or Zalo server as `python -m bot run` does, until the block ends.
    `options` go to the channel (Zalo's `public_url`)."""
    channel: TelegramChannel | ZaloChannel
    platform = "telegram" if isinstance(fake, FakeTelegram) else "zalo"
    settings = load_settings(BOT_DATABASE_URL=database_url, BOT_ADMINS=f"{platform}:{admin}")
    app = await open_app(settings, clock=clock)
    try:
        await import_file(app, CAMPAIGN_2026)
        if isinstance(fake, FakeTelegram):
            channel = TelegramChannel(app, fake.token, base_url=fake.base_url, poll_timeout=1)
        else:
            channel = ZaloChannel(app, fake.token, base_url=fake.base_url, poll_timeout=1,
                                  idle_gap=0.05, **options)  # fmt: skip
        await channel.start()
        app.services.platforms.add(channel)
        try:
            yield app, channel
        finally:
            await channel.stop()
    finally:
        await app.close()


class User:
    """A person talking to the bot through the router, as a channel would make them."""

    def __init__(
        self,
        app: App,
        user_id: str,
        *,
        name: str = "",
        chat_id: str | None = None,
        group: bool = False,
        router: Router | None = None,
        platform: str = "console",
    ) -> None:
        self.app = app
        self.platform = platform
        self.router = router or app.router
        self.user_id = user_id
        self.name = name
        self.chat_id = chat_id or (f"g-{user_id}" if group else user_id)
        self.group = group

    async def replies(
        self, text: str = "", *, payload: str | None = None, addressed: bool = True
    ) -> list[Reply]:
        incoming = Incoming(
            platform=self.platform,
            user_id=self.user_id,
            chat_id=self.chat_id,
            chat_kind="group" if self.group else "private",
            text=text,
            payload=payload,
            user_name=self.name,
            addressed=addressed,
        )
        return await self.router.handle(incoming)

    async def say(
        self, text: str = "", *, payload: str | None = None, addressed: bool = True
    ) -> str:
        """The plain text the user would read, replies separated by blank lines."""
        replies = await self.replies(text, payload=payload, addressed=addressed)
        return "\n\n".join(render(r) for r in replies)


@pytest.fixture
def channel() -> FakeChannel:
    """The dispatcher's channel for the console platform, recording what it sends."""
    return FakeChannel()


@pytest.fixture
def scheduler(app: App, channel: FakeChannel) -> Scheduler:
    return Scheduler(app, senders={"console": channel})


@pytest.fixture
def admin(app: App) -> User:
    return User(app, ADMIN, name="Văn phòng")


class UserFactory(Protocol):
    def __call__(
        self, user_id: str, *, name: str = "", chat_id: str | None = None, group: bool = False
    ) -> User: ...


@pytest.fixture
def user_factory(app: App) -> UserFactory:
    def make(
        user_id: str, *, name: str = "", chat_id: str | None = None, group: bool = False
    ) -> User:
        return User(app, user_id, name=name, chat_id=chat_id, group=group)

    return make


INVITE_CODE = re.compile(r": ([A-Z0-9]{8})\n")


def workbook_of(reply: Reply) -> Workbook:
    """The workbook a reply carries (the /baocao report); the test fails when it has none."""
    assert reply.file is not None, reply.text
    return load_workbook(io.BytesIO(reply.file.data))


def found(pattern: re.Pattern[str] | str, text: str) -> str:
    """The first group of `pattern` in `text` (an invitation code in a reply); when it is not
    there the test fails showing the text, not with an error on None."""
    match = re.search(pattern, text)
    assert match is not None, f"{pattern!r} not in {text!r}"
    return match.group(1)


async def members_of_kt(app: App, admin: User) -> tuple[User, User]:
    """Phòng Kế toán with its head Hùng and a member Lan, joined by invitation codes."""
    await admin.say("/donvi them KT Phòng Kế toán")
    head, lan = User(app, "head", name="Hùng"), User(app, "lan", name="Lan")
    for user, role in ((head, "lead"), (lan, "")):
        code = found(INVITE_CODE, await admin.say(f"/moi KT {role}".strip()))
        await user.say(f"/start {code}")
    return head, lan


async def row_counts(app: App) -> dict[str, int]:
    """Rows in every table: tests compare this before and after a refused action."""
    async with app.db.transaction() as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


SETTING_PREFIXES = ("BOT_", "TELEGRAM_", "ZALO_")


def bot_environment(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a `python -m bot` subprocess: the machine's, without the
    developer's bot settings, with this database and these settings."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(SETTING_PREFIXES)}
    return {**environment, "BOT_DATABASE_URL": database_url, **settings}


def run_cli(
    *args: str, database_url: str, cwd: Path, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot …` as a user would, in a folder of its own: the same `main`, its
    environment, working folder, stdout, stderr and warnings as the process would have. In
    this process (a new interpreter costs a second, and these tests make dozens), except the
    main job and the console chat, which read the real standard input and run until stopped."""
    environment = bot_environment(database_url, **(env or {}))
    if args[:1] in ((), ("run",), ("console",)) or stdin:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd,
            env=environment,
            timeout=120,
        )
    return _run_main(list(args), environment, cwd)


def _run_main(
    argv: list[str], environment: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    from bot.cli import main

    out, err = io.StringIO(), io.StringIO()
    logs = logging.StreamHandler(err)
    logs.setLevel(logging.WARNING)
    logs.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    saved_environment, saved_folder = dict(os.environ), Path.cwd()
    root = logging.getLogger()
    levels = {  # main quiets some libraries' loggers: this process's later tests need them back
        name: (logger.level if isinstance(logger, logging.Logger) else None)
        for name, logger in {"": root, **logging.root.manager.loggerDict}.items()
    }
    root.addHandler(logs)
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:  # argparse's usage errors
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        root.removeHandler(logs)
        for name, level in levels.items():
            if level is not None:
                logging.getLogger(name or None).setLevel(level)
        for name in logging.root.manager.loggerDict.keys() - levels.keys():
            logging.getLogger(name).setLevel(logging.NOTSET)
        os.chdir(saved_folder)
        os.environ.clear()
        os.environ.update(saved_environment)
    return subprocess.CompletedProcess(
        ["python", "-m", "bot", *argv], code, out.getvalue(), err.getvalue()
    )


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests see only the settings they give: no variables or .env file of the developer's."""
    for name in list(os.environ):
        if name.startswith(SETTING_PREFIXES) and name != "BOT_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
