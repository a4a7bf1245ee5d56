"""An activity as people read it: its line in a list, its card (the announcement), its places
and a person's mark, in any reader's language.

Functions take a translator and the bot's zone rather than a chat context, so the scheduler's
reminders and other features (attendance, contributions) show an activity the same way.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from campaign.activities import places_left
from campaign.dates import format_date, weekday_key
from handlers.context import Translate
from handlers.messages import Option, Safe, join
from storage.activities import CONFIRMED, WAITLIST, Tally
from storage.models import Activity, Unit

JOIN = "act:join:"
"""Payload of the "Đăng ký tham gia" button: the activity's number follows."""
REMINDERS = "activities"
"""The scheduler's producer of activity reminders (bot/activity_reminders.py): woken when an
activity is put on or cancelled, since its timers follow the starts."""


def moment(t: Translate, zone: ZoneInfo, at: datetime) -> Safe:
    """ "Thứ Bảy, 20/12/2026 lúc 07:00" in the bot's zone."""
    local = at.astimezone(zone)
    day = t("format.day", weekday=t(weekday_key(local)), date=format_date(local))
    return t("activity.moment", day=day, time=local.strftime("%H:%M"))


def kind_name(t: Translate, kind: str) -> Safe:
    return t(f"activity.kind.{kind}")


def places(t: Translate, activity: Activity, tally: Tally) -> Safe:
    """ "còn 30/50 chỗ, 2 người chờ" or "12 người đã đăng ký (không giới hạn chỗ)"."""
    left = places_left(activity.capacity, tally.confirmed)
    if left is None:
        text = t("activity.places_unlimited", confirmed=tally.confirmed)
    else:
        text = t("activity.places_left", left=left, capacity=activity.capacity)
    if tally.waitlist:
        text = Safe(text + t("activity.places_waiting", waiting=tally.waitlist))
    return text


def mark(t: Translate, standing: tuple[str, int | None] | None) -> Safe:
    """A person's own mark on a line: signed up, or waiting (with their place)."""
    if standing is None:
        return Safe("")
    status, position = standing
    if status == CONFIRMED:
        return t("activity.mark_confirmed")
    if status == WAITLIST:
        return t("activity.mark_waitlist", position=position or "")
    return Safe("")


def audience(t: Translate, units: list[Unit]) -> Safe:
    if not units:
        return t("activity.audience_all")
    return Safe(", ".join(str(t("format.unit", code=u.code, name=u.name)) for u in units))


def line(
    t: Translate,
    zone: ZoneInfo,
    activity: Activity,
    tally: Tally,
    standing: tuple[str, int | None] | None,
) -> Safe:
    """One activity of a list: its number, name, when, where, places and the reader's mark."""
    return t(
        "activity.line",
        number=activity.id,
        name=activity.name,
        kind=kind_name(t, activity.kind),
        when=moment(t, zone, activity.starts_at),
        place=activity.place or t("activity.no_place"),
        places=places(t, activity, tally),
        mark=mark(t, standing),
    )


def card(
    t: Translate,
    zone: ZoneInfo,
    activity: Activity,
    tally: Tally,
    units: list[Unit],
    organiser: str,
) -> Safe:
    """The whole activity: what its announcement says, and its detail view."""
    deadline = activity.signup_until or activity.starts_at
    lines = [
        t("activity.card_title", number=activity.id, name=activity.name),
        t("activity.card_kind", kind=kind_name(t, activity.kind)),
        t("activity.card_when", when=moment(t, zone, activity.starts_at)),
        t("activity.card_place", place=activity.place or t("activity.no_place")),
        t("activity.card_places", places=places(t, activity, tally)),
        t("activity.card_deadline", when=moment(t, zone, deadline)),
        t("activity.card_audience", audience=audience(t, units)),
    ]
    if organiser:
        lines.append(t("activity.card_organiser", name=organiser))
    lines.append(t("activity.card_how", number=activity.id))
    return join(lines)


def join_button(t: Translate, activity_id: int) -> Option:
    return Option(t("activity.join_button"), f"{JOIN}{activity_id}")
