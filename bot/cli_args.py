"""The command line's grammar: the sub-commands of `python -m bot` and their arguments
(INTERFACE.md). bot/cli.py turns the parsed arguments into use case calls and prints."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from bot import backup, status
from campaign.inputs import clean_text


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

    understand = sub.add_parser("understand", help="what the bot makes of typed messages")
    understand.add_argument(
        "text",
        nargs="?",
        default=None,
        help="one message (default: one per line from standard input)",
    )
    understand.add_argument("--json", action="store_true")

    sub.add_parser("dispatch", help="send every due message of the outbox, then exit")

    stats = sub.add_parser("stats", help="units against the campaign targets")
    stats.add_argument("--unit", default=None, help="one unit's code")
    stats.add_argument("--year", default=None, help="a past year's campaign")
    stats.add_argument("--json", action="store_true")

    export = sub.add_parser("export", help="write the report spreadsheet")
    export.add_argument("file", type=Path)
    export.add_argument("--year", default=None, help="a past year's campaign")
    export.add_argument(
        "--activities", action="store_true", help="only the activities sheet (one row per unit)"
    )

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
    backup.add_parser(sub)
    return parser


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    return _cleaned(build_parser().parse_args(argv))


def _cleaned(args: argparse.Namespace) -> argparse.Namespace:
    """Every text argument as the chat would see it (campaign.inputs.clean_text): NFC, no
    control characters, no bytes that are not UTF-8. File paths are left as the shell gave
    them, so that the file is found."""
    for name, value in vars(args).items():
        if isinstance(value, str):
            setattr(args, name, clean_text(value))
    return args
