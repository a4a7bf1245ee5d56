"""The day it is: the one place that turns the bot's clock into a date in the agency's zone.

The chat, the command line and the benches all ask here, so "today" is the same for all of them
(a deadline day ends at midnight in Hà Nội, not in UTC)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def today(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()
