"""Vietnamese time phrases ("16h thứ sáu hằng tuần", "chiều mai 3h", "3 ngày nữa") to a moment
and an optional RFC 5545 recurrence.

Our own grammar reads what staff type (weekdays in every spelling, "h"/"giờ"/":" times,
"sáng/chiều/tối", day/month dates, offsets, "hằng ngày/tuần/tháng/năm"); dateparser reads the
rest as a fallback. Conventions: an offset keeps the current time; a day without a time means
08:00 (a part of the day gives its own hour: sáng 8, trưa 12, chiều 14, tối 19); a time already
past today means its next occurrence; dates are day/month; a moment in the past, or a phrase
with nothing recognisable, is refused with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from campaign.inputs import MAX_DAYS, read_int
from campaign.text import fold

DEFAULT_HOUR = 8
PART_HOURS = {"sang": 8, "trua": 12, "chieu": 14, "toi": 19, "dem": 21}
WEEKDAYS = {
    "thu hai": 0, "thu 2": 0, "t2": 0,
    "thu ba": 1, "thu 3": 1, "t3": 1,
    "thu tu": 2, "thu 4": 2, "t4": 2,
    "thu nam": 3, "thu 5": 3, "t5": 3,
    "thu sau": 4, "thu 6": 4, "t6": 4,
    "thu bay": 5, "thu 7": 5, "t7": 5,
    "chu nhat": 6, "cn": 6,
}  # fmt: skip
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
UNITS = {"phut": "minutes", "tieng": "hours", "gio": "hours", "ngay": "days", "tuan": "weeks"}
HORIZON = timedelta(days=MAX_DAYS)
"""The farthest moment a phrase may name: beyond it "sau 99999999 ngày" is refused, not an
overflow of the calendar."""
_MAX_AMOUNT = 1_000_000
"""More minutes than fit in the horizon, so a larger amount is refused before any sum."""


class TimePhraseError(ValueError):
    """The phrase cannot be used; `key` names the message (time.past, time.not_understood…)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Reading:
    at: datetime
    repeat: str | None
    """None, "daily", "weekly", "monthly" or "yearly"."""
    rrule: str | None


@dataclass
class _Parts:
    offset: timedelta | None = None
    clock: tuple[int, int] | None = None
    part_of_day: str | None = None
    day_shift: int | None = None
    """0 today, 1 tomorrow, 2 the day after, -1 yesterday."""
    weekday: int | None = None
    week_shift: int | None = None
    """0 this week, 1 next week (when said)."""
    day: int | None = None
    month: int | None = None
    year: int | None = None
    repeat: str | None = None

    @property
    def anything(self) -> bool:
        return any(
            v is not None
            for v in (self.offset, self.clock, self.part_of_day, self.day_shift, self.weekday,
                      self.day, self.repeat)
        )  # fmt: skip


def _take(pattern: str, text: str) -> tuple[re.Match[str] | None, str]:
    """Find `pattern` in `text` and blank it out, so each word is read once."""
    match = re.search(pattern, text)
    if match is None:
        return None, text
    return match, text[: match.start()] + " " + text[match.end() :]


