"""Who may do what: every role check of the bot lives here.

A person holds one role per unit (member, outreach, lead) and may be an admin of the whole
bot (granted in the database, or listed in BOT_ADMINS). Handlers ask `Actor` and never read
memberships themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from campaign.roles import Role, can_grant
from storage.models import Membership, Unit


@dataclass(frozen=True)
class Actor:
    person_id: int
    is_admin: bool
    memberships: tuple[Membership, ...] = field(default_factory=tuple)

    @property
    def level(self) -> Role | None:
        """The highest role anywhere: what /trogiup shows. None for someone in no unit."""
        if self.is_admin:
            return Role.ADMIN
        roles = [Role[m.role.upper()] for m in self.memberships]
        return max(roles) if roles else None

    def role_in(self, unit: Unit) -> Role | None:
        if self.is_admin:
            return Role.ADMIN
        for membership in self.memberships:
            if membership.unit_id == unit.id:
                return Role[membership.role.upper()]
        return None

    @property
    def units(self) -> list[Unit]:
        return [m.unit for m in self.memberships]

    def may_use(self, required: Role | None) -> bool:
        """Whether a command needing `required` (None: anyone) is open to this person."""
        if required is None:
            return True
        level = self.level
        return level is not None and level >= required

    def may_manage(self, unit: Unit) -> bool:
        """Lead of this unit, or admin: invites, links, reminders for the unit."""
        role = self.role_in(unit)
        return role is not None and role >= Role.LEAD

    def may_grant(self, unit: Unit, role: Role) -> bool:
        granter = self.role_in(unit)
        return granter is not None and can_grant(granter, role)
