"""The campaign that pledges, progress and ratings belong to: the active one."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.roles import Role
from campaign.standing import TargetRule, rules_from
from handlers.context import Context
from handlers.messages import Reply
from storage import campaigns, members
from storage.models import CampaignDocument, Person


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


async def member_named(ctx: Context, typed: str) -> Person | Reply:
    """The one member of this lead's units (any unit for an admin) that `typed` names, or the
    reply explaining that nobody or several people match."""
    led = [m.unit_id for m in ctx.actor.memberships if m.role == Role.LEAD.code]
    found = await members.find_members(ctx.session, None if ctx.actor.is_admin else led, typed)
    if not found:
        return ctx.reply("member.not_found", member=typed)
    if len(found) > 1:
        names = ", ".join(p.display_name for p in found)
        return ctx.reply("member.ambiguous", member=typed, names=names)
    return found[0]
