"""/tatthongbao and /batthongbao: a member stops, or starts again, the private copies of a
unit's pushes (announcements, unit reminders, commemorations). The unit's group, where there
is one, is shared and still hears them; nudges about one's own pledge have their own switch."""

from __future__ import annotations

from campaign.text import fold
from handlers.context import Context
from handlers.formatting import shown_name, unit_label
from handlers.messages import Reply, join
from handlers.registry import Command, Feature
from storage.models import Membership

ALL_WORDS = {"tatca", "tat ca", "all"}


async def mute_command(ctx: Context, args: str) -> list[Reply]:
    return _switch(ctx, args, muted=True)


async def unmute_command(ctx: Context, args: str) -> list[Reply]:
    return _switch(ctx, args, muted=False)


MUTE = Command("tatthongbao", "mute", ("tắt thông báo",), mute_command)
UNMUTE = Command("batthongbao", "unmute", ("bật thông báo",), unmute_command)


def _switch(ctx: Context, args: str, *, muted: bool) -> list[Reply]:
    command = shown_name(ctx, MUTE if muted else UNMUTE)
    memberships = sorted(ctx.person.memberships, key=lambda m: m.unit.code)
    if not memberships:
        return [ctx.reply("mute.no_units")]
    chosen = _chosen(memberships, args.strip())
    mine = join([unit_label(ctx, m.unit) for m in memberships], ", ")
    if chosen is None:
        return [ctx.reply("mute.not_member", code=args.strip().split(" ", 1)[0], units=mine)]
    if not chosen:
        return [ctx.reply("mute.which", units=mine, command=command)]
    for membership in chosen:
        membership.muted = muted
    units = join([unit_label(ctx, m.unit) for m in chosen], ", ")
    return [ctx.reply("mute.done" if muted else "mute.undone", units=units)]


def _chosen(memberships: list[Membership], argument: str) -> list[Membership] | None:
    """The memberships meant: the one unit when there is one, all of them for "tatca", the
    unit named by its code; [] when it must be asked; None for a unit they are not in."""
    if not argument:
        return memberships if len(memberships) == 1 else []
    if fold(argument) in ALL_WORDS:
        return memberships
    code = argument.split(" ", 1)[0].upper()
    named = [m for m in memberships if m.unit.code == code]
    return named or None


FEATURE = Feature(commands=(MUTE, UNMUTE))
