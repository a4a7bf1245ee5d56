"""The documents the bot knows, parsed and indexed once and kept in memory, and the calendar.

Parsing a document takes milliseconds to a second, a question must take less: each stored
document version is parsed once per process (in a worker thread, so chats go on meanwhile),
and the set a question is answered from — the campaigns on today and the library of
regulations — is indexed once per set of versions. Days added or hidden by admins are read on
each use (a small table) so every process sees them at once. The library holds the calendar
packs the agency chose (BOT_PROVINCE, BOT_SECTOR), so every place that shows days (/sukien,
answers, the scheduler's notices, `python -m bot events`) shows the same ones.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from campaign import calendar, periods
from campaign.answers import Entry, Knowledge
from campaign.calendar import HiddenDay, Observance
from campaign.document import Document, parse
from campaign.facts import Deadline, Facts, read_facts
from storage import calendar_days, campaigns
from storage.db import Database
from storage.models import CampaignDocument, CustomEvent


def custom_observance(event: CustomEvent) -> Observance:
    """An admin's day: yearly since its year, or once in that year."""
    return Observance(
        name=event.name,
        month=event.month,
        day=event.day,
        first_year=event.year,
        scope="custom",
        only_year=event.year if event.one_off else None,
        dated_by="admin",
    )


def hidden_day(event: CustomEvent) -> HiddenDay:
    return HiddenDay(name=event.name, day=event.day, month=event.month)


def dates_of(row: CampaignDocument) -> periods.CampaignDates:
    return periods.CampaignDates(row.id, row.year, row.period_start, row.period_end, row.issued_on)


@dataclass(frozen=True)
class Parsed:
    document: Document
    facts: Facts


MAX_SHELVES = 4


def _indexed(entries: list[Entry]) -> Knowledge:
    """The index and the owners of passages, built at once (in a worker thread), so no
    question waits for them."""
    knowledge = Knowledge(entries)
    knowledge.owners()
    return knowledge


def read(text: str, year: int) -> Parsed:
    document = parse(text, year=year)
    return Parsed(document, read_facts(document))


