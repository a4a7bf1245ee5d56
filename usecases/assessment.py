"""Assessment: a member's own rating of the year, a lead's final rating, and the admin's
opening or closing of the self-assessment window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.ratings import Rating
from storage import pledges
from storage.models import Assessment, CampaignDocument
from usecases.errors import Refused, Who

MAX_COMMENT = 1000
"""assessment.self_comment's length."""


async def self_assess(
    session: AsyncSession,
    person_id: int,
    row: CampaignDocument,
    rating: Rating,
    comment: str,
    now: datetime,
) -> bool:
    """Save a member's own rating; True when it replaced an earlier one."""
    if len(comment) > MAX_COMMENT:
        raise Refused("assess.comment_too_long", {"limit": MAX_COMMENT})
    assessment = await pledges.assessment_for_update(session, person_id, row.id)
    again = assessment.self_rating is not None
    assessment.self_rating, assessment.self_comment = rating.value, comment or None
    assessment.self_at = now
    return again


async def set_window(
    session: AsyncSession, who: Who, row: CampaignDocument, value: bool | None
) -> None:
    """Open (True) or close (False) self-assessment, or leave it to the documents (None)."""
    row.assessment_open = value
    await who.audit(session, "assessment.window", str(row.year), {"open": value})


@dataclass(frozen=True)
class Rated:
    assessment: Assessment
    self_rating: str | None
    """What the member had said of themselves."""


async def rate(
    session: AsyncSession,
    who: Who,
    person_id: int,
    row: CampaignDocument,
    rating: Rating,
    now: datetime,
) -> Rated:
    """A lead's final rating of a member. Nobody gives it to himself: a lead's is set by an
    admin, an admin's by another admin."""
    if person_id == who.person_id:
        raise Refused("rate.not_yourself")
    assessment = await pledges.assessment_for_update(session, person_id, row.id)
    assessment.final_rating, assessment.final_by = rating.value, who.person_id
    assessment.final_at = now
    await who.audit(session, "rating.final", str(person_id), {"rating": rating.value})
    return Rated(assessment, assessment.self_rating)
