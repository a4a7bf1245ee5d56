"""The calendar of commemorations: the campaign's own list plus a bundled table of days.

The launch document names the days the campaign dedicates achievements to, but not always
their dates ("194 năm ngày thành lập tỉnh Lạng Sơn"). The bundled table fills those in and adds
the national days users expect the calendar to know. Anniversaries are computed for any year:
year minus the first year.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from campaign.text import fold


@dataclass(frozen=True)
class Observance:
    name: str
    month: int
    day: int | None
    first_year: int | None
    scope: str
    """"campaign" (from the document), "national", "province", "sector", or "custom"."""
    nth_weekday: tuple[int, int] | None = None
    """(n, weekday): the n-th weekday of the month (Monday is 0), when `day` is None."""
    only_year: int | None = None
    """A one-off event happens in this year only."""
    source: str | None = None
    """The document section it was read from, for a campaign observance."""
    phrase: str | None = None
    """The document's own words for it."""
    dated_by: str = "table"
    """Where the date comes from: "document", "table" (the bundled table) or "admin"."""

    def on(self, year: int) -> date | None:
        """The date in `year`, or None when it does not happen that year."""
        if self.only_year is not None and year != self.only_year:
            return None
        if self.first_year is not None and self.only_year is None and year < self.first_year:
            return None
        if self.day is not None:
            last = _stdlib_calendar.monthrange(year, self.month)[1]
            return date(year, self.month, min(self.day, last))
        if self.nth_weekday is not None:
            n, weekday = self.nth_weekday
            first = date(year, self.month, 1)
            offset = (weekday - first.weekday()) % 7
            return first + timedelta(days=offset + 7 * (n - 1))
        return None

    def anniversary(self, year: int) -> int | None:
        if self.first_year is None or self.only_year is not None or year <= self.first_year:
            return None
        return year - self.first_year


@dataclass(frozen=True)
class Occurrence:
    date: date
    observance: Observance
    anniversary: int | None
    days_left: int


SUNDAY = 6

BUNDLED: tuple[Observance, ...] = (
    Observance("Ngày thành lập Đảng Cộng sản Việt Nam", 2, 3, 1930, "national"),
    Observance("Ngày Quốc tế Phụ nữ", 3, 8, 1910, "national"),
    Observance("Ngày thành lập Đoàn TNCS Hồ Chí Minh", 3, 26, 1931, "national"),
    Observance("Ngày giải phóng hoàn toàn miền Nam, thống nhất đất nước", 4, 30, 1975, "national"),
    Observance("Ngày Quốc tế Lao động", 5, 1, 1886, "national"),
    Observance("Ngày chiến thắng Điện Biên Phủ", 5, 7, 1954, "national"),
    Observance("Ngày sinh Chủ tịch Hồ Chí Minh", 5, 19, 1890, "national"),
    Observance("Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc", 6, 11, 1948, "national"),
    Observance("Ngày Thương binh - Liệt sĩ", 7, 27, 1947, "national"),
    Observance("Ngày thành lập Công đoàn Việt Nam", 7, 28, 1929, "national"),
    Observance("Ngày sinh đồng chí Lương Văn Tri", 8, 17, 1910, "province"),
    Observance("Ngày Cách mạng tháng Tám thành công", 8, 19, 1945, "national"),
    Observance("Ngày truyền thống ngành Giao thông vận tải", 8, 28, 1945, "sector"),
    Observance("Ngày Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam", 9, 2, 1945, "national"),
    Observance("Ngày Khởi nghĩa Bắc Sơn", 9, 27, 1940, "province"),
    Observance("Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam", 10, 20, 1930, "national"),
    Observance("Ngày thành lập tỉnh Lạng Sơn", 11, 4, 1831, "province"),
    Observance("Ngày sinh đồng chí Hoàng Văn Thụ", 11, 4, 1909, "province"),
    Observance("Ngày Pháp luật Việt Nam", 11, 9, None, "national"),
    Observance(
        "Ngày Thế giới tưởng niệm các nạn nhân tử vong do tai nạn giao thông",
        11,
        None,
        None,
        "sector",
        nth_weekday=(3, SUNDAY),
    ),
    Observance("Ngày Nhà giáo Việt Nam", 11, 20, 1982, "national"),
    Observance("Ngày thành lập Quân đội nhân dân Việt Nam", 12, 22, 1944, "national"),
)