class CampaignLibrary:
    def __init__(
        self,
        packs: Sequence[Observance] = calendar.NATIONAL,
        reader: Callable[[str, int], Parsed] = read,
    ) -> None:
        self.packs = tuple(packs)
        self.reader = reader
        """Parses a stored text (in a worker thread); tests give one that waits."""
        """The national days and the packs chosen by the settings (`calendar.packs(...)`)."""
        self._parsed: dict[int, tuple[datetime, Parsed]] = {}
        self._shelves: dict[tuple[tuple[int, datetime], ...], Knowledge] = {}
        self._built: tuple[Knowledge | None, tuple[tuple[object, ...], ...], list[Observance]]
        self._built = (None, (("none",),), [])
        """The last calendar built, with what it was built from: every question needs it,
        and it changes only with the documents and the admins' days (issue 14)."""

    async def parsed(self, session: AsyncSession, row: CampaignDocument) -> Parsed:
        cached = self._parsed.get(row.id)
        if cached is not None and cached[0] == row.imported_at:
            return cached[1]
        text = await campaigns.document_text(session, row.id)
        parsed = await asyncio.to_thread(self.reader, text, row.year)
        self._parsed[row.id] = (row.imported_at, parsed)
        return parsed

    async def prepare(self, db: Database) -> int:
        """Parse, in a worker thread and outside any transaction, the stored documents not
        parsed yet (one another process imported): the scheduler calls this every tick, so
        the questions and ticks that follow find them ready instead of parsing while they hold
        the database (SQLite's one writer). Returns how many were parsed."""
        async with db.transaction() as session:
            rows = await campaigns.list_documents(session)
            stale = [r for r in rows if self._parsed.get(r.id, (None,))[0] != r.imported_at]
            texts = [(row, await campaigns.document_text(session, row.id)) for row in stale]
        for row, text in texts:
            parsed = await asyncio.to_thread(self.reader, text, row.year)
            self._parsed[row.id] = (row.imported_at, parsed)
        return len(texts)

    # -- which campaign ------------------------------------------------------------------
    # Every choice reads the one small list of documents (not their text) once: a question
    # costs one statement here, whatever it needs.

    @staticmethod
    def _active(rows: Sequence[CampaignDocument], today: date) -> list[CampaignDocument]:
        by_id = {row.id: row for row in rows if not row.library}
        on = periods.active([dates_of(r) for r in by_id.values()], today)
        return [by_id[c.key] for c in on]

    @staticmethod
    def _latest(rows: Sequence[CampaignDocument]) -> CampaignDocument | None:
        return max(
            (r for r in rows if not r.library), key=lambda r: dates_of(r).span.end, default=None
        )

    async def active(self, session: AsyncSession, today: date) -> list[CampaignDocument]:
        """The campaigns on today, the one pledges belong to first."""
        return self._active(await campaigns.list_documents(session), today)

    async def current(self, session: AsyncSession, today: date) -> CampaignDocument | None:
        """The campaign pledges, progress and ratings belong to today, if one is on."""
        found = await self.active(session, today)
        return found[0] if found else None

    async def of_year(self, session: AsyncSession, year: int) -> CampaignDocument | None:
        """The campaign of a past (or coming) year: `/camket 2025`, `stats --year 2025`."""
        rows = {r.id: r for r in await campaigns.list_documents(session) if not r.library}
        found = periods.of_year([dates_of(r) for r in rows.values()], year)
        return rows[found.key] if found else None

    async def years(self, session: AsyncSession) -> list[int]:
        """The years there are campaigns of, to name when another year is asked for."""
        rows = await campaigns.list_documents(session)
        return sorted({dates_of(r).year for r in rows if not r.library})

    async def latest(self, session: AsyncSession) -> CampaignDocument | None:
        """The campaign that ended last (the one to read when none is on)."""
        return self._latest(await campaigns.list_documents(session))

    async def registration_deadline(self, session: AsyncSession, row: CampaignDocument) -> date:
        """An admin's setting, else the documents' own deadline, else 31 March."""
        if row.registration_deadline is not None:
            return row.registration_deadline
        return periods.registration_deadline(await self._deadlines(session, row), row.year)

    async def assessment_window(
        self, session: AsyncSession, row: CampaignDocument
    ) -> periods.Span | None:
        return periods.assessment_window(await self._deadlines(session, row), row.year)

    async def _deadlines(self, session: AsyncSession, row: CampaignDocument) -> list[Deadline]:
        """The deadlines of the campaign's document, then of the library's regulations."""
        found = list((await self.parsed(session, row)).facts.deadlines)
        for regulation in await campaigns.library(session):
            found.extend((await self.parsed(session, regulation)).facts.deadlines)
        return found

    # -- what questions are answered from ------------------------------------------------

    async def knowledge(
        self, session: AsyncSession, today: date, *, year: int | None = None
    ) -> Knowledge | None:
        """The documents a question is answered from: the campaigns of `year`, else those on
        today (else the one that ended last), with the library; None when there are none."""
        rows = await campaigns.list_documents(session)
        if year is not None:
            chosen = [r for r in rows if r.year == year and not r.library]
            if not chosen:
                return None
        else:
            chosen = self._active(rows, today)
            if not chosen:
                latest = self._latest(rows)
                chosen = [latest] if latest else []
        shelf = [*chosen, *(r for r in rows if r.library)]
        if not shelf:
            return None
        key = tuple((row.id, row.imported_at) for row in shelf)
        knowledge = self._shelves.get(key)
        if knowledge is None:
            entries = []
            for row in shelf:
                parsed = await self.parsed(session, row)
                ended = (
                    row.period_end
                    if not row.library and row.period_end is not None and row.period_end < today
                    else None
                )
                entries.append(Entry(row.id, parsed.document, parsed.facts, not row.library, ended))
            knowledge = await asyncio.to_thread(_indexed, entries)
            if len(self._shelves) >= MAX_SHELVES:  # today's set, and a few past years asked for
                self._shelves.pop(next(iter(self._shelves)))
            self._shelves[key] = knowledge
        return knowledge.with_observances(await self._calendar(session, knowledge))

    async def observances(self, session: AsyncSession, today: date) -> list[Observance]:
        """The calendar as it stands today: the days named in today's documents (if any),
        the packs and the admins' days, hidden ones left out."""
        knowledge = await self.knowledge(session, today)
        if knowledge is not None:
            return knowledge.observances
        return await self._calendar(session, None)

    async def _calendar(
        self, session: AsyncSession, knowledge: Knowledge | None
    ) -> list[Observance]:
        shown, hidden = await calendar_days.admin_days(session)
        days = tuple(
            (e.id, e.name, e.day, e.month, e.year, e.one_off, e.hidden) for e in (*shown, *hidden)
        )
        built = self._built
        if built[0] is knowledge and built[1] == days:
            return list(built[2])
        observances = self._build_calendar(knowledge, shown, hidden)
        self._built = (knowledge, days, observances)
        return list(observances)

    def _build_calendar(
        self, knowledge: Knowledge | None, shown: list[CustomEvent], hidden: list[CustomEvent]
    ) -> list[Observance]:
        named = [
            replace(day, section=f"{entry.key}:{day.section}")
            for entry in (knowledge.entries if knowledge else [])
            for day in entry.facts.commemorations
        ]
        return calendar.build(
            calendar.document_days(named, self.packs),
            self.packs,
            [custom_observance(e) for e in shown],
            [hidden_day(e) for e in hidden],
        )
