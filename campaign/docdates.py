"""Dates as official documents write them, found anywhere in a sentence.

"ngày 19 tháng 12 năm 2025", "19/12/2025", "trước ngày 10/12 hằng năm", "từ ngày 10 đến ngày
15 tháng 12", "từ tháng 10 năm 2025 đến hết tháng 3 năm 2026", "đến hết năm 2025": each is a
When with the span it was read from, the first and last day it covers where a year is known,
and whether it recurs every year. This is the reading of a document, not of a chat message
(campaign.timephrase reads those): no "tomorrow", and nothing is guessed that the text does not
write — a date without a year stays without one unless it recurs or a range gives the year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date

from campaign.text import fold_aligned

_D = r"(0?[1-9]|[12][0-9]|3[01])"
_M = r"(0?[1-9]|1[0-2])"
_Y = r"((?:19|20)[0-9]{2})"
_SEP = r"\s*[/.\-]\s*"

_POINTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dmy", re.compile(rf"\bngay\s*{_D}\s*thang\s*{_M}\s*(?:,\s*)?nam\s*{_Y}\b")),
    ("dmy", re.compile(rf"(?<![0-9/.])\b{_D}{_SEP}{_M}{_SEP}{_Y}\b")),
    ("dmy", re.compile(rf"\b{_D}\s*thang\s*{_M}\s*(?:,\s*)?nam\s*{_Y}\b")),
    ("my", re.compile(rf"\bthang\s*{_M}\s*(?:,\s*)?nam\s*{_Y}\b")),
    ("my", re.compile(rf"\bthang\s*{_M}{_SEP}{_Y}\b")),
    ("dm", re.compile(rf"\bngay\s*{_D}\s*thang\s*{_M}\b")),
    ("dm", re.compile(rf"\bngay\s*{_D}{_SEP}{_M}\b(?!\s*[/.\-]\s*[0-9])")),
    ("dm", re.compile(rf"(?<![0-9/.,])\b{_D}\s*thang\s*{_M}\b")),
    ("dm", re.compile(rf"(?<=\()\s*{_D}\s*/\s*{_M}\s*(?=\))")),
    ("dm_cued", re.compile(rf"(?<![0-9/.,])\b{_D}\s*/\s*{_M}\b(?!\s*[/.\-]?\s*[0-9])")),
    ("my_cued", re.compile(rf"(?<![0-9/.,])\b{_M}\s*/\s*{_Y}\b")),
    ("y", re.compile(rf"\bnam\s*{_Y}\b")),
    ("m", re.compile(rf"\bthang\s*{_M}\b(?!\s*[/.\-]?\s*[0-9])")),
    ("d", re.compile(rf"\bngay\s*{_D}\b(?!\s*[/.\-]\s*[0-9])(?!\s*thang)")),
)
_CUE_BEFORE = re.compile(
    r"(?:ngay|truoc|sau|den|het|tu|vao|dip|han|cham nhat|toi|khoang|cuoi|dau|-|–)\s*$"
)
_RANGE_LINK = re.compile(r"^\s*(?:-|–|—|den|toi)\s*(het\s*)?(?:ngay\s*)?$")
_FROM = re.compile(r"(?:\btu|\bbat dau tu|\bke tu)\s*(?:ngay\s*)?$")
_UNTIL_END = re.compile(r"\bden\s*het\s*(?:ngay\s*)?$")
_YEARLY = re.compile(r"^[\s,)]*(?:cua\s+)?(?:hang|moi)\s*nam\b")


@dataclass(frozen=True)
class Point:
    """A day, a month or a year as written: any part may be missing."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    def first(self) -> date | None:
        if self.year is None:
            return None
        return _safe(self.year, self.month or 1, self.day or 1)

    def last(self) -> date | None:
        if self.year is None:
            return None
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return _safe(self.year, month, day)


@dataclass(frozen=True)
class When:
    """A date or a span of dates in a text, with where it was read from."""

    start: int
    end: int
    text: str
    begin: Point
    finish: Point
    """The same point when it is not a range."""
    yearly: bool = False
    until_end: bool = False
    """Written "đến hết …": the whole of the last day, month or year is included."""
    is_range: bool = False

    @property
    def first(self) -> date | None:
        return self.begin.first()

    @property
    def last(self) -> date | None:
        return self.finish.last()

    def in_year(self, year: int) -> When:
        """A yearly date placed in `year` (also a date that names no year, in context)."""
        begin = self.begin if self.begin.year else replace(self.begin, year=year)
        finish = self.finish if self.finish.year else replace(self.finish, year=year)
        return replace(self, begin=begin, finish=finish)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, min(day, calendar.monthrange(year, month)[1]))
    except ValueError:
        return None


def _point(kind: str, groups: tuple[str | None, ...]) -> Point:
    values = [int(g) for g in groups if g is not None]
    if kind == "dmy":
        return Point(values[2], values[1], values[0])
    if kind in ("my", "my_cued"):
        return Point(values[1], values[0])
    if kind in ("dm", "dm_cued"):
        return Point(None, values[1], values[0])
    if kind == "y":
        return Point(values[0])
    if kind == "m":
        return Point(None, values[0])
    return Point(None, None, values[0])


def _points(folded: str) -> list[tuple[int, int, Point]]:
    """Every point in the text, longest first where two overlap."""
    found: list[tuple[int, int, Point]] = []
    taken = [False] * len(folded)
    for kind, pattern in _POINTS:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            if kind.endswith("_cued") and not _CUE_BEFORE.search(
                folded[max(0, start - 12) : start]
            ):
                continue
            for i in range(start, end):
                taken[i] = True
            found.append((start, end, _point(kind, match.groups())))
    found.sort(key=lambda f: f[0])
    return found


def _fill(partial: Point, full: Point) -> Point:
    """ "từ ngày 10 đến ngày 15 tháng 12 năm 2025": the start takes the month and year the
    end gives."""
    month = partial.month if partial.month is not None else full.month
    year = partial.year if partial.year is not None else full.year
    if partial.month is None and partial.day is not None and full.month is None:
        month = None
    return Point(year, month, partial.day)


def find_dates(text: str) -> list[When]:
    """Dates and ranges of dates written in `text`, in order."""
    folded = fold_aligned(text)
    points = _points(folded)
    result: list[When] = []
    index = 0
    while index < len(points):
        start, end, point = points[index]
        until_end = bool(_UNTIL_END.search(folded[max(0, start - 16) : start]))
        if index + 1 < len(points):
            n_start, n_end, following = points[index + 1]
            link = _RANGE_LINK.match(folded[end:n_start])
            if link:
                span_start = start
                opener = _FROM.search(folded[max(0, start - 14) : start])
                if opener:
                    span_start = start - (len(opener.group(0)))
                begin = _fill(point, following)
                yearly = bool(_YEARLY.match(folded[n_end : n_end + 16]))
                result.append(
                    When(
                        span_start,
                        n_end,
                        text[span_start:n_end],
                        begin,
                        following,
                        yearly=yearly,
                        until_end=bool(link.group(1)),
                        is_range=True,
                    )
                )
                index += 2
                continue
        if point.day is None and point.month is None and point.year is None:
            index += 1
            continue
        yearly = bool(_YEARLY.match(folded[end : end + 16]))
        result.append(When(start, end, text[start:end], point, point, yearly, until_end))
        index += 1
    return [w for w in result if w.begin.month or w.begin.year or w.finish.month]
