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

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

import usecases.units
from bot import backup, status
from bot.app import App, open_app
from bot.channels.console import ConsoleChannel, ConsoleSession
from bot.channels.text import to_plain
from bot.cli_args import parse_args
from bot.config import LANGUAGES, Settings, SettingsError, load_settings
from bot.documents import read_text
from bot.errors import UserError
from bot.i18n import Catalog
from campaign import timephrase
from campaign.commands import parse_slash
from campaign.dates import format_datetime, weekday_key
from campaign.document import DocumentError
from campaign.inputs import MAX_DAYS, MAX_ID, clean_text, read_int
from campaign.roles import parse_unit_role
from campaign.standing import TargetRule
from campaign.understand import Reading, as_json, understand
from handlers import audit_view
from handlers.answer_view import occurrence_line
from handlers.context import Translate
from handlers.document_view import document_facts, document_summary, imported_line, listed_fields
from handlers.formatting import footprint_values
from handlers.knowledge import answer_question, render_answer
from handlers.standing import standing_lines
from storage import units
from storage.limits import TooLong
from storage.models import CampaignDocument
from usecases import admins, campaigns, events
from usecases.campaigns import import_document
from usecases.clock import today
from usecases.errors import Refused, Who, cli
from usecases.invites import create_invite
from usecases.standing import When, compute, report_data, stats_json

log = logging.getLogger("bot")

MAX_INVITE_USES = 10_000
"""More people than any unit has: a code for everyone in the department fits."""


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged PDF is reported in one line
    # httpx logs each request URL at INFO, and Bot API URLs carry the token: never log them.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    args = parse_args(argv)
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
        return _fail(refused.explained(t))
    except TooLong as error:
        return _fail(t("error.field_too_long", limit=error.limit, length=error.length), status=2)
    except (OperationalError, DBAPIError, OSError) as error:
        return _fail(t("cli.db_unreachable", error=_first_line(error)))
    except KeyboardInterrupt:
        return 130


def _say(t: Translate, key: str, /, **values: object) -> None:
    """A message of the catalogue on stdout, as plain text."""
    print(to_plain(t(key, **values)))


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
        return await _console(app, args, t)
    # Imported here: the platform libraries are a fifth of the start-up time of every other
    # sub-command, which needs none of them.
    from bot import launch

    return await launch.run_channels(app, t)


async def _dispatch_outbox(app: App, args: argparse.Namespace, t: Translate) -> int:
    """Send what is due (after a crash, or from cron) and exit."""
    from bot import launch

    delivered = await launch.dispatch_once(app, t)
    _say(t, "cli.dispatched", count=delivered)
    return 0


def console_channel(app: App, args: argparse.Namespace) -> ConsoleChannel:
    """The console chat of `python -m bot console [--user …]` (and of the main job without
    tokens): files it receives (reports) go to BOT_DATA_DIR."""
    return ConsoleChannel(
        app.router,
        user_id=getattr(args, "user", "local"),
        name=getattr(args, "name", ""),
        chat_id=getattr(args, "chat", None),
        group=getattr(args, "group", False),
        files=app.settings.data_dir,
    )


async def _console(app: App, args: argparse.Namespace, t: Translate) -> int:
    """The console chat with the scheduler beside it, so reminders are printed when due."""
    await ConsoleSession(app, console_channel(app, args)).run()
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
    try:
        count = await usecases.units.import_csv(app.db, clean_text(text))
    except usecases.units.RowsRefused as refused:
        for row_error in refused.errors:
            problem = t(row_error.key, **row_error.values)
            line = t("cli.line_error", line=row_error.line, problem=problem)
            print(to_plain(line), file=sys.stderr)
        raise UserError(t("cli.nothing_imported")) from None
    _say(t, "cli.units_imported", count=count)
    return 0


