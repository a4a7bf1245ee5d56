"""Campaign documents and the days admins add to the calendar."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from campaign.document import Campaign
from storage.models import CampaignDocument, utcnow


async def save_campaign(
    session: AsyncSession, campaign: Campaign, text: str, source_name: str
) -> tuple[CampaignDocument, bool]:
    """Store a parsed document; a document of the same year replaces the one before.

    Returns the row and whether it replaced an earlier import.
    """
    row = await session.scalar(
        select(CampaignDocument).where(CampaignDocument.year == campaign.year)
    )
    replaced = row is not None
    if row is None:
        row = CampaignDocument(year=campaign.year, identity=f"year:{campaign.year}")
        session.add(row)
    row.title = campaign.title[:500]
    row.issuer = campaign.issuer[:200]
    row.signer = campaign.signer[:200]
    row.period_start = campaign.period_start
    row.period_end = campaign.period_end
    row.source_name = source_name[:255]
    row.document = text
    if replaced:
        row.imported_at = utcnow()
    await session.flush()
    return row, replaced


async def list_campaigns(session: AsyncSession) -> list[CampaignDocument]:
    return list(
        await session.scalars(select(CampaignDocument).order_by(CampaignDocument.year.desc()))
    )


async def active_campaign(session: AsyncSession) -> CampaignDocument | None:
    """The newest campaign (by year) is the active one. Its text loads only when read."""
    return await session.scalar(
        select(CampaignDocument)
        .options(defer(CampaignDocument.document, raiseload=False))
        .order_by(CampaignDocument.year.desc())
        .limit(1)
    )


async def campaign_of_year(session: AsyncSession, year: int) -> CampaignDocument | None:
    return await session.scalar(
        select(CampaignDocument)
        .options(defer(CampaignDocument.document, raiseload=False))
        .where(CampaignDocument.year == year)
    )


async def document_text(session: AsyncSession, campaign_id: int) -> str:
    text = await session.scalar(
        select(CampaignDocument.document).where(CampaignDocument.id == campaign_id)
    )
    return text or ""


async def years(session: AsyncSession) -> list[int]:
    return list(
        await session.scalars(select(CampaignDocument.year).order_by(CampaignDocument.year))
    )
