"""Invite codes: making one (`/moi`, `python -m bot invite`), the live ones a person may see,
withdrawing one.

A code is a key to a unit: whoever types it first gets its role. So codes above member come
from admins only and work once (campaign.invites.invite_terms), and a lead sees and withdraws
only the member codes of the units they lead. `actor` None is the operator at the command line,
who may do what an admin may.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.invites import Terms, invite_terms, normalize_code
from campaign.roles import Role
from storage import invites
from storage.models import Invite, Unit
from usecases.access import Actor
from usecases.errors import Refused, Who, unit_named


async def create_invite(
    session: AsyncSession,
    who: Who,
    actor: Actor | None,
    *,
    unit: Unit,
    role: Role,
    uses: int | None,
    days: int | None,
    now: datetime,
) -> Invite:
    """A new code on the terms the rules allow; refused when this person may not hand out
    `role` in `unit` or asks for more uses or days than the rules allow. Audited."""
    if actor is not None and not actor.may_manage(unit):
        raise Refused("invite.not_lead", named={"unit": unit_named(unit.code, unit.name)})
    if actor is not None and not actor.may_grant(unit, role):
        raise Refused("invite.role_too_high", named={"role": f"role.{role.code}"})
    terms = invite_terms(role, by_admin=actor is None or actor.is_admin, uses=uses, days=days)
    if not isinstance(terms, Terms):
        key, values = terms
        raise Refused(key, values, named={"role": f"role.{role.code}"})
    made = await invites.create_invite(
        session,
        unit_id=unit.id,
        role=role.code,
        uses=terms.uses,
        expires_at=now + timedelta(days=terms.days),
        created_by=who.person_id,
    )
    detail = {"invite": made.code, "role": role.code, "uses": made.uses_left}
    await who.audit(session, "invite.create", unit.code, detail)
    return made


async def visible_invites(session: AsyncSession, actor: Actor, now: datetime) -> list[Invite]:
    """The live codes this person may see and withdraw."""
    roles = [role.code for role in actor.invite_roles]
    found = await invites.active_invites(session, now, unit_ids=actor.managed_unit_ids, roles=roles)
    return list(found)


async def revoke_invite(
    session: AsyncSession, who: Who, actor: Actor, typed: str, now: datetime
) -> Invite:
    """Withdraw a live code this person may see; refused for a code they may not."""
    code = normalize_code(typed)
    if not code:
        raise Refused("invite.revoke_usage")
    found = await visible_invites(session, actor, now)
    invite = next((i for i in found if i.code == code), None)
    if invite is None:
        raise Refused("invite.revoke_unknown", {"code": code})
    await invites.revoke(session, invite.id)
    await who.audit(session, "invite.revoke", invite.unit.code, {"invite": invite.code})
    return invite
