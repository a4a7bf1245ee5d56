"""The calendar of commemorations: the document's own days, the national days, the provincial
and sector days an agency chose, and the days its admins added or hid.

A launch document names the days the campaign dedicates achievements to, but not always their
dates ("194 năm ngày thành lập tỉnh Lạng Sơn"); the tables here fill those in. Only the
national days are for everyone: a province's or a sector's days are packs chosen by the
settings (BOT_PROVINCE, BOT_SECTOR), so an agency in Cà Mau does not see Lạng Sơn's days.
Anniversaries are computed for any year: year minus the first year. Pure: no I/O; the chosen
packs and the admins' days are passed in.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Protocol

from campaign.text import fold

SCOPES = ("national", "province", "sector", "document", "custom")
"""Where a day comes from: the national table, a provincial or sector pack, an imported
document, or an admin (/sukien them)."""


@dataclass(frozen=True)
class Observance:
    name: str
    month: int
    day: int | None
    first_year: int | None
    scope: str
    """One of SCOPES."""
    nth_weekday: tuple[int, int] | None = None
    """(n, weekday): the n-th weekday of the month (Monday is 0), when `day` is None."""
    only_year: int | None = None
    """A one-off event happens in this year only."""
    source: str | None = None
    """The document section it was read from, for a document day."""
    phrase: str | None = None
    """The document's own words for it."""
    dated_by: str = "table"
    """Where the date comes from: "document", "table" (national or pack) or "admin"."""

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

NATIONAL: tuple[Observance, ...] = (
    Observance("Ngày thành lập Đảng Cộng sản Việt Nam", 2, 3, 1930, "national"),
    Observance("Ngày Quốc tế Phụ nữ", 3, 8, 1910, "national"),
    Observance("Ngày thành lập Đoàn TNCS Hồ Chí Minh", 3, 26, 1931, "national"),
    Observance("Ngày giải phóng hoàn toàn miền Nam, thống nhất đất nước", 4, 30, 1975, "national"),
    Observance("Ngày Quốc tế Lao động", 5, 1, 1886, "national"),
    Observance("Ngày chiến thắng Điện Biên Phủ", 5, 7, 1954, "national"),
    Observance("Ngày sinh Chủ tịch Hồ Chí Minh", 5, 19, 1890, "national"),
    Observance("Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc", 6, 11, 1948, "national"),
    Observance("Ngày Báo chí cách mạng Việt Nam", 6, 21, 1925, "national"),
    Observance("Ngày Thương binh - Liệt sĩ", 7, 27, 1947, "national"),
    Observance("Ngày thành lập Công đoàn Việt Nam", 7, 28, 1929, "national"),
    Observance("Ngày Cách mạng tháng Tám thành công", 8, 19, 1945, "national"),
    Observance("Ngày Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam", 9, 2, 1945, "national"),
    Observance("Ngày Doanh nhân Việt Nam", 10, 13, 2004, "national"),
    Observance("Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam", 10, 20, 1930, "national"),
    Observance("Ngày Pháp luật Việt Nam", 11, 9, None, "national"),
    Observance("Ngày Nhà giáo Việt Nam", 11, 20, 1982, "national"),
    Observance("Ngày Toàn quốc kháng chiến", 12, 19, 1946, "national"),
    Observance("Ngày thành lập Quân đội nhân dân Việt Nam", 12, 22, 1944, "national"),
)
"""The days every agency in the country commemorates."""

TRANSPORT_DAY = Observance("Ngày truyền thống ngành Giao thông vận tải", 8, 28, 1945, "sector")
"""Carried by two packs: transport merged into construction in 2025, and a construction
department keeps the transport tradition day."""

PROVINCE_PACKS: dict[str, tuple[Observance, ...]] = {
    "ha-noi": (Observance("Ngày Giải phóng Thủ đô", 10, 10, 1954, "province"),),
    "lang-son": (
        Observance("Ngày sinh đồng chí Lương Văn Tri", 8, 17, 1910, "province"),
        Observance("Ngày Khởi nghĩa Bắc Sơn", 9, 27, 1940, "province"),
        Observance("Ngày thành lập tỉnh Lạng Sơn", 11, 4, 1831, "province"),
        Observance("Ngày sinh đồng chí Hoàng Văn Thụ", 11, 4, 1909, "province"),
    ),
}
"""A province's own days, by the name BOT_PROVINCE uses. Only days whose date and first year
are well established; an agency adds the rest with /sukien them."""

SECTOR_PACKS: dict[str, tuple[Observance, ...]] = {
    "giao-thong": (
        TRANSPORT_DAY,
        Observance(
            "Ngày Thế giới tưởng niệm các nạn nhân tử vong do tai nạn giao thông",
            11,
            None,
            None,
            "sector",
            nth_weekday=(3, SUNDAY),
        ),
    ),
    "noi-vu": (Observance("Ngày truyền thống ngành Tổ chức nhà nước", 8, 28, 1945, "sector"),),
    "xay-dung": (
        Observance("Ngày truyền thống ngành Xây dựng", 4, 29, 1958, "sector"),
        TRANSPORT_DAY,
    ),
    "y-te": (Observance("Ngày Thầy thuốc Việt Nam", 2, 27, 1955, "sector"),),
}
"""A sector's own days, by the name BOT_SECTOR uses."""


def pack_name(text: str) -> str:
    """The pack name someone meant: "Lạng Sơn", "lang_son" and "LANG-SON" are all "lang-son"."""
    return "-".join(fold(text).replace("_", " ").replace("-", " ").split())


