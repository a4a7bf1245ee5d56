"""/donvi: the units of the department; admins add, edit (/donvi sua) and delete (/donvi xoa)
them, the last after a confirmation that says what the unit still has."""

from __future__ import annotations

from dataclasses import dataclass

from campaign.roles import Role
from campaign.text import fold
from campaign.units import guess_kind, is_valid_code, normalize_code
from handlers.context import Context
from handlers.dialog import DialogTable, End, Outcome, State
from handlers.formatting import footprint_values, refusal, role_name, unit_label
from handlers.messages import Option, Reply, join
from handlers.registry import Command, Feature
from storage import units
from usecases import units as unit_changes
from usecases.errors import Refused

ADD_WORDS = {"them", "add"}
EDIT_WORDS = {"sua", "edit", "rename"}
DELETE_WORDS = {"xoa", "delete", "remove"}
CODE_WORDS = {"ma", "code"}
KIND_WORDS = {"loai", "kind"}
DIALOG = "unit_delete"
YES, NO = "unitdel:yes", "unitdel:no"


async def units_command(ctx: Context, args: str) -> list[Reply]:
    first, _, rest = args.partition(" ")
    word = fold(first)
    if word in ADD_WORDS:
        return [await _add(ctx, rest.strip())]
    if word in EDIT_WORDS:
        return [await _edit(ctx, rest.strip())]
    if word in DELETE_WORDS:
        return [await _ask_delete(ctx, rest.strip())]
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
            count=count,
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


def _not_admin(ctx: Context, vietnamese: str, english: str) -> Reply:
    return ctx.reply("error.not_allowed", command=english if ctx.language == "en" else vietnamese)


async def _edit(ctx: Context, args: str) -> Reply:
    """`/donvi sua KT Tên mới`, `/donvi sua KT ma KTX`, `/donvi sua KT loai cong doan`."""
    if not ctx.actor.is_admin:
        return _not_admin(ctx, "/donvi sua", "/units edit")
    code, _, rest = args.partition(" ")
    what, _, value = rest.strip().partition(" ")
    value = value.strip()
    if not code or not rest.strip():
        return ctx.reply("units.edit_usage")
    try:
        if fold(what) in CODE_WORDS and value:
            unit = await unit_changes.edit_unit(ctx.session, ctx.who, code, new_code=value)
        elif fold(what) in KIND_WORDS and value:
            unit = await unit_changes.edit_unit(ctx.session, ctx.who, code, kind=value)
        else:
            unit = await unit_changes.edit_unit(ctx.session, ctx.who, code, name=rest)
    except Refused as refused:
        return refusal(ctx, refused)
    return ctx.reply(
        "units.edited", unit=unit_label(ctx, unit), kind=ctx.t(f"unit_kind.{unit.kind}")
    )


async def _ask_delete(ctx: Context, args: str) -> Reply:
    """Say what the unit has before it goes, and ask."""
    if not ctx.actor.is_admin:
        return _not_admin(ctx, "/donvi xoa", "/units delete")
    if not args or " " in args:
        return ctx.reply("units.delete_usage")
    try:
        unit = await unit_changes.unit_by_code(ctx.session, args)
    except Refused as refused:
        return refusal(ctx, refused)
    return await DELETE.start(ctx, "confirm", Doomed(unit.code, unit.id))


@dataclass
class Doomed:
    """The unit a delete confirmation is about (renamed meanwhile: the answer finds out)."""

    code: str
    unit_id: int


async def _delete_prompt(ctx: Context, doomed: Doomed) -> Reply:
    unit = await unit_changes.unit_by_code(ctx.session, doomed.code)
    has = await units.footprint(ctx.session, unit.id)
    return ctx.reply(
        "units.delete_confirm",
        unit=unit_label(ctx, unit),
        **footprint_values(ctx.t, has),
        options=(Option(ctx.t("units.delete_yes"), YES), Option(ctx.t("units.delete_no"), NO)),
    )


async def _delete_answer(ctx: Context, answer: str, doomed: Doomed) -> Outcome[Doomed]:
    if answer != YES:
        return End([ctx.reply("units.delete_cancelled")])
    if not ctx.actor.is_admin:  # the button is checked against who presses it, now
        return End([_not_admin(ctx, "/donvi xoa", "/units delete")])
    unit = await units.find_unit(ctx.session, doomed.code)
    if unit is None or unit.id != doomed.unit_id:  # renamed or deleted meanwhile
        return End([ctx.reply("unit.unknown", code=doomed.code)])
    label = unit_label(ctx, unit)
    had = await unit_changes.delete_unit(ctx.session, ctx.who, unit.code)
    text = ctx.t("units.deleted", unit=label, **footprint_values(ctx.t, had))
    deleted = Reply(text, key="units.deleted")
    return End([deleted])


DELETE = DialogTable(DIALOG, Doomed, {"confirm": State(_delete_prompt, _delete_answer)})


FEATURE = Feature(
    commands=(Command("donvi", "units", ("đơn vị",), units_command, more_for=Role.ADMIN),),
    dialogs={DIALOG: DELETE.answer},
)
