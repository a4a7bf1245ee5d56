"""The status report as text, the same in the chat (/trangthai) and on the command line
(`python -m bot status`, which prints it without the tags)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from campaign.dates import format_date, format_datetime
from handlers.context import Translate
from handlers.messages import Safe, join
from usecases.status import ChannelReport, Status

MAX_REASONS = 3
"""Reasons shown per platform for messages given up: the commonest; the JSON has them all."""


def render(t: Translate, status: Status, zone: ZoneInfo) -> Safe:
    lines: list[Safe] = [t("status.title")]
    for channel in status.channels:
        lines.append(_channel(t, channel, zone))
        lines += [
            t("status.dead_reason", reason=reason, count=count)
            for reason, count in channel.dead_reasons[:MAX_REASONS]
        ]
    if not status.channels:
        lines.append(t("status.no_channel"))
    if status.failures:
        lines.append(t("status.scheduler_failing", count=len(status.failures)))
        for row in status.failures:
            lines.append(
                t(
                    "status.scheduler_failure",
                    source=row.source,
                    count=row.count,
                    since=_when(row.first_at, zone),
                    last=_when(row.last_at, zone),
                    error=row.error,
                )
            )
    else:
        lines.append(t("status.scheduler_ok"))
    if status.campaign is None:
        lines.append(t("status.no_campaign"))
    else:
        lines.append(t("status.campaign", title=status.campaign))
        if status.next_deadline is not None:
            what = t(f"status.deadline.{status.next_deadline.what}")
            day = format_date(status.next_deadline.day)
            lines.append(t("status.next_deadline", what=what, day=day))
    return join(lines)


def _channel(t: Translate, channel: ChannelReport, zone: ZoneInfo) -> Safe:
    name = t(f"platform.{channel.platform}")
    if channel.up is None:
        state = t("status.channel_unknown")
    elif channel.up:
        state = t("status.channel_up")
    else:
        state = t(
            "status.channel_down",
            error=channel.last_error or "",
            at=_when(channel.error_at, zone),
        )
    delivered = (
        t("status.last_delivery", at=_when(channel.last_delivery, zone))
        if channel.last_delivery is not None
        else t("status.no_delivery")
    )
    return t(
        "status.channel",
        platform=name,
        state=state,
        delivered=delivered,
        waiting=channel.waiting,
        dead=channel.dead,
        failed=channel.failed,
    )


def _when(value: datetime | None, zone: ZoneInfo) -> str:
    return format_datetime(value.astimezone(zone)) if value is not None else "?"
