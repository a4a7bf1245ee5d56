"""The campaigns the bot knows, parsed and indexed once and kept in memory.

Parsing and indexing a document takes milliseconds, a question must take less: the library
keeps one Knowledge per stored document version and rebuilds only when a document is
re-imported. Days added by admins are read on each use (a small table) so every process sees
them at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.answers import Knowledge
from campaign.calendar import Observance
from campaign.document import parse
from storage import campaigns
from storage.models import CampaignDocument, CustomEvent


def custom_observance(event: CustomEvent) -> Observance:
    return Observance(
        name=event.name,
        month=event.month,
        day=event.day,
        first_year=event.year,
        scope="custom",
        only_year=event.year if event.one_off else None,
        dated_by="admin",
    )


class CampaignLibrary:
    def __init__(self) -> None:
        self._cache: dict[int, tuple[datetime, Knowledge]] = {}

    async def active(self, session: AsyncSession) -> Knowledge | None:
        return await self._load(session, await campaigns.active_campaign(session))

    async def of_year(self, session: AsyncSession, year: int) -> Knowledge | None:
        return await self._load(session, await campaigns.campaign_of_year(session, year))

    async def _load(self, session: AsyncSession, row: CampaignDocument | None) -> Knowledge | None:
        if row is None:
            return None
        cached = self._cache.get(row.id)
        if cached is None or cached[0] != row.imported_at:
            text = await campaigns.document_text(session, row.id)
            knowledge = Knowledge(parse(text, year=row.year))
            self._cache[row.id] = (row.imported_at, knowledge)
        else:
            knowledge = cached[1]
        extra = tuple(custom_observance(e) for e in await campaigns.custom_events(session))
        return knowledge.with_extra(extra) if extra else knowledge
