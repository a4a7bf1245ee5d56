"""The campaign that pledges, progress and ratings belong to: the one on today, or the one of a
year a person names ("/camket 2025"); its registration deadline and assessment window."""

from __future__ import annotations

import re
from datetime import date

from campaign.naming import same_name, split_name
from campaign.standing import TargetRule
from handlers.context import Context
from handlers.formatting import refusal
from handlers.messages import Reply
from storage import members
from storage.models import CampaignDocument, Person
from usecases import campaigns
from usecases.clock import today as usecase_today
from usecases.errors import NoCampaign, Refused

_YEAR = re.compile(r"^(?:năm\s+|nam\s+)?((?:19|20)[0-9]{2})$", re.IGNORECASE)


def today(ctx: Context) -> date:
    return usecase_today(ctx.now(), ctx.services.zone)


async def active(ctx: Context) -> CampaignDocument | None:
    """The campaign on today (the yearly one before a short drive), or None."""
    return await ctx.services.library.current(ctx.session, today(ctx))


async def recently_ended(ctx: Context) -> CampaignDocument | None:
    return await campaigns.recently_ended(ctx.session, ctx.services.library, today(ctx))


def year_in(args: str) -> int | None:
    """ "2025" or "năm 2025" as a command's whole argument."""
    match = _YEAR.match(args.strip())
    return int(match.group(1)) if match else None


async def of_year_or_active(
    ctx: Context, args: str
) -> tuple[CampaignDocument | None, Reply | None]:
    """The campaign a command means: the year it names, else the one on today. With none, the
    reply that says so (and, for a year, which years there are)."""
    year = year_in(args)
    if year is not None:
        try:
            return await campaigns.of_year(ctx.session, ctx.services.library, year), None
        except NoCampaign:
            return None, no_campaign(ctx)
        except Refused as refused:
            return None, refusal(ctx, refused)
    row = await active(ctx)
    return row, (None if row is not None else no_campaign(ctx))


def no_campaign(ctx: Context) -> Reply:
    """No campaign is on: members are told a new one will be announced; admins and leads how
    to import this year's document."""
    year = today(ctx).year
    if ctx.actor.is_staff:
        return ctx.reply("campaign.none_on_lead", year=year)
    return ctx.reply("campaign.none_on", year=year)


async def deadline(ctx: Context, row: CampaignDocument) -> date:
    return await ctx.services.library.registration_deadline(ctx.session, row)


async def assessment_open(ctx: Context, row: CampaignDocument) -> bool:
    return await campaigns.assessment_open(ctx.session, ctx.services.library, row, today(ctx))


async def target_rules(ctx: Context, row: CampaignDocument) -> tuple[TargetRule, ...]:
    return await campaigns.target_rules(ctx.session, ctx.services.library, row)


async def member_named(ctx: Context, typed: str) -> Person | Reply:
    """The one member of this lead's units (any unit for an admin) that `typed` names exactly
    (@handle, account id or full name), or the reply explaining that nobody or several people
    match."""
    return await _one_member(
        ctx, typed, await members.find_members(ctx.session, ctx.actor.managed_unit_ids, typed)
    )


async def member_and_rest(ctx: Context, args: str) -> tuple[Person | Reply, str]:
    """The member named at the start of `args` and the rest of the command.

    "@lan tot", "lan_nguyen tot", "Nguyễn Thị Lan tot": a full name has spaces, so the longest
    run of leading words that is a member's whole name is taken (never a part of a name)."""
    words = args.split()
    if not words:
        return ctx.reply("member.not_found", member=""), ""
    first, rest = words[0], " ".join(words[1:])
    found = await members.find_members(ctx.session, ctx.actor.managed_unit_ids, first)
    if not found:
        people = await members.member_people(ctx.session, ctx.actor.managed_unit_ids)
        words[0] = words[0].lstrip("@")
        size = split_name(
            words, lambda typed: any(same_name(typed, p.display_name) for p in people)
        )
        if size:
            first, rest = " ".join(words[:size]), " ".join(words[size:])
            found = [p for p in people if same_name(first, p.display_name)]
    return await _one_member(ctx, first, found), rest


async def _one_member(ctx: Context, typed: str, found: list[Person]) -> Person | Reply:
    if not found:
        return ctx.reply("member.not_found", member=typed)
    if len(found) > 1:
        codes = await members.unit_codes(ctx.session, [p.id for p in found])
        names = "; ".join(f"{p.display_name} ({', '.join(codes.get(p.id, []))})" for p in found)
        return ctx.reply("member.ambiguous", member=typed, names=names)
    return found[0]