def packs(province: Sequence[str] = (), sector: Sequence[str] = ()) -> tuple[Observance, ...]:
    """The national days, then the chosen provinces' and sectors' days, each once.

    Raises ValueError for a name that is no pack (the settings refuse it before this)."""
    chosen = list(NATIONAL)
    for names, table, kind in (
        (province, PROVINCE_PACKS, "province"),
        (sector, SECTOR_PACKS, "sector"),
    ):
        for name in names:
            if name not in table:
                raise ValueError(f"unknown {kind} pack {name!r}; known: {', '.join(table)}")
            chosen.extend(day for day in table[name] if day not in chosen)
    return tuple(chosen)


@dataclass(frozen=True)
class HiddenDay:
    """A national, pack or document day an admin took off the calendar (/sukien xoa)."""

    name: str
    day: int
    month: int
    """The date it was shown on; for a day like "the third Sunday of November" only the
    month has to agree."""

    def hides(self, observance: Observance) -> bool:
        """Whether this is `observance`, or the same commemoration under other words."""
        if observance.month != self.month or observance.day not in (None, self.day):
            return False
        return fold(observance.name) == fold(self.name) or same_day(
            observance, Observance(self.name, self.month, self.day, None, "custom")
        )


class NamedDay(Protocol):
    """A commemoration as a document names it (campaign.document.Commemoration is one)."""

    @property
    def name(self) -> str: ...
    @property
    def anniversary(self) -> int | None: ...
    @property
    def first_year(self) -> int | None: ...
    @property
    def day(self) -> int | None: ...
    @property
    def month(self) -> int | None: ...
    @property
    def phrase(self) -> str | None: ...
    @property
    def section(self) -> str | None: ...


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


def document_days(
    commemorations: Iterable[NamedDay], known: Iterable[Observance] = NATIONAL
) -> list[Observance]:
    """A document's commemorations as calendar days (scope "document").

    A document often gives only the number of years ("194 năm ngày thành lập tỉnh"): such a
    day takes its date from the same commemoration among `known` (the national days and the
    chosen packs); with no date anywhere it cannot be placed on a calendar and is left out."""
    known = tuple(known)
    result = []
    for item in commemorations:
        observance = Observance(
            name=item.name,
            month=item.month or 0,
            day=item.day,
            first_year=item.first_year,
            scope="document",
            source=item.section,
            phrase=item.phrase,
            dated_by="document",
        )
        if item.day is None or item.month is None:
            match = next(
                (
                    k
                    for k in known
                    if (k.day is not None or k.nth_weekday is not None)
                    and observance.month in (0, k.month)
                    and same_day(observance, k)
                ),
                None,
            )
            if match is None:
                continue
            observance = replace(
                observance,
                month=match.month,
                day=match.day,
                nth_weekday=match.nth_weekday,
                dated_by="table",
            )
        result.append(observance)
    return result


def build(
    document_days: Iterable[Observance],
    packs: Iterable[Observance],
    custom: Iterable[Observance] = (),
    hidden: Iterable[HiddenDay] = (),
) -> list[Observance]:
    """The calendar: document days first (their words and section are the richest), then the
    pack days (national included) and the admins' days that are not the same commemoration as
    an earlier one; days an admin hid are left out.

    Hiding applies to the document and pack days, after merging, so hiding the document's
    "Ngày thành lập Đảng" does not bring back the national table's entry for it. Custom days
    are deleted rather than hidden, so a day an admin adds by hand always shows, even one that
    was hidden before."""
    hidden = tuple(hidden)
    merged = list(document_days)
    for candidate in packs:
        if not any(same_day(candidate, existing) for existing in merged):
            merged.append(candidate)
    result = [o for o in merged if not any(h.hides(o) for h in hidden)]
    for candidate in custom:
        if not any(same_day(candidate, existing) for existing in result):
            result.append(candidate)
    return result


LOOKAHEAD_YEARS = 10
"""How far ahead a count of events may look: enough for /sukien 50 on a calendar of five days
a year, and a bound on the work for a calendar with almost nothing in it."""


def upcoming(
    observances: Iterable[Observance],
    start: date,
    *,
    days: int | None = None,
    limit: int | None = None,
) -> list[Occurrence]:
    """Occurrences from `start` (included), within `days` days and/or the first `limit`.

    The order is fixed (date, document days first, name), so "event 3" means the same day in
    /sukien, /sukien 30 and /sukien xoa 3. With a `limit` and no window, the limit counts
    events: the search goes on year by year until it has that many ("/sukien 30" shows 30
    even on a calendar of a dozen days a year), but not past LOOKAHEAD_YEARS."""
    observances = list(observances)
    horizon = start + timedelta(days=days - 1) if days is not None else None
    found: list[Occurrence] = []
    if horizon is not None:
        last_year = horizon.year + 1
    elif limit is not None:
        last_year = start.year + LOOKAHEAD_YEARS + 1
    else:
        last_year = start.year + 2
    for year in range(start.year, last_year):
        if horizon is None and limit is not None and len(found) >= limit:
            break  # every later year's days come after the ones found
        for observance in observances:
            when = observance.on(year)
            if when is None or when < start or (horizon is not None and when > horizon):
                continue
            found.append(
                Occurrence(when, observance, observance.anniversary(year), (when - start).days)
            )
    found.sort(key=lambda o: (o.date, o.observance.scope != "document", o.observance.name))
    return found[:limit] if limit is not None else found


def next_of(observance: Observance, start: date) -> Occurrence | None:
    """The next time `observance` happens, from `start` (included) within two years."""
    for year in (start.year, start.year + 1, start.year + 2):
        when = observance.on(year)
        if when is not None and when >= start:
            return Occurrence(when, observance, observance.anniversary(year), (when - start).days)
    return None
