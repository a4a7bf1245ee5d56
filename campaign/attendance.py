"""Attendance at an activity: when its check-in code works, what the code looks like, and
the tally of who signed up and who came.

A check-in code is shown at the venue and typed by members on their phones: five characters
of the invite alphabet (no 0/O, 1/I/L), with at least one letter and one digit, so that it is
never read as an activity's number nor as a word of the command ("mo", "ds").
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from campaign.invites import ALPHABET, normalize_code

CODE_LENGTH = 5
BEFORE_START = timedelta(minutes=30)
"""People arrive early: the code works from half an hour before the start."""
WITHOUT_END = timedelta(hours=4)
"""An activity with no end time is taken to last four hours."""


def checkin_window(starts_at: datetime, ends_at: datetime | None) -> tuple[datetime, datetime]:
    """When a check-in code works: from 30 minutes before the start to the end (the start
    plus four hours when the activity has no end)."""
    until = ends_at if ends_at is not None and ends_at > starts_at else starts_at + WITHOUT_END
    return starts_at - BEFORE_START, until


def window_problem(now: datetime, opens: datetime, closes: datetime) -> str | None:
    """ "early" before the window, "late" after it, None inside."""
    if now < opens:
        return "early"
    if now > closes:
        return "late"
    return None


def new_code() -> str:
    """A fresh code: five characters with a letter and a digit (about 25 bits; one activity
    uses it for a few hours, and a wrong guess only reaches a code that is open)."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if is_code(code):
            return code


def is_code(text: str) -> bool:
    """Whether `text` (as typed: any case, spaces or dashes) could be a check-in code."""
    code = normalize_code(text)
    return (
        len(code) == CODE_LENGTH
        and all(ch in ALPHABET for ch in code)
        and any(ch.isdigit() for ch in code)
        and any(ch.isalpha() for ch in code)
    )


@dataclass(frozen=True)
class Attendee:
    """One sign-up row as the tally needs it."""

    status: str
    """confirmed, waitlist, withdrawn."""
    present: bool


@dataclass(frozen=True)
class Tally:
    signed_up: int
    """Confirmed sign-ups (a walk-in, who came without signing up, is one too)."""
    present: int
    """Everyone checked in, the waitlisted who came among them."""
    absent: int | None
    """Confirmed and not present once the activity is over; None while it is not."""
    came: int
    """Confirmed sign-ups present."""

    @property
    def rate(self) -> int | None:
        """Per cent of the confirmed sign-ups who came; None with nobody signed up."""
        return round(100 * self.came / self.signed_up) if self.signed_up else None


def tally(rows: Iterable[Attendee], *, ended: bool) -> Tally:
    """Signed up, present, absent (only counted once the activity has ended) and the rate."""
    confirmed = present = came = 0
    for row in rows:
        if row.present and row.status != "withdrawn":
            present += 1
        if row.status == "confirmed":
            confirmed += 1
            came += row.present
    return Tally(confirmed, present, confirmed - came if ended else None, came)
