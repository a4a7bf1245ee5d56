"""/moi: invite codes to join a unit. `/moi UNIT [role] [N lượt] [N ngày]` makes one,
`/moi ds` lists the live ones, `/moi huy CODE` withdraws one.

A code is a key to a unit: whoever types it first gets its role. So codes are made and shown
in private chats only, codes above member come from admins only and work once
(campaign.invites.invite_terms), and a lead sees and withdraws only the member codes of the
units they lead. Those rules are the use cases' (usecases/invites.py), which the command
line's `invite` calls too.
"""

from __future__ import annotations

from campaign.invites import parse_request
from campaign.roles import Role, parse_unit_role
from campaign.text import fold
from handlers.context import Context
from handlers.formatting import day, refusal, role_name, unit_label
from handlers.messages import Reply, join
from handlers.registry import Command, Feature
from storage import units
from usecases.errors import Refused
from usecases.invites import create_invite, revoke_invite, visible_invites

LIST_WORDS = {"ds", "danh sach", "list"}
REVOKE_WORDS = {"huy", "revoke"}


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
    try:
        made = await create_invite(
            ctx.session,
            ctx.who,
            ctx.actor,
            unit=unit,
            role=role,
            uses=request.uses,
            days=request.days,
            now=ctx.now(),
        )
    except Refused as refused:
        return [refusal(ctx, refused)]
    link = ctx.services.platforms.invite_link(ctx.incoming.platform, made.code)
    replies = [
        ctx.reply(
            "invite.created",
            code=made.code,
            unit=unit_label(ctx, unit),
            role=role_name(ctx, role),
            count=made.uses_left,
            expires=day(ctx, made.expires_at),
        )
    ]
    if link:
        replies.append(ctx.reply("invite.link", link=link))
    return replies


async def _list(ctx: Context) -> Reply:
    found = await visible_invites(ctx.session, ctx.actor, ctx.now())
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
                count=invite.uses_left,
                expires=day(ctx, invite.expires_at),
            )
        )
    return Reply(join(lines))


async def _revoke(ctx: Context, typed: str) -> Reply:
    try:
        invite = await revoke_invite(ctx.session, ctx.who, ctx.actor, typed, ctx.now())
    except Refused as refused:
        return refusal(ctx, refused)
    return ctx.reply("invite.revoked", code=invite.code, unit=unit_label(ctx, invite.unit))


FEATURE = Feature(
    commands=(Command("moi", "invite", ("mời",), invite_command, required=Role.LEAD),)
)
