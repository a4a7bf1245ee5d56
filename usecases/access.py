"""Who may do what: every role check of the bot lives here.

A person holds one role per unit (member, outreach, lead) and may be an admin of the whole
bot (granted in the database, or listed in BOT_ADMINS). Handlers and use cases ask `Actor` and
never read memberships or compare roles themselves: a rule changed here changes for every
command (tests/test_role_matrix.py tries them all).
"""

from __future__ import annotations

from collections.abc import Sequence
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

    @property
    def is_staff(self) -> bool:
        """A lead somewhere, or an admin: told how to import a campaign, may register for a
        member and change a pledge after the deadline."""
        return self.may_use(Role.LEAD)

    @property
    def led_unit_ids(self) -> list[int]:
        """The units this person leads (an admin's own lead memberships only)."""
        return [m.unit_id for m in self.memberships if m.role == Role.LEAD.code]

    @property
    def led_units(self) -> list[Unit]:
        """The units this person leads, as loaded with the memberships."""
        return [m.unit for m in self.memberships if m.role == Role.LEAD.code]

    @property
    def managed_unit_ids(self) -> list[int] | None:
        """Where this person may look at members, codes and reports: None (everywhere) for an
        admin, else the units they lead."""
        return None if self.is_admin else self.led_unit_ids

    @property
    def seen_unit_ids(self) -> list[int] | None:
        """Whose figures this person sees: None (every unit and the department) for an admin,
        else the units they belong to."""
        return None if self.is_admin else self.member_unit_ids

    @property
    def member_unit_ids(self) -> list[int]:
        """Every unit this person belongs to, whatever the role."""
        return [m.unit_id for m in self.memberships]

    @property
    def announces_to(self) -> list[int] | None:
        """The units whose groups this person's announcements reach: None (all) for an admin,
        else the units they lead or do outreach for."""
        if self.is_admin:
            return None
        reach = (Role.LEAD.code, Role.OUTREACH.code)
        return [m.unit_id for m in self.memberships if m.role in reach]

    def leads(self, unit_id: int) -> bool:
        """Lead of this very unit (not an admin's reach: see `may_manage`)."""
        return unit_id in self.led_unit_ids

    def may_see(self, unit: Unit) -> bool:
        """A unit's figures: its members and admins."""
        return self.role_in(unit) is not None

    @property
    def may_act_for_members(self) -> bool:
        """Registering a pledge for a member: an admin, or a lead of some unit."""
        return self.is_admin or bool(self.led_unit_ids)

    def may_change_after(self, deadline_passed: bool) -> bool:
        """A pledge may change until the deadline; leads and admins may change it after."""
        return not deadline_passed or self.is_staff

    def may_remove(self, role: str) -> bool:
        """Taking someone out of a unit this person manages: a lead only by an admin."""
        return self.is_admin or role != Role.LEAD.code

    @property
    def invite_roles(self) -> list[Role]:
        """The roles of the invite codes this person sees and withdraws: all for an admin,
        member codes for a lead."""
        if self.is_admin:
            return [Role.MEMBER, Role.OUTREACH, Role.LEAD]
        return [Role.MEMBER]

    @property
    def may_organise(self) -> bool:
        """Putting on union and youth activities: an admin, or a lead or outreach officer of
        some unit."""
        return self.is_admin or bool(self.announces_to)

    def organises_for(self, unit_ids: Sequence[int] | None) -> bool:
        """An activity for these units (None: everyone): an admin for any, a lead or outreach
        officer only for units they lead or do outreach for (their reach as announcers)."""
        reach = self.announces_to
        if reach is None:
            return True
        return bool(unit_ids) and set(unit_ids or ()) <= set(reach)

    def runs_activity(self, organiser_id: int | None, unit_ids: Sequence[int]) -> bool:
        """Seeing an activity's sign-ups and adding people to it: its organiser, an admin, or
        a lead of one of the units it is for."""
        return (
            self.is_admin
            or (organiser_id is not None and organiser_id == self.person_id)
            or any(self.leads(unit_id) for unit_id in unit_ids)
        )

    def may_cancel_activity(self, organiser_id: int | None) -> bool:
        """Cancelling an activity: its organiser or an admin."""
        return self.is_admin or (organiser_id is not None and organiser_id == self.person_id)

    def may_join(self, unit_ids: Sequence[int]) -> bool:
        """Signing up: an activity naming no unit is for every member of any unit; one naming
        units is for their members; an admin may join any."""
        if self.is_admin:
            return True
        mine = set(self.member_unit_ids)
        return bool(mine) and (not unit_ids or bool(mine & set(unit_ids)))
