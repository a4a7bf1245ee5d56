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
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import status
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
from campaign.dates import format_date, format_datetime, weekday_key
from campaign.document import Document, DocumentError, Zone
from campaign.facts import Facts, Period, rating_targets
from campaign.inputs import MAX_DAYS, MAX_ID, clean_text, read_int
from campaign.ratings import Rating
from campaign.roles import parse_unit_role
from campaign.standing import rules_from
from campaign.units import parse_units_csv
from handlers import admins, audit_view, unit_changes, unit_import
from handlers.answer_view import document_name, occurrence_line
from handlers.changes import Refused, cli
from handlers.context import Translate
from handlers.documents import Imported, import_document
from handlers.invites import new_invite
from handlers.knowledge import answer_question, render_answer
from handlers.library import dates_of
from handlers.messages import Safe, join
from handlers.standing import compute, report_bytes, standing_lines
from storage import audit, campaigns, people, units
from storage.limits import TooLong
from storage.models import CampaignDocument

log = logging.getLogger("bot")

MAX_INVITE_USES = 10_000
"""More people than any unit has: a code for everyone in the department fits."""


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
    units_edit = units_sub.add_parser("edit", help="rename a unit, change its code or kind")
    units_edit.add_argument("code")
    units_edit.add_argument("--name", default=None)
    units_edit.add_argument("--code", dest="new_code", default=None)
    units_edit.add_argument("--kind", default=None, help="department, union, youth, leadership")
    units_delete = units_sub.add_parser("delete", help="delete a unit (members, links, reminders)")
    units_delete.add_argument("code")
    units_delete.add_argument("--yes", action="store_true", help="delete without asking")

    invite = sub.add_parser("invite", help="make an invite code for a unit")
    invite.add_argument("unit")
    invite.add_argument("--role", default="member", help="member, outreach or lead")
    invite.add_argument(
        "--uses", default=None, help="how many people may use it (member: default 30; others: 1)"
    )
    invite.add_argument("--days", default="7", help="valid for this many days (default 7)")

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
    campaign_import.add_argument(
        "--library", action="store_true", help="a regulation or guidance kept across years"
    )
    campaign_sub.add_parser("list", help="documents loaded; campaigns on today are active")
    show = campaign_sub.add_parser("show", help="the facts read from a document")
    show.add_argument("id", nargs="?", default=None, help="its id (campaign list); default: active")
    show.add_argument("--json", action="store_true")
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
    stats.add_argument("--year", default=None, help="a past year's campaign")
    stats.add_argument("--json", action="store_true")

    export = sub.add_parser("export", help="write the report spreadsheet")
    export.add_argument("file", type=Path)
    export.add_argument("--year", default=None, help="a past year's campaign")

    admin = sub.add_parser("admin", help="administrators")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    grant = admin_sub.add_parser("grant", help="make an account an admin")
    grant.add_argument("account", help="<platform>:<user id>, e.g. telegram:123456789")
    admin_sub.add_parser("list", help="admins: BOT_ADMINS and those granted")
    revoke = admin_sub.add_parser("revoke", help="take the admin role back")
    revoke.add_argument("account", help="<platform>:<user id>")

    audit_parser = sub.add_parser("audit", help="the audit log, the newest last")
    audit_parser.add_argument("--limit", default="50", help="how many entries (default 50)")
    audit_parser.add_argument(
        "--json", action="store_true", help="one object a line: at, actor, action, target, detail"
    )
    status.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged PDF is reported in one line
    # httpx logs each request URL at INFO, and Bot API URLs carry the token: never log them.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    args = _cleaned(build_parser().parse_args(argv))
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
        return _fail(str(error), status=error.status)
    except Refused as refused:
        return _fail(t(refused.key, **refused.values))
    except TooLong as error:
        return _fail(t("error.field_too_long", limit=error.limit, length=error.length), status=2)
    except (OperationalError, DBAPIError, OSError) as error:
        return _fail(t("cli.db_unreachable", error=_first_line(error)))
    except KeyboardInterrupt:
        return 130