async def _units_list(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        rows = await units.list_units(session)
    if not rows:
        _say(t, "cli.units_none")
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
        unit = await usecases.units.unit_by_code(session, args.unit)
        made = await create_invite(
            session, _who(app), None, unit=unit, role=role, uses=uses, days=days, now=_now(app)
        )
    print(made.code)
    return 0


async def _admin_grant(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        ref = await admins.grant_admin(session, _who(app), args.account)
    _say(t, "cli.admin_granted", ref=ref)
    return 0


async def _admin_list(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        entries = await admins.list_admins(session, app.settings.admins)
    if not entries:
        _say(t, "cli.admins_none")
    for entry in entries:
        source = to_plain(t(f"cli.admin_source_{entry.source}"))
        print(f"{entry.ref}\t{entry.name}\t{source}")
    return 0


async def _admin_revoke(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        ref = await admins.revoke_admin(session, _who(app), args.account, app.settings.admins)
    _say(t, "cli.admin_revoked", ref=ref)
    return 0


async def _units_edit(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        unit = await usecases.units.edit_unit(
            session,
            _who(app),
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
        unit = await usecases.units.unit_by_code(session, args.code)
        code = unit.code
        if not args.yes:
            has = await units.footprint(session, unit.id)
            raise UserError(t("cli.unit_delete_confirm", code=code, **footprint_values(t, has)))
        had = await usecases.units.delete_unit(session, _who(app), code)
    _say(t, "cli.unit_deleted", code=code, **footprint_values(t, had))
    return 0


MAX_AUDIT_LIMIT = 100_000


async def _audit(app: App, args: argparse.Namespace, t: Translate) -> int:
    """The last --limit entries, oldest first as a log is read (tail)."""
    limit = read_int(args.limit, 1, MAX_AUDIT_LIMIT)
    if limit is None:
        raise UserError(t("cli.audit_limit", limit=MAX_AUDIT_LIMIT))
    async with app.db.transaction() as session:
        entries = list(reversed(await admins.audit_entries(session, limit)))
    for entry in entries:
        zone = app.services.zone
        json_line = json.dumps(entry.as_json(zone), ensure_ascii=False)
        print(json_line if args.json else audit_view.tab_line(entry, zone))
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


async def _understand(app: App, args: argparse.Namespace, t: Translate) -> int:
    """Each message as the chat would read it: a slash command, or campaign/understand."""
    texts = [args.text] if args.text is not None else [line.rstrip("\n") for line in sys.stdin]
    now = app.services.clock().astimezone(app.services.zone)
    phrases = app.router.registry.phrases
    for text in texts:
        slash = parse_slash(text)
        reading = (
            Reading("command", slash.name, slash.args)
            if slash is not None
            else understand(text, phrases, now)
        )
        if args.json:
            print(json.dumps(as_json(reading), ensure_ascii=False))
        else:
            print(f"{reading.kind}\t{reading.command or ''}\t{reading.args}")
    return 0


def _now(app: App) -> datetime:
    return app.services.clock()


def _today(app: App) -> date:
    return today(app.services.clock(), app.services.zone)


def _who(app: App) -> Who:
    return cli(app.services.clock())


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
        occurrences = await events.window(session, app.services.library, _today(app), start, days)
    if args.json:
        rows = [
            {"date": o.date.isoformat(), "name": o.observance.name, "anniversary": o.anniversary}
            for o in occurrences
        ]
        print(json.dumps(rows, ensure_ascii=False))
    elif not occurrences:
        _say(t, "cli.events_none")
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


async def _campaign_deadline(app: App, args: argparse.Namespace, t: Translate) -> int:
    try:
        when = date.fromisoformat(args.date)
    except ValueError:
        raise UserError(t("cli.bad_date", value=args.date)) from None
    async with app.db.transaction() as session:
        row = await _campaign_for(app, session, args.year, t)
        await campaigns.set_deadline(session, _who(app), row, when)
    _say(t, "cli.deadline_set", year=row.year, date=when.strftime("%d/%m/%Y"))
    return 0


async def _campaign_list(app: App, args: argparse.Namespace, t: Translate) -> int:
    """One line a document: year, id, kind and number, period, title, issuer, state."""
    async with app.db.transaction() as session:
        listed = await campaigns.list_documents(session, app.services.library, _today(app))
    if not listed:
        _say(t, "cli.campaigns_none")
    for item in listed:
        print("\t".join(to_plain(str(f)) for f in listed_fields(t, item)))
    if not any(item.state == "active" for item in listed):
        year = _today(app).year
        print(to_plain(t("campaign.import_needed_admin", year=year)), file=sys.stderr)
    return 0


async def _campaign_show(app: App, args: argparse.Namespace, t: Translate) -> int:
    number = None
    if args.id is not None:
        number = read_int(args.id, 1, MAX_ID)
        if number is None:
            raise UserError(t("cli.bad_document_id", value=args.id), status=2)
    async with app.db.transaction() as session:
        row, parsed = await campaigns.document_to_show(
            session, app.services.library, _today(app), number
        )
    if args.json:
        print(
            json.dumps(document_facts(parsed.document, parsed.facts, row.year), ensure_ascii=False)
        )
    else:
        print(to_plain(document_summary(t, parsed.document, parsed.facts, row.year)))
    return 0


async def _campaign_for(
    app: App, session: AsyncSession, year: str | None, t: Translate
) -> CampaignDocument:
    """The campaign a command means: of --year, else the one on today, else the latest."""
    number = _year_arg(year, t)
    return await campaigns.campaign_for(session, app.services.library, _today(app), number)


def _moment(app: App) -> When:
    return When(app.services.clock(), app.services.zone)


async def _rules(app: App, session: AsyncSession, row: CampaignDocument) -> tuple[TargetRule, ...]:
    return await campaigns.target_rules(session, app.services.library, row)


async def _stats(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        row = await _campaign_for(app, session, args.year, t)
        rules = await _rules(app, session, row)
        unit_ids = None
        if args.unit:
            unit_ids = [(await usecases.units.unit_by_code(session, args.unit)).id]
        results = await compute(session, row, rules, unit_ids, _moment(app))
    if args.json:
        print(json.dumps({"year": row.year, **stats_json(results)}, ensure_ascii=False))
        return 0
    _say(t, "stats.header", year=row.year)
    for item in results:
        print()
        print("\n".join(to_plain(line) for line in standing_lines(t, item)))
    return 0


async def _export(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        row = await _campaign_for(app, session, args.year, t)
        rules = await _rules(app, session, row)
        data = await report_data(session, row, rules, None, _moment(app))
    from handlers.report import report_bytes  # openpyxl: for this sub-command only

    try:
        translate = app.services.catalog.translator("vi")
        args.file.write_bytes(report_bytes(translate, data, activities_only=args.activities))
    except OSError as error:
        raise UserError(
            t("cli.export_unwritable", path=str(args.file), error=error.strerror or str(error))
        ) from None
    _say(t, "cli.export_written", path=str(args.file))
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
    "understand": _understand,
    "events": _events,
    "campaign import": _campaign_import,
    "campaign list": _campaign_list,
    "campaign show": _campaign_show,
    "campaign deadline": _campaign_deadline,
    "stats": _stats,
    "export": _export,
    "status": status.show,
    "backup": backup.run,
}
