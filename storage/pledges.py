"""Pledges, their commitments, progress updates and year-end assessments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from campaign.commitments import match
from campaign.progress import latest_values, overall
from storage.models import Assessment, Commitment, Pledge, ProgressUpdate


async def find_pledge(session: AsyncSession, person_id: int, campaign_id: int) -> Pledge | None:
    return await session.scalar(
        select(Pledge)
        .where(Pledge.person_id == person_id, Pledge.campaign_id == campaign_id)
        .options(selectinload(Pledge.commitments))
    )


async def save_pledge(
    session: AsyncSession,
    *,
    person_id: int,
    campaign_id: int,
    title: str,
    commitments: list[str],
    target_rating: str | None,
    late: bool,
    at: datetime,
    carry: bool = True,
) -> tuple[Pledge, bool]:
    """Create the pledge, or replace title, rating and commitments of the existing one.
    Returns the pledge and whether it replaced one.

    A commitment typed again (campaign.commitments.match: same text, any order) keeps its row,
    and so its progress, when `carry`; every other old one is retired with its history, and
    the new or changed ones start at 0 (an old one never reported on is simply deleted). Without
    `carry` every commitment starts afresh. The
    overall is recomputed from what is current."""
    pledge = await find_pledge(session, person_id, campaign_id)
    replaced = pledge is not None
    if pledge is None:
        pledge = Pledge(
            person_id=person_id,
            campaign_id=campaign_id,
            late=late,
            title=title,
            target_rating=target_rating,
            created_at=at,
            updated_at=at,
        )
        session.add(pledge)
        await session.flush()
        old: list[Commitment] = []
    else:
        pledge.title, pledge.target_rating, pledge.updated_at = title, target_rating, at
        old = list(pledge.commitments)
    matching = match([c.text for c in old], commitments)
    reused: set[int] = set()
    for index, text in enumerate(commitments):
        if carry and index in matching.kept:
            row = old[matching.kept[index]]
            row.position, row.text = index + 1, text
            reused.add(row.id)
        else:
            session.add(Commitment(pledge_id=pledge.id, position=index + 1, text=text))
    reported = {u.commitment_id for u in await history(session, pledge.id)} if old else set()
    for row in old:
        if row.id in reused:
            continue
        if row.id in reported:
            row.retired_at = at  # its history stays with it
        else:
            await session.delete(row)
    await session.flush()
    await session.refresh(pledge, ["commitments"])
    await _refresh_overall(session, pledge)
    return pledge, replaced


async def carried_progress(session: AsyncSession, pledge: Pledge, commitments: list[str]) -> int:
    """How many current commitments with progress `commitments` would keep; -1 when nothing is
    in question (no progress on the current ones, or the same commitments in any order)."""
    latest = latest_by_commitment(await history(session, pledge.id))
    with_progress = [i for i, c in enumerate(pledge.commitments) if c.id in latest]
    matching = match([c.text for c in pledge.commitments], commitments)
    if not with_progress or not matching.changed:
        return -1
    return sum(1 for i in matching.kept.values() if i in with_progress)


async def history(session: AsyncSession, pledge_id: int) -> list[ProgressUpdate]:
    return list(
        await session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.pledge_id == pledge_id)
            .order_by(ProgressUpdate.id)
        )
    )


def latest_by_commitment(updates: list[ProgressUpdate]) -> dict[int | None, int]:
    """Each commitment's latest value by commitment id (None: a pledge without commitments)."""
    return latest_values((u.commitment_id, u.percent) for u in updates)


async def _refresh_overall(session: AsyncSession, pledge: Pledge) -> None:
    latest = latest_by_commitment(await history(session, pledge.id))
    pledge.progress = overall([c.id for c in pledge.commitments], latest)
    await session.flush()


async def add_progress(
    session: AsyncSession,
    pledge: Pledge,
    *,
    percent: int,
    commitment: Commitment | None,
    note: str | None,
    at: datetime,
) -> int:
    """Record a value for one commitment, or (`commitment` None) for every current one: "all
    my commitments are at `percent`". Returns the pledge's overall progress after it."""
    targets: list[int | None] = (
        [commitment.id] if commitment is not None else [c.id for c in pledge.commitments] or [None]
    )
    session.add_all(
        ProgressUpdate(
            pledge_id=pledge.id,
            commitment_id=target,
            percent=percent,
            note=note or None,
            created_at=at,
        )
        for target in targets
    )
    pledge.progress_at = at
    await session.flush()
    await _refresh_overall(session, pledge)
    return pledge.progress or 0


async def assessment(session: AsyncSession, person_id: int, campaign_id: int) -> Assessment | None:
    return await session.scalar(
        select(Assessment).where(
            Assessment.person_id == person_id, Assessment.campaign_id == campaign_id
        )
    )


async def assessment_for_update(
    session: AsyncSession, person_id: int, campaign_id: int
) -> Assessment:
    row = await assessment(session, person_id, campaign_id)
    if row is None:
        row = Assessment(person_id=person_id, campaign_id=campaign_id)
        session.add(row)
    return row
