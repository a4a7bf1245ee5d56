"""Polls as people read them: the poll with its buttons, the results as lines and as a chart,
and the results announced when a poll closes (by its clock or early).

Used by the chat (handlers/polls.py) and by the scheduler's producer (bot/scheduler.py), which
has no Context: everything here takes a translator, the zone and a session.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Services, Translate
from handlers.messages import Option, Reply, Safe, escape, join, plain
from handlers.poll_chart import poll_png
from storage import chats, downloads, outbox, polls
from storage.models import Person, Poll, PollOption
from usecases.polls import Results, results

CHART_KEPT = timedelta(days=7)
"""How long the results chart is kept for the pushes that carry it (and Zalo's links)."""


def moment(zone: ZoneInfo, at: datetime) -> str:
    """dd/mm/yyyy HH:MM in the bot's zone."""
    return at.astimezone(zone).strftime("%d/%m/%Y %H:%M")


def kind(t: Translate, poll: Poll) -> Safe:
    """ "Chọn một, công khai" and the like: how to vote and who may see names."""
    how = t("poll.kind_multiple" if poll.multiple else "poll.kind_single")
    names = t("poll.kind_anonymous" if poll.anonymous else "poll.kind_named")
    return t("poll.kind", how=how, names=names)


def buttons(poll: Poll, options: list[PollOption]) -> tuple[Option, ...]:
    """One button per option: payload poll:<id>:<position> (numbered on Zalo and console)."""
    return tuple(Option(escape(o.text), f"poll:{poll.id}:{o.position}") for o in options)


def poll_message(
    t: Translate, zone: ZoneInfo, poll: Poll, options: list[PollOption], by: str
) -> Reply:
    """The poll as it is pushed to its audience, with one button per option."""
    text = t("poll.message", id=poll.id, by=by, question=poll.question, kind=kind(t, poll),
             closes=moment(zone, poll.closes_at))  # fmt: skip
    return Reply(text, buttons(poll, options), key="poll.message")


def chosen_text(t: Translate, options: list[PollOption], chosen: frozenset[int] | list[int]) -> str:
    """The options chosen, by their text, "Sa Pa, Hạ Long"."""
    return ", ".join(f"“{o.text}”" for o in options if o.position in set(chosen))


def result_lines(t: Translate, found: Results) -> list[Safe]:
    lines = [
        t("poll.result_line", option=share.text, votes=share.votes, percent=share.percent)
        for share in found.shares
    ]
    for share in found.shares:
        names = found.names.get(share.position)
        if names:
            lines.append(t("poll.result_names", option=share.text, names=", ".join(names)))
    lines.append(t("poll.voters", count=found.voters))
    return lines


def summary(t: Translate, found: Results) -> Safe:
    """One line: "Sa Pa 60%, Hạ Long 40% (5 người chọn)"."""
    parts = ", ".join(f"{share.text} {share.percent}%" for share in found.shares)
    return t("poll.summary", shares=parts, count=found.voters)


async def chart(t: Translate, found: Results) -> bytes:
    """The results picture, drawn off the event loop."""
    title = plain(t("poll.chart_title", id=found.poll.id, question=found.poll.question))
    voters = plain(t("poll.voters", count=found.voters))
    return await asyncio.to_thread(poll_png, title, found.shares, voters)


def chart_name(poll: Poll) -> str:
    return f"binh-chon-{poll.id}.png"


def results_text(t: Translate, zone: ZoneInfo, found: Results) -> Safe:
    poll = found.poll
    return t("poll.results", id=poll.id, question=poll.question,
             closed=moment(zone, poll.closed_at or poll.closes_at),
             lines=join(result_lines(t, found)))  # fmt: skip


async def announce_results(
    session: AsyncSession, services: Services, poll: Poll, now: datetime, told: int | None = None
) -> int:
    """The results of a poll just closed, into the outbox: to its creator privately (with the
    names, on a named poll) and to its audience's groups (never names), each with the chart,
    kept once (storage/downloads.py). Dedupe keys make it once-only, whatever runs it again.
    `told`: the person who closed it early and has the results in their answer already.
    Returns the messages queued."""
    zone = services.zone
    public = await results(session, poll, with_names=False)
    creator = await session.get(Person, poll.created_by) if poll.created_by else None
    default = services.catalog.translator(services.default_language)
    targets: list[tuple[int, Safe]] = []
    unit_ids = await polls.unit_ids(session, poll.id)
    for group in await chats.linked_groups(session, unit_ids or None):
        targets.append((group.id, results_text(default, zone, public)))
    if creator is not None and creator.id != told:
        private = await chats.private_chat(session, creator.id)
        if private is not None and private.id not in {chat_id for chat_id, _ in targets}:
            t = services.catalog.translator(creator.language or services.default_language)
            own = await results(session, poll, with_names=True)
            targets.append((private.id, results_text(t, zone, own)))
    if not targets:
        return 0
    png = await chart(default, public)
    kept = await downloads.keep(session, chart_name(poll), png, expires_at=now + CHART_KEPT)
    made = 0
    for chat_id, text in targets:
        made += await outbox.enqueue(
            session, chat_id=chat_id, kind="poll", text=text, download_id=kept.id,
            dedupe_key=f"poll-results:{poll.id}:{chat_id}", due_at=now,
        )  # fmt: skip
    return made
