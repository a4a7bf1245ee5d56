"""Outreach figures per unit over a span of time, for the standing and the reports.

For each unit: the activities held (not cancelled, started in the span, meant for the unit or
for everyone), the confirmed sign-ups and the attendances of its members at those activities,
and the confirmed money contributed for it to the collections that started in the span. A
person in two units counts in both. Five grouped queries whatever the number of units
(tests/test_attendance.py counts them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Activity, ActivityUnit, Contribution, Membership, Signup, Unit


@dataclass(frozen=True)
class UnitOutreach:
    activities: int = 0
    signups: int = 0
    attended: int = 0
    contributed: int = 0
    """Confirmed money, VND."""


def _held(start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(
        Activity.status != "cancelled", Activity.starts_at >= start, Activity.starts_at < end
    )


async def per_unit(
    session: AsyncSession, start: datetime, end: datetime
) -> dict[int, UnitOutreach]:
    """Every unit's figures for activities that started in [start, end)."""
    unit_ids = list(await session.scalars(select(Unit.id).order_by(Unit.id)))
    for_all = await session.scalar(
        select(func.count(Activity.id)).where(
            _held(start, end),
            ~exists().where(ActivityUnit.activity_id == Activity.id),
        )
    )
    targeted = {
        unit: int(count)
        for unit, count in await session.execute(
            select(ActivityUnit.unit_id, func.count(ActivityUnit.id))
            .join(Activity, Activity.id == ActivityUnit.activity_id)
            .where(_held(start, end))
            .group_by(ActivityUnit.unit_id)
        )
    }
    people = await session.execute(
        select(
            Membership.unit_id,
            func.count(Signup.id).filter(Signup.status == "confirmed"),
            func.count(Signup.attended_at).filter(Signup.status != "withdrawn"),
        )
        .join(Signup, Signup.person_id == Membership.person_id)
        .join(Activity, Activity.id == Signup.activity_id)
        .where(_held(start, end))
        .group_by(Membership.unit_id)
    )
    signed = {unit: (int(a), int(b)) for unit, a, b in people}
    money = {
        unit: int(total or 0)
        for unit, total in await session.execute(
            select(Contribution.unit_id, func.sum(Contribution.amount))
            .join(Activity, Activity.id == Contribution.activity_id)
            .where(
                _held(start, end),
                Contribution.confirmed_at.is_not(None),
                Contribution.unit_id.is_not(None),
            )
            .group_by(Contribution.unit_id)
        )
    }
    return {
        unit: UnitOutreach(
            activities=int(for_all or 0) + int(targeted.get(unit, 0)),
            signups=signed.get(unit, (0, 0))[0],
            attended=signed.get(unit, (0, 0))[1],
            contributed=int(money.get(unit) or 0),
        )
        for unit in unit_ids
    }
