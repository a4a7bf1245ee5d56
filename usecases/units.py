"""Units: renaming, re-coding, re-kinding and deleting one (`/donvi sua|xoa`, `units
edit|delete`), importing many from a CSV (`units import`), and the memberships in them
(`/thanhvien`: remove, move, role).

The CSV import is checked whole first, then written in short batches, so a file of 100,000
rows never holds the database (SQLite has one writer) for more than a batch: people's messages
are handled between two batches."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.roles import Role
from campaign.text import squeeze
from campaign.units import (
    RowError,
    UnitKind,
    UnitRow,
    is_valid_code,
    normalize_code,
    parse_kind,
    parse_units_csv,
)
from storage import audit, units
from storage.db import Database
from storage.models import Membership, Unit
from usecases.errors import Refused, Who

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


async def remove_member(session: AsyncSession, who: Who, membership: Membership) -> None:
    """Take a person out of a unit; audited by unit code and person id (no name)."""
    await units.remove_membership(session, membership.person_id, membership.unit_id)
    await who.audit(
        session,
        "member.remove",
        membership.unit.code,
        {"person_id": membership.person_id, "role": membership.role},
    )


async def move_member(
    session: AsyncSession, who: Who, membership: Membership, to: Unit
) -> Membership:
    """Move a person from one unit to another, as a plain member there (a role in one unit
    says nothing of the next: an admin gives it with /thanhvien vaitro)."""
    if to.id == membership.unit_id or await units.membership(session, membership.person_id, to.id):
        raise Refused("members.already_in", {"unit": f"{to.name} ({to.code})"})
    origin = membership.unit.code
    person_id = membership.person_id
    await units.remove_membership(session, person_id, membership.unit_id)
    moved = await units.set_membership(session, person_id, to.id, Role.MEMBER.code)
    await who.audit(session, "member.move", origin, {"person_id": person_id, "to": to.code})
    return moved


async def set_role(session: AsyncSession, who: Who, membership: Membership, role: Role) -> None:
    """A person's role in the unit of `membership` (admins only: a lead may not promote)."""
    if role.code == membership.role:
        raise Refused("members.role_same")
    await who.audit(
        session,
        "member.role",
        membership.unit.code,
        {"person_id": membership.person_id, "from": membership.role, "to": role.code},
    )
    membership.role = role.code


BATCH = 1000
"""Rows per transaction: a few milliseconds of writing, then others get their turn."""
AUDITED_CODES = 100
"""Codes named in the audit line; a big import is summed up by its count."""


async def problems(db: Database, rows: Sequence[UnitRow]) -> list[RowError]:
    """The rows whose code is already taken (read in batches: a query has a bounded number
    of parameters on both databases)."""
    found: list[RowError] = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        async with db.transaction() as session:
            taken = await units.existing_codes(session, [row.code for row in chunk])
        found += [
            RowError(r.line, "csv.exists", {"code": r.code}) for r in chunk if r.code in taken
        ]
    return found


async def import_units(
    db: Database, rows: Sequence[UnitRow], *, actor: str = "cli", batch: int = BATCH
) -> int:
    """Write rows already checked (`problems` found none), `batch` to a transaction; the
    audit line comes with the last batch. Returns how many were written."""
    written = 0
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        async with db.transaction() as session:
            await units.add_units(session, [(r.code, r.name, r.kind.value) for r in chunk])
            written += len(chunk)
            if written == len(rows):
                codes = [r.code for r in rows[:AUDITED_CODES]]
                await audit.record(
                    session,
                    actor=actor,
                    action="unit.import",
                    detail={"count": len(rows), "codes": codes},
                )
    return written


class RowsRefused(Refused):
    """A CSV with problems: nothing was imported; every problem with its line."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("cli.nothing_imported")
        self.errors = sorted(errors, key=lambda e: e.line)


async def import_csv(db: Database, text: str, *, actor: str = "cli") -> int:
    """Units from the text of a code,name,kind CSV: checked whole (the rows, then the codes
    already taken), then written in batches. Returns how many."""
    rows, errors = parse_units_csv(text)
    errors += await problems(db, rows)
    if errors:
        raise RowsRefused(errors)
    return await import_units(db, rows, actor=actor)
