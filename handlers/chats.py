"""/lienket UNIT: link a group chat to a unit so it receives that unit's messages."""

from __future__ import annotations

from campaign.roles import Role
from handlers.context import Context
from handlers.formatting import unit_label
from handlers.messages import Reply
from handlers.registry import Command, Feature
from storage import units


async def link_command(ctx: Context, args: str) -> list[Reply]:
    if ctx.incoming.chat_kind != "group":
        return [ctx.reply("link.only_groups")]
    code = args.split(" ", 1)[0] if args else ""
    if not code:
        return [ctx.reply("link.usage")]
    unit = await units.find_unit(ctx.session, code)
    if unit is None:
        return [ctx.reply("unit.unknown", code=code)]
    if not ctx.actor.may_manage(unit):
        return [ctx.reply("link.not_lead", unit=unit_label(ctx, unit))]
    if await ctx.is_chat_admin() is False:
        return [ctx.reply("link.not_chat_admin")]
    previous = ctx.chat.unit
    if previous is not None and previous.id == unit.id:
        return [ctx.reply("link.already", unit=unit_label(ctx, unit))]
    ctx.chat.unit_id = unit.id
    await ctx.audit(
        "chat.link",
        unit.code,
        {
            "platform": ctx.chat.platform,
            "chat": ctx.chat.platform_chat_id,
            "previous": previous.code if previous else None,
        },
    )
    return [ctx.reply("link.done", unit=unit_label(ctx, unit))]


FEATURE = Feature(
    commands=(Command("lienket", "link", ("liên kết",), link_command, required=Role.LEAD),)
)
