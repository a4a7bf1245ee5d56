"""Pledges, their commitments, progress updates and year-end assessments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from campaign.progress import overall
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
) -> tuple[Pledge, bool]:
    """Create the pledge, or replace title, rating and commitments of the existing one (its
    progress history is kept). Returns the pledge and whether it replaced one."""
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
    else:
        await session.execute(delete(Commitment).where(Commitment.pledge_id == pledge.id))
        pledge.title, pledge.target_rating, pledge.updated_at = title, target_rating, at
    session.add_all(
        Commitment(pledge_id=pledge.id, position=n, text=text)
        for n, text in enumerate(commitments, start=1)
    )
    await session.flush()
    await session.refresh(pledge, ["commitments"])
    return pledge, replaced


async def history(session: AsyncSession, pledge_id: int) -> list[ProgressUpdate]:
    return list(
        await session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.pledge_id == pledge_id)
            .order_by(ProgressUpdate.id)
        )
    )


def latest_by_commitment(updates: list[ProgressUpdate]) -> dict[int, int]:
    latest: dict[int, int] = {}
    for update in updates:
        if update.commitment_position is not None:
            latest[update.commitment_position] = update.percent
    return latest


async def add_progress(
    session: AsyncSession,
    pledge: Pledge,
    *,
    percent: int,
    position: int | None,
    note: str | None,
    at: datetime,
) -> ProgressUpdate:
    updates = await history(session, pledge.id)
    previous = updates[-1].overall if updates else 0
    if position is None:
        total = percent
    else:
        latest = latest_by_commitment(updates)
        latest[position] = percent
        total = overall(latest, len(pledge.commitments), previous)
    update = ProgressUpdate(
        pledge_id=pledge.id,
        commitment_position=position,
        percent=percent,
        overall=total,
        note=note or None,
        created_at=at,
    )
    session.add(update)
    pledge.progress, pledge.progress_at = total, at
    await session.flush()
    return update


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
