"""Roles in a unit and what each may do.

The bot knows three roles inside a unit (member, outreach, lead) and one global role, admin
(the office that monitors the campaign). Ranks let one comparison answer "is this person at
least a lead here?".
"""

from __future__ import annotations

from enum import IntEnum

from campaign.text import fold


class Role(IntEnum):
    """A role in a unit, ordered by what it may do; ADMIN is global and above every unit role."""

    MEMBER = 1
    OUTREACH = 2
    LEAD = 3
    ADMIN = 4

    @property
    def code(self) -> str:
        return self.name.lower()


UNIT_ROLES = (Role.MEMBER, Role.OUTREACH, Role.LEAD)

_ROLE_WORDS = {
    "member": Role.MEMBER,
    "thanh vien": Role.MEMBER,
    "thanhvien": Role.MEMBER,
    "tv": Role.MEMBER,
    "outreach": Role.OUTREACH,
    "van dong": Role.OUTREACH,
    "vandong": Role.OUTREACH,
    "lead": Role.LEAD,
    "truong": Role.LEAD,
    "truong don vi": Role.LEAD,
    "lanh dao": Role.LEAD,
    "lanhdao": Role.LEAD,
}


def parse_unit_role(word: str) -> Role | None:
    """Read a unit role typed in English or Vietnamese, with or without diacritics."""
    return _ROLE_WORDS.get(fold(word))


def can_grant(granter: Role, role: Role) -> bool:
    """Whether someone with `granter` in a unit may hand out `role` there (never admin)."""
    return role in UNIT_ROLES and granter >= Role.LEAD and role <= granter


def stronger_role(first: str, second: str) -> str:
    """The role code that may do more of the two ("lead" over "member").

    When one person's two accounts were both in a unit, the joined person keeps what either
    account was given: nobody loses a role by linking accounts.
    """
    return max(first, second, key=lambda code: Role[code.upper()])