def _read(folded: str) -> tuple[_Parts, str]:
    parts = _Parts()
    text = f" {folded} "
    # recurrence
    for pattern, repeat in (
        (r" (?:hang|moi) ngay ", "daily"),
        (r" (?:hang|moi) tuan ", "weekly"),
        (r" (?:hang|moi) thang ", "monthly"),
        (r" (?:hang|moi) nam ", "yearly"),
    ):
        match, text = _take(pattern, text)
        if match:
            parts.repeat = repeat
            text = f" {text} "
    match, text = _take(r" moi (sang|trua|chieu|toi) ", text)  # "mỗi sáng thứ hai"
    if match:
        parts.part_of_day = match.group(1)
        parts.repeat = parts.repeat or "daily"
    # offsets: "30 phút nữa", "2 tiếng nữa", "sau 3 ngày"
    match, text = _take(r" ([0-9]+) (phut|tieng|gio|ngay|tuan|thang) nua ", text)
    if match is None:
        match, text = _take(r" sau ([0-9]+) (phut|tieng|gio|ngay|tuan|thang) ", text)
    if match:
        amount, unit = read_int(match.group(1), 0, _MAX_AMOUNT), match.group(2)
        if amount is None:
            raise TimePhraseError("time.too_far")
        parts.offset = (
            timedelta(days=30 * amount) if unit == "thang" else timedelta(**{UNITS[unit]: amount})
        )
    # dates: 25/12/2025, 15/3, "ngày 20 tháng 3 (năm 2025)", "ngày 25" (of the month)
    match, text = _take(r" ([0-9]{1,2})[/.-]([0-9]{1,2})(?:[/.-]([0-9]{4}))? ", text)
    if match is None:
        match, text = _take(r" ngay ([0-9]{1,2}) thang ([0-9]{1,2})(?: nam ([0-9]{4}))? ", text)
    if match:
        parts.day, parts.month = int(match.group(1)), int(match.group(2))
        parts.year = int(match.group(3)) if match.group(3) else None
    else:
        match, text = _take(r" ngay ([0-9]{1,2}) ", text)
        if match:
            parts.day = int(match.group(1))
    # times: 8h, 8h30, 8:30, 8 giờ 15 (phút), 14h, "lúc 10 giờ"
    match, text = _take(r" (?:luc )?([0-9]{1,2})\s?(?:h|g|gio|:)\s?([0-9]{1,2})?(?: phut)? ", text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour > 23 or minute > 59:
            raise TimePhraseError("time.bad_clock")
        parts.clock = (hour, minute)
    # "tuần này / tuần sau" before the day words ("này" alone means today)
    for pattern, shift in ((r" tuan (?:sau|toi) ", 1), (r" tuan nay ", 0)):
        match, text = _take(pattern, text)
        if match:
            parts.week_shift = shift
    # days
    for pattern, shift in (
        (r" hom qua ", -1), (r" hom kia ", -2), (r" ngay kia ", 2), (r" ngay mot ", 2),
        (r" (?:ngay )?mai ", 1), (r" hom nay ", 0), (r" nay ", 0),
    ):  # fmt: skip
        match, text = _take(pattern, text)
        if match:
            parts.day_shift = shift
            break
    match, text = _take(r" (sang|trua|chieu|toi|dem) ", text)
    if match:
        parts.part_of_day = match.group(1)
    for name, weekday in sorted(WEEKDAYS.items(), key=lambda kv: -len(kv[0])):
        match, text = _take(rf" {name} ", text)
        if match:
            parts.weekday = weekday
            break
    text = re.sub(r"\b(?:vao|luc|ngay|gio|nhe|nha|a)\b", " ", text)
    return parts, " ".join(text.split())


def _hour(parts: _Parts) -> tuple[int, int]:
    if parts.clock is None:
        return PART_HOURS.get(parts.part_of_day or "", DEFAULT_HOUR), 0
    hour, minute = parts.clock
    afternoon = parts.part_of_day in ("chieu", "toi") and hour < 12
    late = (parts.part_of_day == "dem" and 6 <= hour < 12) or (
        parts.part_of_day == "trua" and hour < 6
    )
    if afternoon or late:
        hour += 12
    return hour, minute


def read(phrase: str, now: datetime) -> Reading:
    """How the bot reads `phrase` said at `now` (an aware datetime in the bot's zone)."""
    folded = fold(phrase).replace(",", " ")
    if not folded:
        raise TimePhraseError("time.empty")
    parts, rest = _read(folded)
    if not parts.anything:
        return _fallback(phrase, now)
    if rest:
        raise TimePhraseError("time.not_understood")  # "8h quả chuối": half a time is no time
    if parts.repeat == "daily" and parts.weekday is not None:
        parts.repeat = "weekly"  # "mỗi sáng thứ hai"
    zone = now.tzinfo
    hour, minute = _hour(parts)
    at_time = time(hour, minute)

    def at(day: date) -> datetime:
        return datetime.combine(day, at_time, tzinfo=zone)

    today = now.date()
    if parts.offset is not None:
        if parts.offset > HORIZON:
            raise TimePhraseError("time.too_far")
        moment = now + parts.offset
        if parts.clock is not None or parts.part_of_day is not None:
            moment = at(moment.date())
    elif parts.day is not None and parts.month is not None:
        year = parts.year or today.year
        moment = _on(year, parts.month, parts.day, at)
        if parts.year is None and moment <= now:
            moment = _on(year + 1, parts.month, parts.day, at)
    elif parts.day is not None:  # "ngày 25 (hàng tháng)": the next 25th
        moment = _next_month_day(parts.day, now, at)
    elif parts.weekday is not None:
        if parts.week_shift is not None:
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=parts.week_shift)
            moment = at(monday + timedelta(days=parts.weekday))
        else:
            ahead = (parts.weekday - today.weekday()) % 7
            moment = at(today + timedelta(days=ahead))
            if moment <= now:
                moment = at(today + timedelta(days=ahead + 7))
    elif parts.day_shift is not None:
        moment = at(today + timedelta(days=parts.day_shift))
    else:  # a time alone: today, or tomorrow when it has passed
        moment = at(today)
        if moment <= now:
            moment = at(today + timedelta(days=1))
    if parts.repeat == "daily" and moment <= now:
        moment = at(today + timedelta(days=1))
    if moment <= now:
        raise TimePhraseError("time.past")
    return Reading(_near(moment, now), parts.repeat, _rrule(parts.repeat, moment))


