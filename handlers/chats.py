"""/lienket UNIT: link a group chat to a unit so it receives that unit's messages.

Typed inside a topic of a forum (a Telegram supergroup with topics), it links the unit to
that topic: pushes go there rather than to the General topic. Typed in General (or in a group
without topics) it links the whole chat. One chat holds one link: linking again moves it."""

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
    topic = ctx.incoming.thread_id  # typed in a forum topic: the unit's pushes go there
    if previous is not None and previous.id == unit.id and ctx.chat.thread_id == topic:
        already = "link.already_topic" if topic else "link.already"
        return [ctx.reply(already, unit=unit_label(ctx, unit))]
    previous_topic = ctx.chat.thread_id
    ctx.chat.unit_id = unit.id
    ctx.chat.thread_id = topic
    detail = {
        "platform": ctx.chat.platform,
        "chat": ctx.chat.platform_chat_id,
        "previous": previous.code if previous else None,
    }
    if topic or previous_topic:  # the topics only where there are topics
        detail |= {"topic": topic, "previous_topic": previous_topic}
    await ctx.audit("chat.link", unit.code, detail)
    return [ctx.reply("link.done_topic" if topic else "link.done", unit=unit_label(ctx, unit))]


FEATURE = Feature(
    commands=(Command("lienket", "link", ("liên kết",), link_command, required=Role.LEAD),)
)