def _cleaned(args: argparse.Namespace) -> argparse.Namespace:
    """Every text argument as the chat would see it (campaign.inputs.clean_text): NFC, no
    control characters, no bytes that are not UTF-8. File paths are left as the shell gave
    them, so that the file is found."""
    for name, value in vars(args).items():
        if isinstance(value, str):
            setattr(args, name, clean_text(value))
    return args


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
    """The main job: every channel whose token is set, else the console chat. Whoever starts
    the console is told first when no campaign covers today (a fresh install, a new year); on
    the platforms, admins are told in their private chat (see the router)."""
    if not (app.settings.telegram_token or app.settings.zalo_token):
        async with app.db.transaction() as session:
            if await app.services.library.current(session, _today(app)) is None:
                year = _today(app).year
                print(to_plain(t("campaign.import_needed_admin", year=year)), file=sys.stderr)
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
    rows, errors = parse_units_csv(clean_text(text))
    errors += await unit_import.problems(app.db, rows)
    if errors:
        for bad in sorted(errors, key=lambda e: e.line):
            problem = t(bad.key, **bad.values)
            print(to_plain(t("cli.line_error", line=bad.line, problem=problem)), file=sys.stderr)
        raise UserError(t("cli.nothing_imported"))
    await unit_import.import_units(app.db, rows)
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


def _positive(value: str, option: str, t: Translate, hi: int) -> int:
    """A whole number from 1 to `hi`; anything else is a one-line error, exit status 2."""
    number = read_int(value, 1, hi)
    if number is None:
        raise UserError(t("cli.bad_number", option=option, limit=hi), status=2)
    return number


async def _invite(app: App, args: argparse.Namespace, t: Translate) -> int:
    """The same rules as /moi from an admin: bounded uses and days, codes above member once."""
    uses = _positive(args.uses, "--uses", t, MAX_INVITE_USES) if args.uses is not None else None
    days = _positive(args.days, "--days", t, MAX_DAYS)
    role = parse_unit_role(args.role)
    if role is None:
        raise UserError(t("role.unknown", role=args.role))
    async with app.db.transaction() as session:
        unit = await units.find_unit(session, args.unit)
        if unit is None:
            raise UserError(t("unit.unknown", code=args.unit))
        made = await new_invite(
            session,
            unit=unit,
            role=role,
            by_admin=True,
            uses=uses,
            days=days,
            now=app.services.clock(),
            created_by=None,
        )
        if isinstance(made, tuple):
            key, values = made
            raise UserError(t(key, role=t(f"role.{role.code}"), **values))
        await audit.record(
            session,
            actor="cli",
            action="invite.create",
            target=unit.code,
            detail={"invite": made.code, "role": role.code, "uses": made.uses_left},
        )
    print(made.code)
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


