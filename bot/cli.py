"""The command line: `python -m bot [sub-command]` (INTERFACE.md).

Every sub-command returns 0 on success and, on bad input, a one-line message on stderr with a
non-zero status; a user error never shows a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import NoReturn

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.app import App, open_app
from bot.channels.console import ConsoleChannel
from bot.channels.text import to_plain
from bot.config import LANGUAGES, Settings, SettingsError, load_settings
from bot.i18n import Catalog
from campaign.accounts import parse_account_ref
from campaign.roles import parse_unit_role
from campaign.units import RowError, parse_units_csv
from handlers.context import Translate
from storage import audit, invites, people, units

log = logging.getLogger("bot")


class UserError(Exception):
    """Bad input on the command line: shown as one line on stderr, exit status 1."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a wrong argument in one line, as every sub-command must."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (--help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m bot",
        description="Trợ lý phong trào thi đua / emulation campaign bot",
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the configured channels until stopped")

    console = sub.add_parser("console", help="chat in the terminal (stdin/stdout)")
    console.add_argument("--user", default="local", help="platform user id (default: local)")
    console.add_argument("--name", default="", help="display name")
    console.add_argument("--chat", default=None, help="chat id")
    console.add_argument("--group", action="store_true", help="a group chat instead of private")

    db = sub.add_parser("db", help="database")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply migrations")

    units_parser = sub.add_parser("units", help="units of the department")
    units_sub = units_parser.add_subparsers(dest="units_command", required=True)
    units_import = units_sub.add_parser("import", help="import code,name,kind rows from a CSV")
    units_import.add_argument("file", type=Path)
    units_sub.add_parser("list", help="list units")

    invite = sub.add_parser("invite", help="make an invite code for a unit")
    invite.add_argument("unit")
    invite.add_argument("--role", default="member", help="member, outreach or lead")
    invite.add_argument("--uses", default="1", help="how many people may use it (default 1)")
    invite.add_argument("--days", default="14", help="valid for this many days (default 14)")

    admin = sub.add_parser("admin", help="administrators")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    grant = admin_sub.add_parser("grant", help="make an account an admin")
    grant.add_argument("account", help="<platform>:<user id>, e.g. telegram:123456789")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    args = build_parser().parse_args(argv)
    catalog = Catalog.load()
    fallback_language = os.environ.get("BOT_LANGUAGE", "vi").strip().lower()
    t = catalog.translator(fallback_language if fallback_language in LANGUAGES else "vi")
    try:
        settings = load_settings()
    except SettingsError as error:
        return _fail(t("cli.settings_error", problem=str(error)), status=2)
    t = catalog.translator(settings.language)
    try:
        return asyncio.run(_dispatch(args, settings, catalog, t))
    except UserError as error:
        return _fail(str(error))
    except (OperationalError, DBAPIError, OSError) as error:
        return _fail(t("cli.db_unreachable", error=_first_line(error)))
    except KeyboardInterrupt:
        return 130


def _fail(message: str, status: int = 1) -> int:
    print(to_plain(message), file=sys.stderr)
    return status


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


async def _dispatch(
    args: argparse.Namespace, settings: Settings, catalog: Catalog, t: Translate
) -> int:
    command = args.command or "run"
    if command == "run" and (settings.telegram_token or settings.zalo_token):
        channel = "Telegram" if settings.telegram_token else "Zalo"
        raise UserError(t("cli.channel_unavailable", channel=channel))
    app = await open_app(settings, catalog=catalog)
    try:
        action = _ACTIONS[_action_name(args)]
        return await action(app, args, t)
    finally:
        await app.close()


def _action_name(args: argparse.Namespace) -> str:
    command = args.command or "run"
    nested = getattr(args, f"{command}_command", None)
    return f"{command} {nested}" if nested else command


async def _console(app: App, args: argparse.Namespace, t: Translate) -> int:
    channel = ConsoleChannel(
        app.router,
        user_id=getattr(args, "user", "local"),
        name=getattr(args, "name", ""),
        chat_id=getattr(args, "chat", None),
        group=getattr(args, "group", False),
    )
    await channel.run()
    return 0


async def _db_upgrade(app: App, args: argparse.Namespace, t: Translate) -> int:
    print(to_plain(t("cli.db_upgraded")))  # open_app has already applied the migrations
    return 0


async def _units_import(app: App, args: argparse.Namespace, t: Translate) -> int:
    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(
            t("cli.file_unreadable", path=str(args.file), error=_first_line(error))
        ) from None
    rows, errors = parse_units_csv(text)
    async with app.db.transaction() as session:
        taken = await units.existing_codes(session, [row.code for row in rows])
        errors += [
            RowError(row.line, "csv.exists", {"code": row.code})
            for row in rows
            if row.code in taken
        ]
        if errors:
            for error in sorted(errors, key=lambda e: e.line):
                problem = t(error.key, **error.values)
                print(
                    to_plain(t("cli.line_error", line=error.line, problem=problem)), file=sys.stderr
                )
            raise UserError(t("cli.nothing_imported"))
        for row in rows:
            await units.add_unit(session, row.code, row.name, row.kind.value)
        await audit.record(
            session, actor="cli", action="unit.import", detail={"codes": [r.code for r in rows]}
        )
    print(to_plain(t("cli.units_imported", count=len(rows))))
    return 0


async def _units_list(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        rows = await units.list_units(session)
    if not rows:
        print(to_plain(t("cli.units_none")))
    for unit, members in rows:
        print(f"{unit.code}\t{unit.name}\t{unit.kind}\t{members}")
    return 0


def _positive(value: str, option: str, t: Translate) -> int:
    if not value.isdigit() or int(value) < 1:
        raise UserError(t("cli.bad_number", option=option))
    return int(value)


async def _invite(app: App, args: argparse.Namespace, t: Translate) -> int:
    uses = _positive(args.uses, "--uses", t)
    days = _positive(args.days, "--days", t)
    role = parse_unit_role(args.role)
    if role is None:
        raise UserError(t("role.unknown", role=args.role))
    async with app.db.transaction() as session:
        unit = await units.find_unit(session, args.unit)
        if unit is None:
            raise UserError(t("unit.unknown", code=args.unit))
        invite = await invites.create_invite(
            session,
            unit_id=unit.id,
            role=role.code,
            uses=uses,
            expires_at=app.services.clock() + timedelta(days=days),
            created_by=None,
        )
        await audit.record(
            session,
            actor="cli",
            action="invite.create",
            target=unit.code,
            detail={"invite": invite.code, "role": role.code, "uses": uses},
        )
    print(invite.code)
    return 0


async def _admin_grant(app: App, args: argparse.Namespace, t: Translate) -> int:
    parsed = parse_account_ref(args.account)
    if parsed is None:
        raise UserError(t("cli.admin_bad_ref", ref=args.account))
    async with app.db.transaction() as session:
        await people.grant_admin(session, *parsed)
        await audit.record(session, actor="cli", action="admin.grant", target=":".join(parsed))
    print(to_plain(t("cli.admin_granted", ref=":".join(parsed))))
    return 0


_ACTIONS: dict[str, Callable[[App, argparse.Namespace, Translate], Awaitable[int]]] = {
    "run": _console,
    "console": _console,
    "db upgrade": _db_upgrade,
    "units import": _units_import,
    "units list": _units_list,
    "invite": _invite,
    "admin grant": _admin_grant,
}
