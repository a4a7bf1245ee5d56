"""/moi: invite codes to join a unit. `/moi UNIT [role] [N lượt] [N ngày]` makes one,
`/moi ds` lists the live ones, `/moi huy CODE` withdraws one.

A code is a key to a unit: whoever types it first gets its role. So codes are made and shown
in private chats only, codes above member come from admins only and work once
(campaign.invites.invite_terms), and a lead sees and withdraws only the member codes of the
units they lead. The command line's `invite` makes codes through `new_invite` too.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.invites import Terms, invite_terms, normalize_code, parse_request
from campaign.roles import Role, parse_unit_role
from campaign.text import fold
from handlers.context import Context
from handlers.formatting import day, role_name, unit_label
from handlers.messages import Reply, join
from handlers.registry import Command, Feature
from storage import invites, units
from storage.models import Invite, Unit

LIST_WORDS = {"ds", "danh sach", "list"}
REVOKE_WORDS = {"huy", "revoke"}


async def new_invite(
    session: AsyncSession,
    *,
    unit: Unit,
    role: Role,
    by_admin: bool,
    uses: int | None,
    days: int | None,
    now: datetime,
    created_by: int | None,
) -> Invite | tuple[str, dict[str, Any]]:
    """A new code on the terms the rules allow, or the message key (and values) of why not."""
    terms = invite_terms(role, by_admin=by_admin, uses=uses, days=days)
    if not isinstance(terms, Terms):
        return terms
    return await invites.create_invite(
        session,
        unit_id=unit.id,
        role=role.code,
        uses=terms.uses,
        expires_at=now + timedelta(days=terms.days),
        created_by=created_by,
    )


async def invite_command(ctx: Context, args: str) -> list[Reply]:
    if ctx.incoming.chat_kind != "private":
        # Seen by a group, a code is anyone's: nothing is made, nothing is listed.
        return [ctx.reply("invite.private_only")]
    words = args.split()
    if not words:
        return [ctx.reply("invite.usage")]
    if fold(args) in LIST_WORDS:
        return [await _list(ctx)]
    if fold(words[0]) in REVOKE_WORDS:
        return [await _revoke(ctx, " ".join(words[1:]))]
    unit = await units.find_unit(ctx.session, words[0])
    if unit is None:
        return [ctx.reply("unit.unknown", code=words[0])]
    request = parse_request(words[1:])
    if request is None:
        return [ctx.reply("invite.usage")]
    role = parse_unit_role(request.role) if request.role else Role.MEMBER
    if role is None:
        return [ctx.reply("role.unknown", role=request.role)]
    if not ctx.actor.may_manage(unit):
        return [ctx.reply("invite.not_lead", unit=unit_label(ctx, unit))]
    if not ctx.actor.may_grant(unit, role):
        return [ctx.reply("invite.role_too_high", role=role_name(ctx, role))]
    made = await new_invite(
        ctx.session,
        unit=unit,
        role=role,
        by_admin=ctx.actor.is_admin,
        uses=request.uses,
        days=request.days,
        now=ctx.now(),
        created_by=ctx.person.id,
    )
    if isinstance(made, tuple):
        key, values = made
        return [ctx.reply(key, role=role_name(ctx, role), **values)]
    await ctx.audit(
        "invite.create", unit.code, {"invite": made.code, "role": role.code, "uses": made.uses_left}
    )
    make_link = ctx.services.invite_links.get(ctx.incoming.platform)
    link = make_link(made.code) if make_link else None
    replies = [
        ctx.reply(
            "invite.created",
            code=made.code,
            unit=unit_label(ctx, unit),
            role=role_name(ctx, role),
            uses=made.uses_left,
            expires=day(ctx, made.expires_at),
        )
    ]
    if link:
        replies.append(ctx.reply("invite.link", link=link))
    return replies


def _visible(ctx: Context) -> tuple[list[int] | None, list[str]]:
    """The units and roles of the codes this person may see and withdraw: all for an admin,
    the member codes of the units they lead for a lead."""
    if ctx.actor.is_admin:
        return None, [role.code for role in (Role.MEMBER, Role.OUTREACH, Role.LEAD)]
    led = [m.unit_id for m in ctx.actor.memberships if m.role == Role.LEAD.code]
    return led, [Role.MEMBER.code]


async def _list(ctx: Context) -> Reply:
    unit_ids, roles = _visible(ctx)
    found = await invites.active_invites(ctx.session, ctx.now(), unit_ids=unit_ids, roles=roles)
    if not found:
        return ctx.reply("invite.list_none")
    lines = [ctx.t("invite.list_header", count=len(found))]
    for invite in found:
        lines.append(
            ctx.t(
                "invite.list_line",
                code=invite.code,
                unit=unit_label(ctx, invite.unit),
                role=role_name(ctx, invite.role),
                uses=invite.uses_left,
                expires=day(ctx, invite.expires_at),
            )
        )
    return Reply(join(lines))


async def _revoke(ctx: Context, typed: str) -> Reply:
    code = normalize_code(typed)
    if not code:
        return ctx.reply("invite.revoke_usage")
    unit_ids, roles = _visible(ctx)
    found = await invites.active_invites(ctx.session, ctx.now(), unit_ids=unit_ids, roles=roles)
    invite = next((i for i in found if i.code == code), None)
    if invite is None:
        return ctx.reply("invite.revoke_unknown", code=code)
    await invites.revoke(ctx.session, invite.id)
    await ctx.audit("invite.revoke", invite.unit.code, {"invite": invite.code})
    return ctx.reply("invite.revoked", code=invite.code, unit=unit_label(ctx, invite.unit))


FEATURE = Feature(
    commands=(Command("moi", "invite", ("mời",), invite_command, required=Role.LEAD),)
)