def _near(moment: datetime, now: datetime) -> datetime:
    if moment - now > HORIZON:
        raise TimePhraseError("time.too_far")
    return moment


def _on(year: int, month: int, day: int, at: Callable[[date], datetime]) -> datetime:
    try:
        return at(date(year, month, day))
    except ValueError:
        raise TimePhraseError("time.bad_date") from None


def _next_month_day(day: int, now: datetime, at: Callable[[date], datetime]) -> datetime:
    if not 1 <= day <= 31:
        raise TimePhraseError("time.bad_date")
    year, month = now.year, now.month
    for _ in range(13):
        try:
            moment = at(date(year, month, day))
            if moment > now:
                return moment
        except ValueError:
            pass
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise TimePhraseError("time.bad_date")


def _rrule(repeat: str | None, moment: datetime) -> str | None:
    if repeat is None:
        return None
    if repeat == "daily":
        rule = "FREQ=DAILY"
    elif repeat == "weekly":
        rule = f"FREQ=WEEKLY;BYDAY={RRULE_DAYS[moment.weekday()]}"
    elif repeat == "monthly":
        rule = f"FREQ=MONTHLY;BYMONTHDAY={moment.day}"
    else:
        rule = f"FREQ=YEARLY;BYMONTH={moment.month};BYMONTHDAY={moment.day}"
    return f"{rule};BYHOUR={moment.hour};BYMINUTE={moment.minute}"


def _fallback(phrase: str, now: datetime) -> Reading:
    """What our grammar does not read, dateparser may ("25 tháng 12 năm 2025 lúc 8 giờ")."""
    import dateparser

    if not re.search(r"[0-9]", phrase):
        raise TimePhraseError("time.not_understood")
    found = dateparser.parse(
        phrase,
        languages=["vi", "en"],
        settings={
            "RELATIVE_BASE": now.replace(tzinfo=None),
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "DMY",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    if found is None:
        raise TimePhraseError("time.not_understood")
    moment = found.replace(tzinfo=now.tzinfo)
    if moment <= now:
        raise TimePhraseError("time.past")
    return Reading(_near(moment, now), None, None)
