"""Showing dates, roles and units the way users read them, in their language."""

from __future__ import annotations

from datetime import datetime

from campaign.dates import format_date, weekday_key
from campaign.roles import Role
from handlers.context import Context, Translate
from handlers.messages import Reply, Safe
from handlers.registry import Command
from storage.models import Unit
from storage.units import Footprint
from usecases.errors import Refused


def day(ctx: Context, moment: datetime) -> Safe:
    """ "Thứ Hai, 01/12/2026" in the bot's time zone."""
    local = moment.astimezone(ctx.services.zone)
    return ctx.t("format.day", weekday=ctx.t(weekday_key(local)), date=format_date(local))


def role_name(ctx: Context, role: Role | str) -> Safe:
    code = role.code if isinstance(role, Role) else role
    return ctx.t(f"role.{code}")


def unit_label(ctx: Context, unit: Unit) -> Safe:
    return ctx.t("format.unit", code=unit.code, name=unit.name)


def shown_name(ctx: Context, command: Command) -> str:
    """English readers see the English alias; everyone else the Vietnamese command."""
    return f"/{command.english if ctx.language == 'en' else command.name}"


def platform_name(ctx: Context, platform: str) -> Safe:
    """ "Telegram", "Zalo": how users call the app an account is on."""
    return ctx.t(f"platform.{platform}")


def refusal(ctx: Context, refused: Refused) -> Reply:
    """A use case's refusal as the chat says it, in the reader's language."""
    return Reply(refused.explained(ctx.t), key=refused.key)


def footprint_values(t: Translate, footprint: Footprint) -> dict[str, Safe]:
    """What a unit has, as counted phrases ("1 member", "3 group chats"): the values of the
    messages that ask before deleting a unit and say what the deletion did."""
    return {
        "members": t("count.members", count=footprint.members),
        "chats": t("count.group_chats", count=footprint.chats),
        "reminders": t("count.reminders", count=footprint.reminders),
    }
