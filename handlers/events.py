"""/sukien [n]: the coming events, numbered. Admins add days (/sukien them dd/mm/yyyy name),
take one off the calendar (/sukien xoa n) and bring hidden ones back (/sukien hien [n]).

The use cases, and why the numbers are stable, are in usecases/events.py; here a message
becomes a call and the result a reply.
"""

from __future__ import annotations

import re

from campaign.dates import format_date
from campaign.inputs import is_number, read_int
from campaign.roles import Role
from campaign.text import fold
from handlers import current
from handlers.answer_view import occurrence_line
from handlers.context import Context
from handlers.formatting import refusal
from handlers.messages import Reply, join
from handlers.registry import Command, Feature
from storage.models import CustomEvent
from usecases import events
from usecases.errors import Refused
from usecases.events import MAX_COUNT

DEFAULT_COUNT = 5
_DATE = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")

ADD_WORDS = frozenset({"them", "add"})
REMOVE_WORDS = frozenset({"xoa", "remove", "delete"})
RESTORE_WORDS = frozenset({"hien", "restore", "unhide"})
SUBCOMMANDS = {
    "them": ("/sukien them", "/events add"),
    "xoa": ("/sukien xoa", "/events remove"),
    "hien": ("/sukien hien", "/events restore"),
}


async def events_command(ctx: Context, args: str) -> list[Reply]:
    first, _, rest = args.partition(" ")
    word = fold(first)
    if word in ADD_WORDS:
        return [await _add(ctx, rest.strip())]
    if word in REMOVE_WORDS:
        return [await _remove(ctx, rest.strip())]
    if word in RESTORE_WORDS:
        return [await _restore(ctx, rest.strip())]
    count = read_int(args, 1, MAX_COUNT) if args else DEFAULT_COUNT
    if count is None:
        return [ctx.reply("events.bad_count", limit=MAX_COUNT)]
    occurrences = await events.coming(ctx.session, ctx.services.library, current.today(ctx), count)
    lines = [occurrence_line(ctx.t, o, number=n) for n, o in enumerate(occurrences, 1)]
    text = join([ctx.t("events.header", count=len(lines)), join(lines)])
    if ctx.actor.is_admin:
        text = join([text, ctx.t("events.admin_hint")], "\n\n")
    return [Reply(text)]


def _not_allowed(ctx: Context, sub: str) -> Reply:
    vietnamese, english = SUBCOMMANDS[sub]
    return ctx.reply("error.not_allowed", command=english if ctx.language == "en" else vietnamese)


async def _add(ctx: Context, args: str) -> Reply:
    if not ctx.actor.is_admin:
        return _not_allowed(ctx, "them")
    when, _, name = args.partition(" ")
    name = name.strip()
    match = _DATE.match(when)
    if not match or not name:
        return ctx.reply("events.add_usage")
    day, month, year = (int(g) for g in match.groups())
    try:
        added = await events.add_event(
            ctx.session, ctx.who, current.today(ctx), name, day, month, year
        )
    except Refused as refused:
        return refusal(ctx, refused)
    key = "events.added_once" if added.one_off else "events.added_yearly"
    return ctx.reply(key, name=name, date=added.moment.strftime("%d/%m/%Y"), since=year)


async def _remove(ctx: Context, args: str) -> Reply:
    """Event n of today's list off the calendar: deleted if an admin added it, else hidden."""
    if not ctx.actor.is_admin:
        return _not_allowed(ctx, "xoa")
    if not is_number(args):
        return ctx.reply("events.remove_usage", limit=MAX_COUNT)
    number = read_int(args, 1, MAX_COUNT)
    if number is None:
        return ctx.reply("events.remove_range", number=args, limit=MAX_COUNT)
    try:
        removed = await events.remove_event(
            ctx.session, ctx.services.library, ctx.who, current.today(ctx), number
        )
    except Refused as refused:
        return refusal(ctx, refused)
    name, shown = removed.occurrence.observance.name, format_date(removed.occurrence.date)
    return ctx.reply(
        "events.deleted" if removed.deleted else "events.hidden", name=name, date=shown
    )


async def _restore(ctx: Context, args: str) -> Reply:
    """Without a number, the hidden days, numbered; with one, that day back on the calendar."""
    if not ctx.actor.is_admin:
        return _not_allowed(ctx, "hien")
    rows = await events.hidden_days(ctx.session)
    if not rows:
        return ctx.reply("events.hidden_none")
    if not args:
        lines = [
            ctx.t("events.hidden_line", number=n, date=_day_month(row), name=row.name)
            for n, row in enumerate(rows, 1)
        ]
        header = ctx.t("events.hidden_header", count=len(rows))
        return Reply(join([join([header, join(lines)]), ctx.t("events.restore_hint")], "\n\n"))
    number = read_int(args, 1, len(rows))
    if number is None:
        return ctx.reply("events.restore_usage", count=len(rows))
    row = await events.restore_event(ctx.session, ctx.who, number)
    return ctx.reply("events.restored", name=row.name, date=_day_month(row))


def _day_month(row: CustomEvent) -> str:
    return f"{row.day:02d}/{row.month:02d}"


FEATURE = Feature(
    commands=(
        Command(
            "sukien",
            "events",
            ("sự kiện", "ngày lễ"),
            events_command,
            more_for=Role.ADMIN,
            writes=False,
        ),
    )
)
