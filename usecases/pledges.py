"""Pledges and progress: registering (for oneself, or by a lead for a member) and recording
progress on the pledge of the campaign on today.

Telling the member that a lead changed their pledge is the chat's (it writes the notice into
the outbox in the same transaction); here is what is saved and what the reply says of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.progress import ProgressInput
from storage import pledges
from storage.models import CampaignDocument, Commitment, Pledge
from usecases.errors import Refused, Who


@dataclass(frozen=True)
class Saved:
    pledge: Pledge
    replaced: bool
    late: bool
    """Saved after the registration deadline (by a lead, or a late first pledge)."""


async def save_pledge(
    session: AsyncSession,
    who: Who,
    row: CampaignDocument,
    person_id: int,
    *,
    title: str,
    commitments: list[str],
    rating: str | None,
    rated: bool,
    deadline: date,
    today: date,
    now: datetime,
    carry: bool = True,
) -> Saved:
    """Save the pledge of `person_id` for the campaign. `rated` False (the one-line form says
    nothing of the rating aimed for): a pledge it replaces keeps the rating it had. Saved for
    someone else, it is audited."""
    late = today > deadline
    if not rated:
        existing = await pledges.find_pledge(session, person_id, row.id)
        rating = existing.target_rating if existing is not None else None
    pledge, replaced = await pledges.save_pledge(
        session,
        person_id=person_id,
        campaign_id=row.id,
        title=title,
        commitments=commitments,
        target_rating=rating,
        late=late,
        at=now,
        carry=carry,
    )
    if person_id != who.person_id:
        await who.audit(session, "pledge.on_behalf", str(person_id), {"title": pledge.title})
    return Saved(pledge, replaced, late)


@dataclass(frozen=True)
class Progressed:
    commitment: Commitment | None
    """The commitment named, or None for "all of them"."""
    overall: int
    """The pledge's overall progress after it."""


async def record_progress(
    session: AsyncSession,
    person_id: int,
    row: CampaignDocument,
    given: ProgressInput,
    now: datetime,
) -> Progressed:
    """A value for one commitment, or for all; refused without a pledge or with a number
    that names no commitment."""
    pledge = await pledges.find_pledge(session, person_id, row.id)
    if pledge is None:
        raise Refused("progress.no_pledge")
    count = len(pledge.commitments)
    if given.commitment is not None and not 1 <= given.commitment <= count:
        raise Refused("progress.no_such_commitment", {"number": given.commitment, "count": count})
    commitment = None if given.commitment is None else pledge.commitments[given.commitment - 1]
    overall = await pledges.add_progress(
        session, pledge, percent=given.percent, commitment=commitment, note=given.note, at=now
    )
    return Progressed(commitment, overall)
