"""/start: greeting, and joining a unit with an invite code (or a Telegram deep link)."""

from __future__ import annotations

from campaign.invites import invite_problem, normalize_code
from campaign.roles import Role
from handlers.context import Context
from handlers.formatting import role_name, unit_label
from handlers.messages import Reply, join
from handlers.registry import Command, Feature
from handlers.setup_view import setup_lines
from storage import invites, units


async def start(ctx: Context, args: str) -> list[Reply]:
    if args:
        return [await _join(ctx, args)]
    name = ctx.person.display_name or ctx.t("start.friend")
    if ctx.actor.is_admin:
        # an admin is shown what is still to set up (all of it, on a new installation)
        steps = await setup_lines(ctx)
        greeting = ctx.t("start.welcome_admin", name=name)
        return [Reply(join([greeting, steps] if steps else [greeting], "\n\n"))]
    if not ctx.actor.units:
        return [ctx.reply("start.welcome_new", name=name, account=ctx.actor_ref)]
    return [ctx.reply("start.welcome_back", name=name)]


async def _join(ctx: Context, typed: str) -> Reply:
    code = normalize_code(typed.split(" ", 1)[0])
    invite = await invites.find_invite(ctx.session, code) if code else None
    if invite is None:
        return ctx.reply("invite.unknown_code", code=typed.split(" ", 1)[0])
    problem = invite_problem(
        expires_at=invite.expires_at, uses_left=invite.uses_left, now=ctx.now()
    )
    if problem is not None:
        return ctx.reply(f"invite.{problem}", code=invite.code)

    current = await units.membership(ctx.session, ctx.person.id, invite.unit_id)
    offered = Role[invite.role.upper()]
    if current is not None and Role[current.role.upper()] >= offered:
        return ctx.reply(
            "invite.already_member",
            unit=unit_label(ctx, invite.unit),
            role=role_name(ctx, current.role),
        )
    if not await invites.use_invite(ctx.session, invite.id):
        return ctx.reply("invite.used_up", code=invite.code)
    await units.set_membership(ctx.session, ctx.person.id, invite.unit_id, invite.role)
    await ctx.audit("invite.use", invite.unit.code, {"invite": invite.code, "role": invite.role})
    return ctx.reply(
        "invite.joined", unit=unit_label(ctx, invite.unit), role=role_name(ctx, invite.role)
    )


FEATURE = Feature(commands=(Command("start", "start", ("bắt đầu",), start, writes=False),))
