"""/thanhvien: the people of a unit, for its lead and for admins.

`/thanhvien [UNIT]` lists them; `/thanhvien xoa <member>` takes someone out of the unit (a
lead: members of their own unit; admins: anyone); `/thanhvien chuyen <member> <UNIT>` moves
someone to another unit and `/thanhvien vaitro <member> <role>` changes a role (admins only: a
lead may not promote). A member is named exactly — @username, account id or the full name —
never by a part of the name; a trailing unit code says which unit when the person is in
several. Private chats only: a member list is personal data.
"""

from __future__ import annotations

from campaign.roles import Role, parse_unit_role
from campaign.text import fold
from handlers.context import Context
from handlers.formatting import refusal, role_name, unit_label
from handlers.messages import Reply, Safe, join
from handlers.registry import Command, Feature
from storage import members, units
from storage.models import Membership, Person, Unit
from usecases.errors import Refused
from usecases.units import move_member, remove_member, set_role

MOVE_WORDS = {"chuyen", "move"}
ROLE_WORDS = {"vaitro", "role"}
REMOVE_WORDS = {"xoa", "remove"}


async def members_command(ctx: Context, args: str) -> list[Reply]:
    if ctx.incoming.chat_kind != "private":
        return [ctx.reply("members.private_only")]
    first, _, rest = args.partition(" ")
    word, rest = fold(first), rest.strip()
    try:
        if word in REMOVE_WORDS:
            return [await _remove(ctx, rest)]
        if word in MOVE_WORDS:
            return [await _move(ctx, rest)]
        if word in ROLE_WORDS:
            return [await _role(ctx, rest)]
        return [await _list(ctx, args.strip())]
    except Refused as refused:
        return [refusal(ctx, refused)]


def _not_allowed(ctx: Context, vietnamese: str, english: str) -> Reply:
    return ctx.reply("error.not_allowed", command=english if ctx.language == "en" else vietnamese)


async def _list(ctx: Context, code: str) -> Reply:
    scope = ctx.actor.managed_unit_ids
    if code:
        unit = await units.find_unit(ctx.session, code)
        if unit is None:
            raise Refused("unit.unknown", {"code": code})
        if not ctx.actor.may_manage(unit):
            raise Refused("members.not_your_unit", {"unit": unit_label(ctx, unit)})
        shown = [unit]
    elif scope is None:
        return ctx.reply("members.admin_usage")
    else:
        shown = ctx.actor.led_units
    parts = []
    for unit in shown:
        rows = await units.memberships_of(ctx.session, unit.id)
        lines = [_line(ctx, m.person, m.role) for m in rows]
        header = ctx.t("members.header", unit=unit_label(ctx, unit), count=len(rows))
        parts.append(
            join([header, join(lines)])
            if lines
            else ctx.t("members.none", unit=unit_label(ctx, unit))
        )
    return Reply(join([*parts, ctx.t("members.hint")], "\n\n"))


def _handle(person: Person) -> str:
    """How to name the person exactly: their @username, else their account id."""
    for account in person.accounts:
        if account.username:
            return f"@{account.username}"
    first = person.accounts[0] if person.accounts else None
    return f"{first.platform}:{first.platform_user_id}" if first else f"#{person.id}"


def _line(ctx: Context, person: Person, role: str) -> Safe:
    name = person.display_name or ctx.t("members.no_name")
    return ctx.t("members.line", name=name, handle=_handle(person), role=role_name(ctx, role))


async def _peel_unit(ctx: Context, text: str) -> tuple[str, Unit | None]:
    """ "@lan KT" → ("@lan", unit KT) when the last word is a unit's code and words remain."""
    head, _, last = text.rpartition(" ")
    if head.strip() and last:
        unit = await units.find_unit(ctx.session, last)
        if unit is not None:
            return head.strip(), unit
    return text, None


async def _membership_named(ctx: Context, text: str) -> Membership:
    """The membership that `text` ("<member> [UNIT]") names among the units this person
    manages; refused when nobody, several people or several units match."""
    text, unit = await _peel_unit(ctx, text)
    scope = ctx.actor.managed_unit_ids
    if unit is not None:
        if not ctx.actor.may_manage(unit):
            raise Refused("members.not_your_unit", {"unit": unit_label(ctx, unit)})
        scope = [unit.id]
    found = await members.find_members(ctx.session, scope, text)
    if not found:
        raise Refused("members.not_found", {"member": text})
    if len(found) > 1:
        names = ", ".join(f"{p.display_name} ({_handle(p)})" for p in found)
        raise Refused("members.ambiguous", {"member": text, "names": names})
    person = found[0]
    held = await units.memberships_of_person(ctx.session, person.id, scope)
    if len(held) > 1:
        codes = ", ".join(m.unit.code for m in held)
        raise Refused("members.several_units", {"member": text, "codes": codes})
    return held[0]


async def _remove(ctx: Context, args: str) -> Reply:
    if not args:
        return ctx.reply("members.remove_usage")
    membership = await _membership_named(ctx, args)
    if not ctx.actor.may_remove(membership.role):
        return ctx.reply("members.lead_by_admin")
    name, unit = membership.person.display_name, unit_label(ctx, membership.unit)
    await remove_member(ctx.session, ctx.who, membership)
    return ctx.reply("members.removed", name=name, unit=unit)


async def _move(ctx: Context, args: str) -> Reply:
    if not ctx.actor.is_admin:
        return _not_allowed(ctx, "/thanhvien chuyen", "/members move")
    who_text, _, code = args.rpartition(" ")
    if not who_text.strip() or not code:
        return ctx.reply("members.move_usage")
    to = await units.find_unit(ctx.session, code)
    if to is None:
        raise Refused("unit.unknown", {"code": code})
    membership = await _membership_named(ctx, who_text.strip())
    name, origin = membership.person.display_name, unit_label(ctx, membership.unit)
    await move_member(ctx.session, ctx.who, membership, to)
    return ctx.reply("members.moved", name=name, origin=origin, unit=unit_label(ctx, to))


def _split_role(args: str) -> tuple[str, Role | None]:
    """ "@lan thanh vien" → ("@lan", member): the role is the last one or two words."""
    words = args.split()
    for size in (2, 1):
        if len(words) > size:
            role = parse_unit_role(" ".join(words[-size:]))
            if role is not None:
                return " ".join(words[:-size]), role
    return (" ".join(words[:-1]), None) if len(words) > 1 else ("", None)


async def _role(ctx: Context, args: str) -> Reply:
    if not ctx.actor.is_admin:
        return _not_allowed(ctx, "/thanhvien vaitro", "/members role")
    who_text, role = _split_role(args)
    if not who_text:
        return ctx.reply("members.role_usage")
    if role is None:
        raise Refused("role.unknown", {"role": args.rpartition(" ")[2]})
    membership = await _membership_named(ctx, who_text)
    await set_role(ctx.session, ctx.who, membership, role)
    return ctx.reply(
        "members.role_set",
        name=membership.person.display_name,
        unit=unit_label(ctx, membership.unit),
        role=role_name(ctx, role),
    )


FEATURE = Feature(
    commands=(
        Command(
            "thanhvien",
            "members",
            ("danh sách thành viên",),
            members_command,
            required=Role.LEAD,
            in_groups=False,
        ),
    ),
)
