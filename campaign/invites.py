"""Invite codes: short, unambiguous on a phone screen, safe inside a Telegram deep link.

The one-time codes that link a person's accounts (/taikhoan) are made the same way.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from campaign.inputs import MAX_ID, is_number, read_int
from campaign.roles import Role
from campaign.text import fold

# No 0/O, 1/I/L: a code is read aloud and typed by hand.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    """A fresh random code (about 39 bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """Accept a code typed in lower case or with spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def is_well_formed(code: str) -> bool:
    """Whether a normalized code could be one this module made (length and letters)."""
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


def invite_problem(*, expires_at: datetime, uses_left: int, now: datetime) -> str | None:
    """Why an invite can no longer be used ("expired", "used_up"), or None when it can."""
    if uses_left <= 0:
        return "used_up"
    if expires_at <= now:
        return "expired"
    return None


MEMBER_USES = 30
"""A lead's member code, by default: a department's staff join with one code."""
MEMBER_DAYS = 7
MAX_USES = 200
MAX_DAYS = 90
"""Bounds on what anyone may ask for: a code is a key to a unit, it should not lie around."""

_USES_WORDS = frozenset({"luot", "lan", "uses", "use", "x"})
_DAYS_WORDS = frozenset({"ngay", "days", "day", "d"})


@dataclass(frozen=True)
class InviteRequest:
    """What `/moi UNIT …` asked for beyond the unit: role words, uses and days (None: the
    default)."""

    role: str
    uses: int | None
    days: int | None


@dataclass(frozen=True)
class Terms:
    uses: int
    days: int


def parse_request(words: list[str]) -> InviteRequest | None:
    """Read "[role] [N lượt] [N ngày]" in any order ("van dong", "20 luot 7 ngay"); None when
    a number has no word saying what it counts, or is not a plain number."""
    role: list[str] = []
    uses = days = None
    index = 0
    while index < len(words):
        word = words[index]
        if word[:1].isascii() and is_number(word[:1]):
            number = _plain_number(word)
            unit = fold(words[index + 1]) if index + 1 < len(words) else ""
            if number is None or unit not in _USES_WORDS | _DAYS_WORDS:
                return None
            if unit in _USES_WORDS:
                uses = number
            else:
                days = number
            index += 2
            continue
        role.append(word)
        index += 1
    return InviteRequest(role=" ".join(role), uses=uses, days=days)


def _plain_number(word: str) -> int | None:
    """ASCII digits only (no "²"); anything past MAX_ID is out of every bound anyway."""
    return read_int(word, 0, MAX_ID)


def invite_terms(
    role: Role, *, by_admin: bool, uses: int | None, days: int | None
) -> Terms | tuple[str, dict[str, Any]]:
    """The uses and days of a new code, or the message key (and its values) saying why not.

    A code above member (outreach, lead) hands power to whoever types it first: only admins
    make one, and it works once. Member codes come from leads too, with bounded uses and days.
    """
    if role > Role.MEMBER and not by_admin:
        return "invite.admin_only_role", {}
    if role > Role.MEMBER and uses not in (None, 1):
        return "invite.one_use", {}
    if uses is not None and not 1 <= uses <= MAX_USES:
        return "invite.bad_uses", {"value": uses, "max": MAX_USES}
    if days is not None and not 1 <= days <= MAX_DAYS:
        return "invite.bad_days", {"value": days, "max": MAX_DAYS}
    default_uses = MEMBER_USES if role == Role.MEMBER else 1
    return Terms(uses=uses or default_uses, days=days or MEMBER_DAYS)
