"""/donvi: the units of the department; admins add new ones."""

from __future__ import annotations

from campaign.text import fold
from campaign.units import guess_kind, is_valid_code, normalize_code
from handlers.context import Context
from handlers.formatting import role_name, unit_label
from handlers.messages import Reply, join
from handlers.registry import Command, Feature
from storage import units

ADD_WORDS = {"them", "add"}


async def units_command(ctx: Context, args: str) -> list[Reply]:
    first, _, rest = args.partition(" ")
    if fold(first) in ADD_WORDS:
        return [await _add(ctx, rest.strip())]
    if args:
        return [ctx.reply("units.usage")]
    if ctx.actor.is_admin:
        return [await _list_all(ctx)]
    return [_list_mine(ctx)]


async def _list_all(ctx: Context) -> Reply:
    rows = await units.list_units(ctx.session)
    if not rows:
        return ctx.reply("units.none")
    lines = [
        ctx.t(
            "units.line",
            unit=unit_label(ctx, unit),
            kind=ctx.t(f"unit_kind.{unit.kind}"),
            members=count,
        )
        for unit, count in rows
    ]
    return Reply(join([ctx.t("units.header", count=len(rows)), join(lines)]))


def _list_mine(ctx: Context) -> Reply:
    memberships = ctx.actor.memberships
    if not memberships:
        return ctx.reply("units.mine_none")
    lines = [
        ctx.t("units.mine_line", unit=unit_label(ctx, m.unit), role=role_name(ctx, m.role))
        for m in memberships
    ]
    return Reply(join([ctx.t("units.mine_header"), join(lines)]))


async def _add(ctx: Context, args: str) -> Reply:
    if not ctx.actor.is_admin:
        return ctx.reply("error.not_allowed", command="/donvi them")
    code, _, name = args.partition(" ")
    name = name.strip()
    if not code or not name:
        return ctx.reply("units.add_usage")
    if not is_valid_code(code):
        return ctx.reply("units.bad_code", code=code)
    code = normalize_code(code)
    if await units.find_unit(ctx.session, code) is not None:
        return ctx.reply("units.exists", code=code)
    unit = await units.add_unit(ctx.session, code, name, guess_kind(name))
    await ctx.audit("unit.add", code, {"kind": unit.kind})
    return ctx.reply(
        "units.added", unit=unit_label(ctx, unit), kind=ctx.t(f"unit_kind.{unit.kind}")
    )


FEATURE = Feature(commands=(Command("donvi", "units", ("đơn vị",), units_command),))
