"""Attendance in SQL: an activity and its audience, its check-in code, its sign-up rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Activity, ActivityUnit, Person, Signup


async def find_activity(session: AsyncSession, activity_id: int) -> Activity | None:
    return await session.get(Activity, activity_id)


async def audience_of(session: AsyncSession, activity_id: int) -> list[int]:
    """The units an activity is meant for; empty: everyone."""
    rows = await session.scalars(
        select(ActivityUnit.unit_id)
        .where(ActivityUnit.activity_id == activity_id)
        .order_by(ActivityUnit.unit_id)
    )
    return list(rows)


async def by_code(session: AsyncSession, code: str) -> Activity | None:
    """The activity whose check-in code this is (codes are unique among all activities:
    `code_taken` is asked before one is given)."""
    return await session.scalar(
        select(Activity).where(Activity.checkin_code == code).order_by(Activity.id.desc()).limit(1)
    )


async def code_taken(session: AsyncSession, code: str) -> bool:
    found = await session.scalar(select(Activity.id).where(Activity.checkin_code == code).limit(1))
    return found is not None


async def signup_of(session: AsyncSession, activity_id: int, person_id: int) -> Signup | None:
    return await session.scalar(
        select(Signup).where(Signup.activity_id == activity_id, Signup.person_id == person_id)
    )


async def add_walk_in(
    session: AsyncSession, activity_id: int, person_id: int, at: datetime, added_by: int | None
) -> Signup:
    """Someone present who had not signed up: a confirmed sign-up, present from `at`."""
    signup = Signup(
        activity_id=activity_id,
        person_id=person_id,
        status="confirmed",
        queued_at=at,
        added_by=added_by,
        attended_at=at,
        created_at=at,
    )
    session.add(signup)
    await session.flush()
    return signup


async def roll(session: AsyncSession, activity_id: int) -> list[tuple[Signup, Person]]:
    """Every sign-up of the activity with its person, confirmed first, in the order they
    signed up (the waitlist after, in its queue order; withdrawn last)."""
    rows = await session.execute(
        select(Signup, Person)
        .join(Person, Person.id == Signup.person_id)
        .where(Signup.activity_id == activity_id)
        .order_by(Signup.queued_at, Signup.id)
    )
    order = {"confirmed": 0, "waitlist": 1}
    found = [(signup, person) for signup, person in rows]
    return sorted(found, key=lambda row: order.get(row[0].status, 2))
