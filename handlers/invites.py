"""/moi UNIT [role]: a new invite code for a unit, from its lead or an admin."""

from __future__ import annotations

from datetime import timedelta

from campaign.roles import Role, parse_unit_role
from handlers.context import Context
from handlers.formatting import day, role_name, unit_label
from handlers.messages import Reply
from handlers.registry import Command, Feature
from storage import invites, units

DEFAULT_USES = 50
"""A lead posts one code into the unit's group; fifty joins covers a large department."""
DEFAULT_DAYS = 14


async def invite_command(ctx: Context, args: str) -> list[Reply]:
    words = args.split()
    if not words:
        return [ctx.reply("invite.usage")]
    unit = await units.find_unit(ctx.session, words[0])
    if unit is None:
        return [ctx.reply("unit.unknown", code=words[0])]
    role = parse_unit_role(" ".join(words[1:])) if len(words) > 1 else Role.MEMBER
    if role is None:
        return [ctx.reply("role.unknown", role=" ".join(words[1:]))]
    if not ctx.actor.may_manage(unit):
        return [ctx.reply("invite.not_lead", unit=unit_label(ctx, unit))]
    if not ctx.actor.may_grant(unit, role):
        return [ctx.reply("invite.role_too_high", role=role_name(ctx, role))]

    invite = await invites.create_invite(
        ctx.session,
        unit_id=unit.id,
        role=role.code,
        uses=DEFAULT_USES,
        expires_at=ctx.now() + timedelta(days=DEFAULT_DAYS),
        created_by=ctx.person.id,
    )
    await ctx.audit(
        "invite.create", unit.code, {"invite": invite.code, "role": role.code, "uses": DEFAULT_USES}
    )
    make_link = ctx.services.invite_links.get(ctx.incoming.platform)
    link = make_link(invite.code) if make_link else None
    replies = [
        ctx.reply(
            "invite.created",
            code=invite.code,
            unit=unit_label(ctx, unit),
            role=role_name(ctx, role),
            uses=invite.uses_left,
            expires=day(ctx, invite.expires_at),
        )
    ]
    if link:
        replies.append(ctx.reply("invite.link", link=link))
    return replies


FEATURE = Feature(
    commands=(Command("moi", "invite", ("mời",), invite_command, required=Role.LEAD),)
)
