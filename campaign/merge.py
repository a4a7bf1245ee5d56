"""What survives when a person's two accounts are joined into one person (/taikhoan).

Before linking, a staff member who used the bot on Telegram and on Zalo is two people in the
database, and each may have pledged for the same campaign or rated the same year. Only one
pledge and one assessment per person and campaign can remain: these rules choose which, and
how the two profiles add up. They are pure so that they can be read, and tested, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

_NEVER = datetime.min.replace(tzinfo=UTC)


class Side(StrEnum):
    ISSUER = "issuer"
    """The person who asked for the code: the one that stays."""
    SENDER = "sender"
    """The person whose account sent the code back: joined into the issuer, then removed."""

    @property
    def other(self) -> Side:
        return Side.SENDER if self is Side.ISSUER else Side.ISSUER


@dataclass(frozen=True)
class Candidate:
    """One side's record (a pledge, an assessment) as far as choosing between two matters."""

    at: datetime | None
    """When it was last touched: registered, changed, reported on, rated."""
    settled: bool = False
    """It carries a decision that outweighs recency (a lead's final rating)."""


def last_touched(*moments: datetime | None) -> datetime | None:
    """The latest of the moments given, ignoring the ones that never happened."""
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def to_keep(issuer: Candidate, sender: Candidate) -> Side:
    """Which of two records for the same campaign stays.

    A settled record wins (a lead's final rating is what every figure counts, and a
    self-assessment must not push it out); otherwise the one touched last, which is the one
    the person has been working with. A tie keeps the issuer's, like everything else of theirs.
    """
    if issuer.settled != sender.settled:
        return Side.ISSUER if issuer.settled else Side.SENDER
    if (sender.at or _NEVER) > (issuer.at or _NEVER):
        return Side.SENDER
    return Side.ISSUER


@dataclass(frozen=True)
class Profile:
    display_name: str
    language: str | None
    is_admin: bool
    nudges_off: bool


def joined_profile(issuer: Profile, sender: Profile) -> Profile:
    """The profile of the joined person.

    Rights and opt-outs add up: an admin stays an admin whichever account they link from, and
    "no more nudges" said on one platform is honoured on both. Name and language are the
    issuer's, unless the issuer has none.
    """
    return Profile(
        display_name=issuer.display_name or sender.display_name,
        language=issuer.language or sender.language,
        is_admin=issuer.is_admin or sender.is_admin,
        nudges_off=issuer.nudges_off or sender.nudges_off,
    )
