"""/nhatky [n] [page]: the newest lines of the audit log for admins; `python -m bot audit`
prints the same entries (usecases.admins.audit_entries) with the same time and detail.

Pages go back in time: page 1 is the newest n entries, page 2 the n before them; a button
("older") asks for the next page, and is checked again against who presses it.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from campaign.dates import format_date
from campaign.inputs import read_int
from campaign.roles import Role
from handlers.context import Context
from handlers.messages import Option, Reply, join
from handlers.registry import Command, Feature
from usecases.admins import Entry, audit_entries

DEFAULT_COUNT = 10
MAX_COUNT = 50
MAX_PAGE = 10_000
BUTTON = "auditpage:"


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    """dd/mm/yyyy HH:MM in the bot's zone, how admins read an audit line."""
    local = moment.astimezone(zone)
    return f"{format_date(local)} {local:%H:%M}"


def detail_text(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else ""


def tab_line(entry: Entry, zone: ZoneInfo) -> str:
    """An entry as `python -m bot audit` prints it: at, actor, action, target, detail."""
    at = local_time(entry.at, zone)
    return "\t".join([at, entry.actor, entry.action, entry.target or "", detail_text(entry.detail)])


def _number(text: str, limit: int) -> int | None:
    """1..limit written in ASCII digits ("²" is a digit to str.isdigit, not to int)."""
    return read_int(text, 1, limit)


async def audit_command(ctx: Context, args: str) -> list[Reply]:
    words = args.split()
    if len(words) > 2:
        return [ctx.reply("audit.usage", limit=MAX_COUNT)]
    count = _number(words[0], MAX_COUNT) if words else DEFAULT_COUNT
    page = _number(words[1], MAX_PAGE) if len(words) > 1 else 1
    if count is None or page is None:
        return [ctx.reply("audit.usage", limit=MAX_COUNT)]
    return [await _page(ctx, count, page)]


async def _page(ctx: Context, count: int, page: int) -> Reply:
    if not ctx.actor.is_admin:
        return ctx.reply("error.not_allowed", command="/nhatky")
    entries = await audit_entries(ctx.session, count + 1, (page - 1) * count)
    if not entries:
        return ctx.reply("audit.none" if page == 1 else "audit.no_more")
    more, entries = len(entries) > count, entries[:count]
    lines = [
        ctx.t(
            "audit.line",
            at=local_time(e.at, ctx.services.zone),
            actor=e.actor,
            action=e.action,
            target=e.target or "—",
            detail=f" {detail_text(e.detail)}" if e.detail else "",
        )
        for e in entries
    ]
    header = ctx.t("audit.header", count=len(entries), page=page)
    options = (Option(ctx.t("audit.older"), f"{BUTTON}{count}:{page + 1}"),) if more else ()
    return Reply(join([header, join(lines)]), options=options)


async def older(ctx: Context, payload: str) -> list[Reply]:
    """The "older" button: its count and page are read like typed ones, never trusted."""
    count_text, _, page_text = payload.partition(":")
    count, page = _number(count_text, MAX_COUNT), _number(page_text, MAX_PAGE)
    if count is None or page is None:
        return [ctx.reply("error.stale_choice")]
    return [await _page(ctx, count, page)]


FEATURE = Feature(
    commands=(
        Command(
            "nhatky", "audit", ("nhật ký",), audit_command, required=Role.ADMIN, in_groups=False
        ),
    ),
    buttons={BUTTON: older},
)
