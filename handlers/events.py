"""/sukien [n]: the coming events, numbered. Admins add days (/sukien them dd/mm/yyyy name),
take one off the calendar (/sukien xoa n) and bring hidden ones back (/sukien hien [n]).

The numbers are those of the list /sukien shows today: the order is fixed (campaign.calendar
.upcoming), so event 3 of /sukien is event 3 of /sukien 30 too, and `/sukien xoa 3` removes
exactly the day the admin sees as 3. A day an admin added is deleted; a national, pack or
document day cannot be deleted (it lives in the code or the document), so it is hidden: a row
of custom_event with hidden=True.
"""

from __future__ import annotations

import re
from datetime import date

from campaign import calendar
from campaign.calendar import Occurrence
from campaign.dates import format_date
from campaign.inputs import is_number, read_int
from campaign.text import fold
from handlers.answer_view import occurrence_line
from handlers.context import Context
from handlers.messages import Reply, join
from handlers.registry import Command, Feature
from storage import calendar_days
from storage.models import CustomEvent

DEFAULT_COUNT = 5
MAX_COUNT = 30
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
    occurrences = await _coming(ctx, count)
    lines = [occurrence_line(ctx.t, o, number=n) for n, o in enumerate(occurrences, 1)]
    text = join([ctx.t("events.header", count=len(lines)), join(lines)])
    if ctx.actor.is_admin:
        text = join([text, ctx.t("events.admin_hint")], "\n\n")
    return [Reply(text)]


async def _coming(ctx: Context, count: int) -> list[Occurrence]:
    """The first `count` events from today: the same list for /sukien and /sukien xoa."""
    today = ctx.now().astimezone(ctx.services.zone).date()
    observances = await ctx.services.library.observances(ctx.session, today)
    return calendar.upcoming(observances, today, limit=count)


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
        moment = date(year, month, day)
    except ValueError:
        return ctx.reply("events.bad_date", date=when)
    today = ctx.now().astimezone(ctx.services.zone).date()
    one_off = year >= today.year
    if one_off and moment < today:
        return ctx.reply("events.past", date=when)
    existing = await calendar_days.custom_events(ctx.session)
    if any(fold(e.name) == fold(name) and (e.day, e.month) == (day, month) for e in existing):
        return ctx.reply("events.exists", name=name)
    await calendar_days.add_custom_event(
        ctx.session,
        name=name,
        day=day,
        month=month,
        year=year,
        one_off=one_off,
        created_by=ctx.person.id,
    )
    await ctx.audit("event.add", moment.isoformat())
    key = "events.added_once" if one_off else "events.added_yearly"
    return ctx.reply(key, name=name, date=moment.strftime("%d/%m/%Y"), since=year)


async def _remove(ctx: Context, args: str) -> Reply:
    """Event n of today's list off the calendar: deleted if an admin added it, else hidden."""
    if not ctx.actor.is_admin:
        return _not_allowed(ctx, "xoa")
    if not is_number(args):
        return ctx.reply("events.remove_usage", limit=MAX_COUNT)
    number = read_int(args, 1, MAX_COUNT)
    if number is None:
        return ctx.reply("events.remove_range", number=args, limit=MAX_COUNT)
    occurrences = await _coming(ctx, number)
    if number > len(occurrences):
        return ctx.reply("events.remove_range", number=number, limit=len(occurrences))
    occurrence = occurrences[number - 1]
    observance = occurrence.observance
    shown = format_date(occurrence.date)
    if observance.scope == "custom":
        for row in await calendar_days.custom_events(ctx.session):
            if _is_row_of(row, observance):
                await calendar_days.delete_day(ctx.session, row.id)
        await ctx.audit("event.delete", occurrence.date.isoformat(), {"name": observance.name})
        return ctx.reply("events.deleted", name=observance.name, date=shown)
    await calendar_days.hide_day(
        ctx.session,
        name=observance.name,
        day=occurrence.date.day,
        month=occurrence.date.month,
        year=observance.first_year or occurrence.date.year,
        created_by=ctx.person.id,
    )
    await ctx.audit(
        "event.hide",
        occurrence.date.isoformat(),
        {"name": observance.name, "scope": observance.scope},
    )
    return ctx.reply("events.hidden", name=observance.name, date=shown)


def _is_row_of(row: CustomEvent, observance: calendar.Observance) -> bool:
    """The custom_event row an admin's day was made from (handlers.library.custom_observance)."""
    return (row.name, row.day, row.month, row.year) == (
        observance.name,
        observance.day,
        observance.month,
        observance.first_year,
    )


async def _restore(ctx: Context, args: str) -> Reply:
    """Without a number, the hidden days, numbered; with one, that day back on the calendar."""
    if not ctx.actor.is_admin:
        return _not_allowed(ctx, "hien")
    rows = await calendar_days.hidden_days(ctx.session)
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
    row = rows[number - 1]
    name, shown = row.name, _day_month(row)
    await calendar_days.delete_day(ctx.session, row.id)
    await ctx.audit("event.restore", f"--{row.month:02d}-{row.day:02d}", {"name": name})
    return ctx.reply("events.restored", name=name, date=shown)


def _day_month(row: CustomEvent) -> str:
    return f"{row.day:02d}/{row.month:02d}"


FEATURE = Feature(
    commands=(Command("sukien", "events", ("sự kiện", "ngày lễ"), events_command, writes=False),)
)