GENERIC_WORDS = frozenset(
    {"ngay", "ky", "niem", "nam", "cua", "le", "dong", "chi", "cac", "va", "do"}
)
"""Words every commemoration's name shares; they tell none apart."""


def name_words(name: str) -> set[str]:
    """The words that tell one commemoration from another ("lương văn tri", not "ngày sinh")."""
    return {
        w for w in fold(name).replace(",", " ").replace("-", " ").split() if w not in GENERIC_WORDS
    }


def same_day(a: Observance, b: Observance) -> bool:
    """Whether two entries name one commemoration (the document's and the table's)."""
    words_a, words_b = name_words(a.name), name_words(b.name)
    if not words_a or not words_b:
        return False
    overlap = len(words_a & words_b) / min(len(words_a), len(words_b))
    dates_agree = a.day is None or b.day is None or (a.month, a.day) == (b.month, b.day)
    return dates_agree and overlap >= 0.75


def from_campaign(campaign: Any) -> list[Observance]:
    """The campaign's commemorations, dated from the document or else from the bundled table."""
    result = []
    for item in campaign.commemorations:
        observance = Observance(
            name=item.name,
            month=item.month or 0,
            day=item.day,
            first_year=item.first_year,
            scope="campaign",
            source=item.section,
            phrase=item.phrase,
            dated_by="document",
        )
        if item.day is None:
            known = next((b for b in BUNDLED if same_day(observance, b)), None)
            if known is None:
                continue  # no date anywhere: it cannot be placed on a calendar
            observance = replace(observance, month=known.month, day=known.day, dated_by="table")
        result.append(observance)
    return result


def build(campaign: Any, extra: Iterable[Observance] = ()) -> list[Observance]:
    """Campaign days first, then bundled and custom days that are not the same commemoration."""
    result = from_campaign(campaign) if campaign is not None else []
    for candidate in (*BUNDLED, *extra):
        if not any(same_day(candidate, existing) for existing in result):
            result.append(candidate)
    return result


def upcoming(
    observances: Iterable[Observance],
    start: date,
    *,
    days: int | None = None,
    limit: int | None = None,
) -> list[Occurrence]:
    """Occurrences from `start` (included), within `days` days and/or the first `limit`."""
    observances = list(observances)
    horizon = start + timedelta(days=days - 1) if days is not None else None
    found: list[Occurrence] = []
    last_year = (horizon.year if horizon else start.year + 1) + 1
    for year in range(start.year, last_year):
        for observance in observances:
            when = observance.on(year)
            if when is None or when < start or (horizon is not None and when > horizon):
                continue
            found.append(
                Occurrence(when, observance, observance.anniversary(year), (when - start).days)
            )
    found.sort(key=lambda o: (o.date, o.observance.scope != "campaign", o.observance.name))
    return found[:limit] if limit is not None else found


def next_of(observance: Observance, start: date) -> Occurrence | None:
    for year in (start.year, start.year + 1, start.year + 2):
        when = observance.on(year)
        if when is not None and when >= start:
            return Occurrence(when, observance, observance.anniversary(year), (when - start).days)
    return None


def merge(document_days: Iterable[Observance], others: Iterable[Observance]) -> list[Observance]:
    """Days named in documents first (dated from the other days when the document gives only
    the number of years), then the other days that are not the same commemoration."""
    others = list(others)
    result: list[Observance] = []
    for day in document_days:
        if day.day is None:
            known = next((b for b in others if same_day(day, b)), None)
            if known is None:
                continue  # no date anywhere: it cannot be placed on a calendar
            day = replace(day, month=known.month, day=known.day, dated_by="table")
        if not any(same_day(day, existing) for existing in result):
            result.append(day)
    for candidate in others:
        if not any(same_day(candidate, existing) for existing in result):
            result.append(candidate)
    return result
