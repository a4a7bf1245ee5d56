"""Renaming, re-coding, re-kinding and deleting a unit: `/donvi sua|xoa` and `units edit|delete`."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.text import squeeze
from campaign.units import UnitKind, is_valid_code, normalize_code, parse_kind
from handlers.changes import Refused, Who
from storage import units
from storage.models import Unit

MAX_NAME = 200
"""unit.name is String(200): longer is refused politely, not by the database."""


async def unit_by_code(session: AsyncSession, code: str) -> Unit:
    unit = await units.find_unit(session, code) if code.strip() else None
    if unit is None:
        raise Refused("unit.unknown", {"code": code.strip()})
    return unit


def checked_name(name: str) -> str:
    name = squeeze(name)
    if not name:
        raise Refused("units.edit_usage")
    if len(name) > MAX_NAME:
        raise Refused("units.name_too_long", {"limit": MAX_NAME, "length": len(name)})
    return name


def checked_kind(word: str) -> UnitKind:
    kind = parse_kind(word)
    if kind is None:
        raise Refused("units.bad_kind", {"kind": word})
    return kind


async def edit_unit(
    session: AsyncSession,
    who: Who,
    code: str,
    *,
    name: str | None = None,
    new_code: str | None = None,
    kind: str | None = None,
) -> Unit:
    """Change a unit's name, code or kind (any of them); audited with what changed. Members,
    chats and reminders follow the unit: they refer to it by id, not by code."""
    unit = await unit_by_code(session, code)
    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = checked_name(name)
    if new_code is not None:
        if not is_valid_code(new_code):
            raise Refused("units.bad_code", {"code": new_code})
        wanted = normalize_code(new_code)
        if wanted != unit.code:
            if await units.find_unit(session, wanted) is not None:
                raise Refused("units.exists", {"code": wanted})
            changes["code"] = wanted
    if kind is not None:
        changes["kind"] = checked_kind(kind).value
    if not changes:
        raise Refused("units.edit_usage")
    old_code = unit.code
    for attribute, value in changes.items():
        setattr(unit, attribute, value)
    await who.audit(session, "unit.edit", old_code, changes)
    return unit


async def delete_unit(session: AsyncSession, who: Who, code: str) -> units.Footprint:
    """Delete a unit: its members lose the membership, its group chats are unlinked, its
    reminders and invites go. Returns what it had (the reply and the audit say so)."""
    unit = await unit_by_code(session, code)
    had = await units.footprint(session, unit.id)
    await units.delete_unit(session, unit.id)
    await who.audit(
        session,
        "unit.delete",
        unit.code,
        {"members": had.members, "chats": had.chats, "reminders": had.reminders},
    )
    return had