async def _admin_list(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        entries = await admins.list_admins(session, app.settings.admins)
    if not entries:
        print(to_plain(t("cli.admins_none")))
    for entry in entries:
        source = to_plain(t(f"cli.admin_source_{entry.source}"))
        print(f"{entry.ref}\t{entry.name}\t{source}")
    return 0


async def _admin_revoke(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        ref = await admins.revoke_admin(
            session, cli(app.services.clock()), args.account, app.settings.admins
        )
    print(to_plain(t("cli.admin_revoked", ref=ref)))
    return 0


async def _units_edit(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        unit = await unit_changes.edit_unit(
            session,
            cli(app.services.clock()),
            args.code,
            name=args.name,
            new_code=args.new_code,
            kind=args.kind,
        )
        print(f"{unit.code}\t{unit.name}\t{unit.kind}")
    return 0


async def _units_delete(app: App, args: argparse.Namespace, t: Translate) -> int:
    """Without --yes, says what the unit has and deletes nothing (a script must mean it)."""
    async with app.db.transaction() as session:
        unit = await unit_changes.unit_by_code(session, args.code)
        code = unit.code
        if not args.yes:
            has = await units.footprint(session, unit.id)
            values = {"code": code, "members": has.members, "chats": has.chats}
            raise UserError(t("cli.unit_delete_confirm", reminders=has.reminders, **values))
        had = await unit_changes.delete_unit(session, cli(app.services.clock()), code)
    print(
        to_plain(
            t(
                "cli.unit_deleted",
                code=code,
                members=had.members,
                chats=had.chats,
                reminders=had.reminders,
            )
        )
    )
    return 0


MAX_AUDIT_LIMIT = 100_000


async def _audit(app: App, args: argparse.Namespace, t: Translate) -> int:
    """The last --limit entries, oldest first as a log is read (tail)."""
    limit = read_int(args.limit, 1, MAX_AUDIT_LIMIT)
    if limit is None:
        raise UserError(t("cli.audit_limit", limit=MAX_AUDIT_LIMIT))
    async with app.db.transaction() as session:
        entries = list(reversed(await audit_view.audit_entries(session, limit)))
    zone = app.services.zone
    for entry in entries:
        if args.json:
            print(json.dumps(entry.as_json(zone), ensure_ascii=False))
        else:
            print(
                "\t".join(
                    [
                        audit_view.local_time(entry.at, zone),
                        entry.actor,
                        entry.action,
                        entry.target or "",
                        audit_view.detail_text(entry.detail),
                    ]
                )
            )
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
    days = _positive(args.days, "--days", t, MAX_DAYS)
    try:
        start = date.fromisoformat(args.start) if args.start else _today(app)
    except ValueError:
        raise UserError(t("cli.bad_from")) from None
    async with app.db.transaction() as session:
        observances = await app.services.library.observances(session, _today(app))
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


def _year_arg(value: str | None, t: Translate) -> int | None:
    if value is None:
        return None
    year = read_int(value, 1901, 2199)
    if year is None:
        raise UserError(t("cli.bad_year"), status=2)
    return year


async def _campaign_import(app: App, args: argparse.Namespace, t: Translate) -> int:
    year = _year_arg(args.year, t)
    try:
        text = await asyncio.to_thread(read_text, args.file)
        imported = await import_document(
            app.db, text, args.file.name, year=year, library=True if args.library else None
        )
    except DocumentError as error:
        raise UserError(
            t("cli.document_refused", path=str(args.file), problem=t(error.key))
        ) from None
    print(to_plain(imported_line(t, imported)))
    return 0


def imported_line(t: Translate, imported: Imported) -> Safe:
    """What an import did, in one line: which document, where it went, what was read."""
    document, facts = imported.document, imported.facts
    name = document_name(t, document)
    counts = t(
        "cli.imported_counts",
        sections=len(document.headings()),
        deadlines=len(facts.deadlines),
        targets=len(facts.targets),
        days=len(facts.commemorations),
    )
    if imported.library:
        line = t("cli.imported_library", document=name, counts=counts)
    else:
        line = t(
            "cli.imported_campaign",
            document=name,
            year=imported.year,
            period=period_words(t, facts.period),
            counts=counts,
        )
    notes = []
    if imported.saved.replaced:
        notes.append(t("cli.imported_replaced"))
    if imported.saved.demo_removed:
        notes.append(t("cli.imported_demo_removed"))
    notes.extend(t(f"{key}_note") for key in document.warnings)
    return join([line, *notes], " ")


def period_words(t: Translate, period: Period) -> Safe:
    if period.end is not None:
        if period.start is not None:
            return t("period.range", start=format_date(period.start), end=format_date(period.end))
        return t("period.until", end=format_date(period.end))
    if period.open_end:
        return t("period.open", until=period.open_end)
    return t("period.unknown")


async def _campaign_deadline(app: App, args: argparse.Namespace, t: Translate) -> int:
    try:
        when = date.fromisoformat(args.date)
    except ValueError:
        raise UserError(t("cli.bad_date", value=args.date)) from None
    async with app.db.transaction() as session:
        row = await _campaign_for(app, session, _year_arg(args.year, t), t)
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
    """One line a document: year, id, kind and number, period, title, issuer, state."""
    today = _today(app)
    async with app.db.transaction() as session:
        rows = await campaigns.list_documents(session)
        active = {row.id for row in await app.services.library.active(session, today)}
    if not rows:
        print(to_plain(t("cli.campaigns_none")))
    for row in rows:
        if row.library:
            state, period = t("cli.state_library"), Safe("")
        else:
            span = dates_of(row).span
            state = (
                t("cli.state_active")
                if row.id in active
                else (t("cli.state_ended") if span.end < today else t("cli.state_coming"))
            )
            period = period_words(t, Period(row.period_start, row.period_end, text=""))
        if row.demo:
            state = t("cli.state_demo", state=state)
        name = t(f"kind.{row.kind}") + (f" {row.number}" if row.number else "")
        fields = [str(row.year), f"#{row.id}", name, period, row.title, row.issuer, state]
        print("\t".join(to_plain(str(f)) for f in fields))
    if not active:
        print(to_plain(t("campaign.import_needed_admin", year=today.year)), file=sys.stderr)
    return 0


async def _campaign_show(app: App, args: argparse.Namespace, t: Translate) -> int:
    library = app.services.library
    async with app.db.transaction() as session:
        if args.id is not None:
            number = read_int(args.id, 1, MAX_ID)
            if number is None:
                raise UserError(t("cli.bad_document_id", value=args.id), status=2)
            row = await campaigns.get_document(session, number)
        else:
            row = await library.current(session, _today(app)) or await library.latest(session)
            if row is None:
                documents = await campaigns.list_documents(session)
                row = documents[0] if documents else None
        if row is None:
            raise UserError(t("cli.document_unknown", value=args.id or "?"))
        parsed = await library.parsed(session, row)
    facts_json = document_facts(parsed.document, parsed.facts, row.year)
    if args.json:
        print(json.dumps(facts_json, ensure_ascii=False))
        return 0
    print(to_plain(document_summary(t, parsed.document, parsed.facts, row.year)))
    return 0


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def document_facts(document: Document, facts: Facts, year: int) -> dict[str, object]:
    """The facts of `campaign show --json` (INTERFACE.md): dates ISO, null when not given."""
    signature = document.signature
    return {
        "kind": document.kind.value,
        "title": document.title,
        "issuer": document.issuer,
        "issuer_parent": document.letterhead.parent,
        "number": document.number,
        "issued_on": _iso(document.issued_on),
        "place": document.letterhead.place,
        "signer": signature.name if signature else None,
        "signer_position": signature.position if signature else None,
        "signature": list(signature.lines) if signature else [],
        "year": year,
        "period": {
            "start": _iso(facts.period.start),
            "end": _iso(facts.period.end),
            "text": facts.period.text,
            "until": facts.period.open_end,
            "rounds": [
                {"start": _iso(a), "end": _iso(b), "text": words}
                for a, b, words in facts.period.rounds
            ],
        },
        "deadlines": [
            {
                "date": _iso(d.date),
                "start": _iso(d.start),
                "when": d.when,
                "text": d.text,
                "who": d.who,
                "yearly": d.yearly,
            }
            for d in facts.deadlines
        ],
        "targets": [{"value": x.value, "text": x.text, "metric": x.metric} for x in facts.targets],
        "theme": facts.theme,
        "slogan": (slogan.text if (slogan := facts.motto("slogan")) else None),
        "motto": (motto.text if (motto := facts.motto("motto")) else None),
        "awards": [a.name for a in facts.awards],
        "duties": [{"body": d.body, "text": d.text} for d in facts.duties],
        "commemorations": [
            {
                "date": _iso(_day_of(c.year, c.month, c.day)),
                "name": c.name,
                "anniversary": c.anniversary,
                "first_year": c.first_year,
            }
            for c in facts.commemorations
        ],
        "addressees": document.addressees,
        "recipients": document.recipients,
        "attachments": [k.value for k in document.attachments],
        "sections": [p.text for p in document.headings() if p.zone != Zone.TITLE],
        "warnings": document.warnings,
    }


def _day_of(year: int, month: int | None, day: int | None) -> date | None:
    if not (month and day):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def document_summary(t: Translate, document: Document, facts: Facts, year: int) -> Safe:
    """`campaign show` for a person: what the bot read from the document."""
    lines = [t("show.document", document=document_name(t, document), title=document.title)]
    if document.issued_on:
        lines.append(t("show.issued", date=format_date(document.issued_on)))
    if document.signature:
        lines.append(
            t(
                "show.signer",
                position=document.recased(document.signature.position),
                name=document.signature.name,
            )
        )
    lines.append(t("show.period", period=period_words(t, facts.period)))
    if facts.theme:
        lines.append(t("show.theme", theme=facts.theme))
    for deadline in facts.deadlines:
        when = format_date(deadline.date) if deadline.date else deadline.when
        lines.append(t("show.deadline", date=when, text=deadline.text))
    if facts.targets:
        lines.append(t("show.targets", targets=", ".join(x.value for x in facts.targets)))
    for day in facts.commemorations:
        lines.append(t("show.day", name=day.name, anniversary=day.anniversary, year=day.year))
    lines.append(t("show.sections", count=len(document.headings())))
    lines.extend(t(key) for key in document.warnings)
    return join(lines)


async def _campaign_for(
    app: App, session: AsyncSession, year: int | None, t: Translate
) -> CampaignDocument:
    """The campaign a command means: of `year`, else the one on today, else the latest."""
    library = app.services.library
    if year is not None:
        row = await library.of_year(session, year)
        if row is None:
            years = ", ".join(str(y) for y in await library.years(session)) or "—"
            raise UserError(t("campaign.no_year", year=year, years=years))
        return row
    row = await library.current(session, _today(app)) or await library.latest(session)
    if row is None:
        raise UserError(t("answer.no_campaign"))
    return row


async def _rules(app: App, session: AsyncSession, row: CampaignDocument) -> tuple:
    parsed = await app.services.library.parsed(session, row)
    targets = rating_targets(parsed.document, parsed.facts)
    return rules_from([(x.percent, x.metric) for x in targets])


async def _stats(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        row = await _campaign_for(app, session, _year_arg(args.year, t), t)
        rules = await _rules(app, session, row)
        unit_ids = None
        if args.unit:
            unit = await units.find_unit(session, args.unit)
            if unit is None:
                raise UserError(t("unit.unknown", code=args.unit))
            unit_ids = [unit.id]
        results = await compute(session, row, rules, unit_ids)
    if args.json:
        print(json.dumps({"year": row.year, **stats_json(results)}, ensure_ascii=False))
        return 0
    print(to_plain(t("stats.header", year=row.year)))
    for item in results:
        print()
        print("\n".join(to_plain(line) for line in standing_lines(t, item)))
    return 0


def stats_json(results: list) -> dict:
    def figures(item) -> dict:
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
            "self_assessed": {
                **{r.value: tally.self_ratings.get(r, 0) for r in Rating},
                "unrated": tally.members - tally.self_rated,
            },
            "targets_met": {
                r.rule.metric: {"met": True, "not_met": False}.get(r.status.value)
                for r in item.targets
            },
            "targets_status": {r.rule.metric: r.status.value for r in item.targets},
            "excellent_over_limit": item.excess_excellent,
        }

    units_part = [figures(item) for item in results if item.unit is not None]
    department = [figures(item) for item in results if item.unit is None]
    result: dict = {"units": units_part}
    if department:
        result["department"] = department[0]
    return result


async def _export(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        row = await _campaign_for(app, session, _year_arg(args.year, t), t)
        rules = await _rules(app, session, row)
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
    "units edit": _units_edit,
    "units delete": _units_delete,
    "invite": _invite,
    "admin grant": _admin_grant,
    "admin list": _admin_list,
    "admin revoke": _admin_revoke,
    "audit": _audit,
    "ask": _ask,
    "when": _when,
    "events": _events,
    "campaign import": _campaign_import,
    "campaign list": _campaign_list,
    "campaign show": _campaign_show,
    "campaign deadline": _campaign_deadline,
    "stats": _stats,
    "export": _export,
    "status": status.show,
}
