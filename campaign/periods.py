"""When a campaign is on, and the windows inside it: registration, self-assessment.

A campaign is active while its period covers today. The document's own words decide: an
explicit period ("đến hết ngày 31/12/2026"), else the year it names ("năm 2026"), else a year
from the day it was issued. The registration deadline and the self-assessment window come from
the deadlines the documents set ("đăng ký thi đua trước ngày …", "đánh giá, xếp loại … trước
ngày 15 tháng 12 hằng năm"), never from a fixed date of a past year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from campaign.facts import Deadline
from campaign.text import fold

DEFAULT_REGISTRATION = (3, 31)
"""By the end of March (DOMAIN.md), when the documents set no registration deadline."""
ASSESSMENT_DAYS = 15
"""A deadline "trước ngày 15/12" opens self-assessment this many days before it."""


@dataclass(frozen=True)
class Span:
    start: date
    end: date

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


def span_of(
    period_start: date | None, period_end: date | None, issued_on: date | None, year: int
) -> Span:
    """The days a campaign is active. Without an end date in the document, a campaign named
    for a year ends with that year, and one that names no year lasts a year from its start."""
    start = period_start or issued_on or date(year, 1, 1)
    if period_end is not None:
        end = period_end
    elif year >= start.year:
        end = date(year, 12, 31)
    else:
        end = start + timedelta(days=365)
    return Span(min(start, end), end)


@dataclass(frozen=True)
class CampaignDates:
    """What the rules need of a stored campaign, without its text."""

    key: int
    year: int
    period_start: date | None
    period_end: date | None
    issued_on: date | None

    @property
    def span(self) -> Span:
        return span_of(self.period_start, self.period_end, self.issued_on, self.year)


def active(campaigns: Iterable[CampaignDates], day: date) -> list[CampaignDates]:
    """The campaigns on today, the one pledges belong to first: the longest (the yearly
    campaign rather than a short drive), then the most recently started."""
    on = [c for c in campaigns if c.span.covers(day)]
    return sorted(on, key=lambda c: (-(c.span.end - c.span.start).days, -c.span.start.toordinal()))


def of_year(campaigns: Sequence[CampaignDates], year: int) -> CampaignDates | None:
    """The campaign pledges of `year` belong to: the longest of that year."""
    found = [c for c in campaigns if c.year == year]
    found.sort(key=lambda c: -(c.span.end - c.span.start).days)
    return found[0] if found else None


_REGISTRATION_WORDS = ("dang ky thi dua", "dang ky danh hieu", "dang ky")
_ASSESSMENT_WORDS = (
    "tu danh gia",
    "tu cham diem",
    "danh gia, xep loai",
    "danh gia xep loai",
    "xep loai chat luong",
    "tu nhan xet",
)


def _mentions(deadline: Deadline, words: Sequence[str]) -> bool:
    text = fold(deadline.text)
    return any(w in text for w in words)


def _in_year(deadline: Deadline, year: int) -> date | None:
    when = deadline.date
    if when is None:
        return None
    if deadline.yearly and when.year != year:
        try:
            return when.replace(year=year)
        except ValueError:  # 29 February
            return when.replace(year=year, day=28)
    return when


def registration_deadline(deadlines: Iterable[Deadline], year: int) -> date:
    """The last day to register a pledge in `year`: the documents' own, else 31 March."""
    for deadline in deadlines:
        if _mentions(deadline, _REGISTRATION_WORDS):
            when = _in_year(deadline, year)
            if when is not None and when.year == year:
                return when
    return date(year, *DEFAULT_REGISTRATION)


def assessment_window(deadlines: Iterable[Deadline], year: int) -> Span | None:
    """When members assess themselves in `year`: up to the documents' assessment deadline
    ("từ ngày 10 đến ngày 15 tháng 12", or ASSESSMENT_DAYS before "trước ngày 15/12"); None
    when no document sets one (then an admin opens it)."""
    found: list[Span] = []
    for deadline in deadlines:
        if not _mentions(deadline, _ASSESSMENT_WORDS):
            continue
        end = _in_year(deadline, year)
        if end is None or end.year != year:
            continue
        start = deadline.start
        if start is not None and deadline.yearly and start.year != year:
            start = start.replace(year=year)
        if start is None or start > end:
            start = end - timedelta(days=ASSESSMENT_DAYS)
        found.append(Span(start, end))
    if not found:
        return None
    return min(found, key=lambda s: s.end)
