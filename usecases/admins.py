"""Admins: who they are and taking the role back (`python -m bot admin list|revoke`).

An admin is either granted in the database (`admin grant`) or listed in BOT_ADMINS. Only the
first kind can be revoked here: the settings are the operator's, and a revoke the next start
would undo is a lie, so it is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.accounts import parse_account_ref
from storage import admins
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
