"""The campaigns the bot knows, parsed and indexed once and kept in memory, and the calendar.

Parsing and indexing a document takes milliseconds, a question must take less: the library
keeps one Knowledge per stored document version and rebuilds only when a document is
re-imported. Days added or hidden by admins are read on each use (a small table) so every
process sees them at once. The library holds the calendar packs the agency chose
(BOT_PROVINCE, BOT_SECTOR), so every place that shows days (/sukien, answers, the scheduler's
notices, `python -m bot events`) shows the same ones.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from campaign import calendar
from campaign.answers import Knowledge
from campaign.calendar import HiddenDay, Observance
from campaign.document import parse
from storage import calendar_days, campaigns
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


class CampaignLibrary:
    def __init__(self, packs: tuple[Observance, ...] = calendar.NATIONAL) -> None:
        """`packs`: the national days and the chosen packs (`calendar.packs(...)`)."""
        self.packs = packs
        self._cache: dict[int, tuple[datetime, Knowledge]] = {}

    async def active(self, session: AsyncSession) -> Knowledge | None:
        return await self._load(session, await campaigns.active_campaign(session))

    async def of_year(self, session: AsyncSession, year: int) -> Knowledge | None:
        return await self._load(session, await campaigns.campaign_of_year(session, year))

    async def observances(self, session: AsyncSession) -> list[Observance]:
        """The calendar as it stands: the active document's days (if any), the packs and the
        admins' days, hidden ones left out."""
        knowledge = await self.active(session)
        if knowledge is not None:
            return knowledge.observances
        custom, hidden = await self._admin_days(session)
        return calendar.build((), self.packs, custom, hidden)

    async def _admin_days(
        self, session: AsyncSession
    ) -> tuple[tuple[Observance, ...], tuple[HiddenDay, ...]]:
        shown, hidden = await calendar_days.admin_days(session)
        return tuple(custom_observance(e) for e in shown), tuple(hidden_day(e) for e in hidden)

    async def _load(self, session: AsyncSession, row: CampaignDocument | None) -> Knowledge | None:
        if row is None:
            return None
        cached = self._cache.get(row.id)
        if cached is None or cached[0] != row.imported_at:
            text = await campaigns.document_text(session, row.id)
            knowledge = Knowledge(parse(text, year=row.year), self.packs)
            self._cache[row.id] = (row.imported_at, knowledge)
        else:
            knowledge = cached[1]
        custom, hidden = await self._admin_days(session)
        return knowledge.with_days(custom, hidden) if custom or hidden else knowledge
