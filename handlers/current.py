"""The campaign that pledges, progress and ratings belong to: the active one."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.standing import TargetRule, rules_from
from handlers.context import Context
from storage import campaigns
from storage.models import CampaignDocument


async def active(session: AsyncSession) -> CampaignDocument | None:
    return await campaigns.active_campaign(session)


def today(ctx: Context) -> date:
    return ctx.now().astimezone(ctx.services.zone).date()


def assessment_open(row: CampaignDocument, on: date) -> bool:
    """Admins may open or close the window; by default 1–15 December of the campaign year."""
    if row.assessment_open is not None:
        return row.assessment_open
    return date(row.year, 12, 1) <= on <= date(row.year, 12, 15)


async def target_rules(ctx: Context, row: CampaignDocument) -> tuple[TargetRule, ...]:
    knowledge = await ctx.services.library.of_year(ctx.session, row.year)
    targets = knowledge.campaign.targets if knowledge else []
    return rules_from([(t.percent, t.metric) for t in targets])
