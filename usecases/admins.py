"""Admins and the audit log: who the admins are, granting and taking the role back
(`python -m bot admin grant|list|revoke`), and the audit entries (`/nhatky`, `audit`).

An admin is either granted in the database (`admin grant`) or listed in BOT_ADMINS. Only the
first kind can be revoked here: the settings are the operator's, and a revoke the next start
would undo is a lie, so it is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.accounts import parse_account_ref
from storage import admins, audit, people
from usecases.errors import Refused, Who


@dataclass(frozen=True)
class AdminEntry:
    ref: str
    """ "telegram:42": how the account is named in BOT_ADMINS and on the command line."""
    name: str
    source: str
    """ "settings" (BOT_ADMINS) or "database" (admin grant)."""


async def list_admins(session: AsyncSession, from_settings: Iterable[str]) -> list[AdminEntry]:
    """Every admin account: those of BOT_ADMINS first, then those granted in the database."""
    configured = sorted(set(from_settings))
    entries = []
    for ref in configured:
        parsed = parse_account_ref(ref)
        account = await admins.account_with_person(session, *parsed) if parsed else None
        entries.append(AdminEntry(ref, account.person.display_name if account else "", "settings"))
    for person in await admins.database_admins(session):
        for account in person.accounts:
            ref = f"{account.platform}:{account.platform_user_id}"
            if ref not in configured:
                entries.append(AdminEntry(ref, person.display_name, "database"))
    return entries


async def revoke_admin(
    session: AsyncSession, who: Who, ref: str, from_settings: Iterable[str]
) -> str:
    """Take the admin role from the person of this account; returns the account as written."""
    parsed = parse_account_ref(ref)
    if parsed is None:
        raise Refused("cli.admin_bad_ref", {"ref": ref})
    shown = ":".join(parsed)
    if shown in set(from_settings):
        raise Refused("admins.from_settings", {"ref": shown})
    account = await admins.account_with_person(session, *parsed)
    if account is None or not account.person.is_admin:
        raise Refused("admins.not_admin", {"ref": shown})
    account.person.is_admin = False
    await who.audit(session, "admin.revoke", shown)
    return shown


async def grant_admin(session: AsyncSession, who: Who, ref: str) -> str:
    """Make the person of this account (created if new) an admin; returns the account."""
    parsed = parse_account_ref(ref)
    if parsed is None:
        raise Refused("cli.admin_bad_ref", {"ref": ref})
    await people.grant_admin(session, *parsed)
    shown = ":".join(parsed)
    await who.audit(session, "admin.grant", shown)
    return shown


@dataclass(frozen=True)
class Entry:
    """One audit line as both the chat and the command line show it."""

    at: datetime
    actor: str
    action: str
    target: str | None
    detail: dict[str, object]

    def as_json(self, zone: ZoneInfo) -> dict[str, object]:
        return {
            "at": self.at.astimezone(zone).replace(microsecond=0).isoformat(),
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "detail": self.detail,
        }


async def audit_entries(session: AsyncSession, limit: int, offset: int = 0) -> list[Entry]:
    """The newest `limit` entries after skipping `offset` newer ones, newest first."""
    return [
        Entry(row.at, row.actor, row.action, row.target, dict(row.detail or {}))
        for row in await audit.latest(session, limit, offset)
    ]
