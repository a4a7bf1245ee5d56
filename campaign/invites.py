"""Invite codes: short, unambiguous on a phone screen, safe inside a Telegram deep link.

The one-time codes that link a person's accounts (/taikhoan) are made the same way.
"""

from __future__ import annotations

import secrets
from datetime import datetime

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
