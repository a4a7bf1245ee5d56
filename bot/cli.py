"""The command line: `python -m bot [sub-command]` (INTERFACE.md).

Every sub-command returns 0 on success and, on bad input, a one-line message on stderr with a
non-zero status; a user error never shows a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NoReturn

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App, open_app
from bot.channels.console import ConsoleChannel, ConsoleSender
from bot.channels.text import to_plain
from bot.config import LANGUAGES, Settings, SettingsError, load_settings
from bot.documents import read_text
from bot.errors import UserError
from bot.i18n import Catalog
from bot.scheduler import scheduler_for
from campaign import calendar, timephrase
from campaign.accounts import parse_account_ref
from campaign.dates import format_datetime, weekday_key
from campaign.document import DocumentError, parse
from campaign.ratings import Rating
from campaign.roles import parse_unit_role
from campaign.standing import rules_from
from campaign.units import RowError, parse_units_csv
from handlers.answer_view import occurrence_line
from handlers.context import Translate
from handlers.knowledge import answer_question, render_answer
from handlers.standing import compute, report_bytes, standing_lines
from storage import audit, campaigns, invites, people, units
from storage.models import CampaignDocument

log = logging.getLogger("bot")


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

    ask = sub.add_parser("ask", help="answer a question from the campaign document")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help='{"found", "answer", "sources"}')

    events = sub.add_parser("events", help="commemorations in a window of days")
    events.add_argument("--from", dest="start", default=None, help="YYYY-MM-DD (default today)")
    events.add_argument("--days", default="30", help="window length in days (default 30)")
    events.add_argument("--json", action="store_true")

    campaign_parser = sub.add_parser("campaign", help="campaign documents")
    campaign_sub = campaign_parser.add_subparsers(dest="campaign_command", required=True)
    campaign_import = campaign_sub.add_parser("import", help="load a .txt, .docx or .pdf")
    campaign_import.add_argument("file", type=Path)
    campaign_import.add_argument("--year", default=None)
    campaign_sub.add_parser("list", help="documents loaded; the newest is active")
    deadline = campaign_sub.add_parser("deadline", help="set the registration deadline")
    deadline.add_argument("date", help="YYYY-MM-DD")
    deadline.add_argument("--year", default=None, help="the campaign's year (default: active)")

    when = sub.add_parser("when", help="how the bot reads a Vietnamese time phrase")
    when.add_argument("phrase")
    when.add_argument("--now", default=None, help="ISO time in BOT_TIMEZONE (default: now)")
    when.add_argument("--json", action="store_true")

    sub.add_parser("dispatch", help="send every due message of the outbox, then exit")

    stats = sub.add_parser("stats", help="units against the campaign targets")
    stats.add_argument("--unit", default=None, help="one unit's code")
    stats.add_argument("--json", action="store_true")

    export = sub.add_parser("export", help="write the report spreadsheet")
    export.add_argument("file", type=Path)

    admin = sub.add_parser("admin", help="administrators")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    grant = admin_sub.add_parser("grant", help="make an account an admin")
    grant.add_argument("account", help="<platform>:<user id>, e.g. telegram:123456789")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged PDF is reported in one line
    # httpx logs each request URL at INFO, and Bot API URLs carry the token: never log them.
    logging.getLogger("httpx").setLevel(logging.WARNING)
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


async def _run(app: App, args: argparse.Namespace, t: Translate) -> int:
    """The main job: every channel whose token is set, else the console chat."""
    if not (app.settings.telegram_token or app.settings.zalo_token):
        return await _console(app, args, t, push=True)
    # Imported here: the platform libraries are a fifth of the start-up time of every other
    # sub-command, which needs none of them.
    from bot import launch

    return await launch.run_channels(app, t)


async def _dispatch_outbox(app: App, args: argparse.Namespace, t: Translate) -> int:
    """Send what is due (after a crash, or from cron) and exit."""
    from bot import launch

    delivered = await launch.dispatch_once(app, t)
    print(to_plain(t("cli.dispatched", count=delivered)))
    return 0


async def _console(app: App, args: argparse.Namespace, t: Translate, *, push: bool = False) -> int:
    """The console chat; as the main job (`push`), with the scheduler printing reminders."""
    channel = ConsoleChannel(
        app.router,
        user_id=getattr(args, "user", "local"),
        name=getattr(args, "name", ""),
        chat_id=getattr(args, "chat", None),
        group=getattr(args, "group", False),
    )
    if not push:
        await channel.run()
        return 0
    stop = asyncio.Event()
    scheduler = scheduler_for(app)
    scheduler.senders["console"] = ConsoleSender()
    pushing = asyncio.create_task(scheduler.run(stop, app.services.clock))
    try:
        await channel.run()
    finally:
        stop.set()
        await pushing
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


async def _when(app: App, args: argparse.Namespace, t: Translate) -> int:
    zone = app.services.zone
    try:
        now = datetime.fromisoformat(args.now) if args.now else app.services.clock()
    except ValueError:
        raise UserError(t("cli.bad_now", value=args.now)) from None
    now = now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)
    try:
        reading = timephrase.read(args.phrase, now)
    except timephrase.TimePhraseError as error:
        message = to_plain(t(error.key, phrase=args.phrase))
        if args.json:
            print(json.dumps({"error": message}, ensure_ascii=False))
            return 1
        raise UserError(message) from None
    if args.json:
        print(
            json.dumps(
                {"at": reading.at.isoformat(), "repeat": reading.repeat, "rrule": reading.rrule},
                ensure_ascii=False,
            )
        )
    else:
        weekday = to_plain(t(weekday_key(reading.at)))
        repeat = to_plain(t(f"time.repeat.{reading.repeat}")) if reading.repeat else ""
        print(f"{weekday}, {format_datetime(reading.at)}{repeat}")
    return 0


def _today(app: App) -> date:
    return app.services.clock().astimezone(app.services.zone).date()


async def _ask(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        result, knowledge = await answer_question(
            app.services.library, session, args.question, _today(app)
        )
    rendered = render_answer(t, result, knowledge)
    text = to_plain(rendered.text)
    if args.json:
        sources = [to_plain(s) for s in rendered.sources]
        print(
            json.dumps(
                {"found": result.found, "answer": text, "sources": sources}, ensure_ascii=False
            )
        )
    else:
        print(text)
    return 1 if result.kind in ("empty", "too_long") else 0


async def _events(app: App, args: argparse.Namespace, t: Translate) -> int:
    days = _positive(args.days, "--days", t)
    try:
        start = date.fromisoformat(args.start) if args.start else _today(app)
    except ValueError:
        raise UserError(t("cli.bad_from")) from None
    async with app.db.transaction() as session:
        observances = await app.services.library.observances(session)
    occurrences = calendar.upcoming(observances, start, days=days)
    if args.json:
        rows = [
            {"date": o.date.isoformat(), "name": o.observance.name, "anniversary": o.anniversary}
            for o in occurrences
        ]
        print(json.dumps(rows, ensure_ascii=False))
    elif not occurrences:
        print(to_plain(t("cli.events_none")))
    for occurrence in [] if args.json else occurrences:
        print(to_plain(occurrence_line(t, occurrence)).removeprefix("• "))
    return 0


async def _campaign_import(app: App, args: argparse.Namespace, t: Translate) -> int:
    year = None
    if args.year is not None:
        if not args.year.isdigit() or not 1900 < int(args.year) < 2200:
            raise UserError(t("cli.bad_year"))
        year = int(args.year)
    try:
        text = read_text(args.file)
        parsed = parse(text, year=year)
    except DocumentError as error:
        raise UserError(
            t("cli.document_refused", path=str(args.file), problem=t(error.key))
        ) from None
    async with app.db.transaction() as session:
        _, replaced = await campaigns.save_campaign(session, parsed, text, args.file.name)
        await audit.record(session, actor="cli", action="campaign.import", target=str(parsed.year))
    key = "cli.campaign_replaced" if replaced else "cli.campaign_imported"
    print(
        to_plain(
            t(
                key,
                year=parsed.year,
                title=parsed.title,
                sections=len(parsed.sections),
                targets=len(parsed.targets),
                days=len(parsed.commemorations),
            )
        )
    )
    return 0


async def _campaign_deadline(app: App, args: argparse.Namespace, t: Translate) -> int:
    try:
        when = date.fromisoformat(args.date)
    except ValueError:
        raise UserError(t("cli.bad_date", value=args.date)) from None
    async with app.db.transaction() as session:
        if args.year is not None:
            if not args.year.isdigit():
                raise UserError(t("cli.bad_year"))
            row = await campaigns.campaign_of_year(session, int(args.year))
        else:
            row = await campaigns.active_campaign(session)
        if row is None:
            raise UserError(t("cli.no_campaign_year", year=args.year or "?"))
        row.registration_deadline = when
        await audit.record(
            session,
            actor="cli",
            action="campaign.deadline",
            target=str(row.year),
            detail={"deadline": when.isoformat()},
        )
    print(to_plain(t("cli.deadline_set", year=row.year, date=when.strftime("%d/%m/%Y"))))
    return 0


async def _campaign_list(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        rows = await campaigns.list_campaigns(session)
    if not rows:
        print(to_plain(t("cli.campaigns_none")))
    for position, row in enumerate(rows):
        imported = row.imported_at.astimezone(app.services.zone).strftime("%d/%m/%Y")
        active = f"\t{to_plain(t('cli.active'))}" if position == 0 else ""
        print(f"{row.year}\t{row.title}\t{row.issuer}\t{imported}{active}")
    return 0


async def _active_rules(app: App, session: AsyncSession) -> tuple[CampaignDocument, tuple]:  # type: ignore[type-arg]
    row = await campaigns.active_campaign(session)
    if row is None:
        raise UserError(
            app.services.catalog.translator(app.settings.language)("answer.no_campaign")
        )
    knowledge = await app.services.library.of_year(session, row.year)
    targets = knowledge.campaign.targets if knowledge else []
    return row, rules_from([(t.percent, t.metric) for t in targets])


async def _stats(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        row, rules = await _active_rules(app, session)
        unit_ids = None
        if args.unit:
            unit = await units.find_unit(session, args.unit)
            if unit is None:
                raise UserError(t("unit.unknown", code=args.unit))
            unit_ids = [unit.id]
        results = await compute(session, row, rules, unit_ids)
    if args.json:
        print(json.dumps(stats_json(results), ensure_ascii=False))
        return 0
    print(to_plain(t("stats.header", year=row.year)))
    for item in results:
        print()
        print("\n".join(to_plain(line) for line in standing_lines(t, item)))
    return 0


def stats_json(results: list) -> dict:  # type: ignore[type-arg]
    def figures(item) -> dict:  # type: ignore[no-untyped-def]
        tally = item.tally
        average = tally.progress_average
        return {
            "code": item.unit.code if item.unit else None,
            "members": tally.members,
            "pledged": tally.pledged,
            "progress_avg": None if average is None else round(average, 1),
            "ratings": {
                **{r.value: tally.ratings.get(r, 0) for r in Rating},
                "unrated": tally.members - tally.rated,
            },
            "targets_met": {
                r.rule.metric: {"met": True, "not_met": False}.get(r.status.value)
                for r in item.targets
            },
            "excellent_over_limit": item.excess_excellent,
        }

    units_part = [figures(item) for item in results if item.unit is not None]
    department = [figures(item) for item in results if item.unit is None]
    result: dict = {"units": units_part}  # type: ignore[type-arg]
    if department:
        result["department"] = department[0]
    return result


async def _export(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        row, rules = await _active_rules(app, session)
        data = await report_bytes(session, app.services.catalog.translator("vi"), row, rules, None)
    try:
        args.file.write_bytes(data)
    except OSError as error:
        raise UserError(
            t("cli.export_unwritable", path=str(args.file), error=error.strerror or str(error))
        ) from None
    print(to_plain(t("cli.export_written", path=str(args.file))))
    return 0


_ACTIONS: dict[str, Callable[[App, argparse.Namespace, Translate], Awaitable[int]]] = {
    "run": _run,
    "dispatch": _dispatch_outbox,
    "console": _console,
    "db upgrade": _db_upgrade,
    "units import": _units_import,
    "units list": _units_list,
    "invite": _invite,
    "admin grant": _admin_grant,
    "ask": _ask,
    "when": _when,
    "events": _events,
    "campaign import": _campaign_import,
    "campaign list": _campaign_list,
    "campaign deadline": _campaign_deadline,
    "stats": _stats,
    "export": _export,
}
