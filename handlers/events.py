"""/sukien [n]: the coming commemorations; admins add days with /sukien them dd/mm/yyyy name."""

from __future__ import annotations

import re
from datetime import date

from campaign import calendar
from campaign.text import fold
from handlers.answer_view import occurrence_line
from handlers.context import Context
from handlers.messages import Reply, join
from handlers.registry import Command, Feature
from storage import campaigns

DEFAULT_COUNT = 5
MAX_COUNT = 30
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


async def events_command(ctx: Context, args: str) -> list[Reply]:
    first, _, rest = args.partition(" ")
    if fold(first) in ("them", "add"):
        return [await _add(ctx, rest.strip())]
    if args and not (args.isdigit() and 1 <= int(args) <= MAX_COUNT):
        return [ctx.reply("events.bad_count", limit=MAX_COUNT)]
    count = int(args) if args else DEFAULT_COUNT
    today = ctx.now().astimezone(ctx.services.zone).date()
    library = ctx.services.library
    knowledge = await library.knowledge(ctx.session, today)
    observances = knowledge.observances if knowledge else await library.observances(ctx.session)
    occurrences = calendar.upcoming(observances, today, limit=count)
    lines = [occurrence_line(ctx.t, o) for o in occurrences]
    return [Reply(join([ctx.t("events.header", count=len(lines)), join(lines)]))]


async def _add(ctx: Context, args: str) -> Reply:
    if not ctx.actor.is_admin:
        return ctx.reply("error.not_allowed", command="/sukien them")
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
    existing = await campaigns.custom_events(ctx.session)
    if any(fold(e.name) == fold(name) and (e.day, e.month) == (day, month) for e in existing):
        return ctx.reply("events.exists", name=name)
    await campaigns.add_custom_event(
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


FEATURE = Feature(commands=(Command("sukien", "events", ("sự kiện", "ngày lễ"), events_command),))
