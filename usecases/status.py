"""What an admin checks when pushes seem not to arrive (/trangthai, `python -m bot status`):
each channel up or down with its last error, the outbox still to go and given up, the last
delivery, the scheduler's failing parts, and the campaign on today with its next deadline.
Everything comes from the database, so any process (the CLI beside the bot, one of several
bot processes) sees the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage import channel_state, failures, outbox
from storage.models import SchedulerFailure
from usecases.library import CampaignLibrary

OPENS = "assessment_opens"
WAITING = ("pending", "claimed", "sending")
"""Outbox statuses of rows still to go out."""


@dataclass(frozen=True)
class ChannelReport:
    platform: str
    up: bool | None
    """None: nothing was sent through it yet (no state recorded)."""
    last_error: str | None
    error_at: datetime | None
    ok_at: datetime | None
    last_delivery: datetime | None
    waiting: int
    dead: int
    failed: int
    dead_reasons: list[tuple[str, int]]
    """Why messages were given up, the most first: (last error, rows)."""


@dataclass(frozen=True)
class Deadline:
    what: str
    """"registration", "assessment_opens", "assessment_closes" or "campaign_ends"."""
    day: date


@dataclass(frozen=True)
class Status:
    channels: list[ChannelReport]
    failures: list[SchedulerFailure]
    campaign: str | None
    """The title of the campaign on today; None when none is."""
    next_deadline: Deadline | None


async def report(
    session: AsyncSession, library: CampaignLibrary, today: date, platforms: list[str]
) -> Status:
    """The status of the bot; `platforms`: those configured in this process (shown even when
    nothing went through them yet)."""
    states = {row.platform: row for row in await channel_state.states(session)}
    counts = await channel_state.outbox_counts(session)
    deliveries = await channel_state.last_deliveries(session)
    reasons: dict[str, list[tuple[str, int]]] = {}
    for platform, reason, rows in await outbox.dead_letters(session):
        reasons.setdefault(platform, []).append((reason, rows))
    names = sorted(set(platforms) | set(states) | set(counts) | set(deliveries))
    channels = []
    for name in names:
        state, count = states.get(name), counts.get(name, {})
        channels.append(
            ChannelReport(
                platform=name,
                up=state.up if state is not None else None,
                last_error=state.last_error if state is not None else None,
                error_at=state.error_at if state is not None else None,
                ok_at=state.ok_at if state is not None else None,
                last_delivery=deliveries.get(name),
                waiting=sum(count.get(status, 0) for status in WAITING),
                dead=count.get("dead", 0),
                failed=count.get("failed", 0),
                dead_reasons=reasons.get(name, []),
            )
        )
    campaign = await library.current(session, today)
    deadline = None
    if campaign is not None:
        coming = [Deadline("registration", await library.registration_deadline(session, campaign))]
        window = await library.assessment_window(session, campaign)
        if window is not None:
            coming += [Deadline("assessment_opens", window.start)]
            coming += [Deadline("assessment_closes", window.end)]
        if campaign.period_end is not None:
            coming.append(Deadline("campaign_ends", campaign.period_end))
        ahead = [d for d in coming if d.day > today or (d.day == today and d.what != OPENS)]
        deadline = min(ahead, key=lambda d: d.day, default=None)  # a last day counts on it
    return Status(
        channels=channels,
        failures=await failures.current(session),
        campaign=campaign.title if campaign is not None else None,
        next_deadline=deadline,
    )
