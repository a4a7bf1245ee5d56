"""The first-run checklist: what an admin still has to set up before staff can use the bot.

A new database has the bundled sample campaign and nothing else; the first admin's /start and
an admin's /trogiup show the steps still open (this year's document, units, invites, groups)
with the exact command of each, so that nobody has to read the README to begin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from storage import setup
from usecases.library import CampaignLibrary

Step = Literal["campaign", "units", "invites", "groups"]
STEPS: tuple[Step, ...] = ("campaign", "units", "invites", "groups")


@dataclass(frozen=True)
class Checklist:
    done: frozenset[Step]
    year: int

    @property
    def missing(self) -> list[Step]:
        return [step for step in STEPS if step not in self.done]

    @property
    def empty(self) -> bool:
        """Nothing set up yet: a new installation."""
        return not self.done


async def checklist(session: AsyncSession, library: CampaignLibrary, today: date) -> Checklist:
    """Which steps are done. The campaign step counts an agency's own document on today, not
    the bundled sample; invites count as done once members joined even if codes expired."""
    counts = await setup.counts(session)
    current = await library.current(session, today)
    done: set[Step] = set()
    if current is not None and not current.demo:
        done.add("campaign")
    if counts.units:
        done.add("units")
    if counts.invites or counts.members:
        done.add("invites")
    if counts.groups:
        done.add("groups")
    return Checklist(frozenset(done), today.year)
