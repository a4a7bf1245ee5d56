"""Activities in figures per unit, for the standing and the report: a fixed number of grouped
queries whatever the number of activities, units and people (campaign/outreach.py sums them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from campaign.outreach import ActivityRow
from storage.models import Activity, ActivityUnit, Contribution, Membership, Signup, Unit


async def activity_rows(
    session: AsyncSession, start: datetime, end: datetime, unit_ids: Sequence[int] | None
) -> list[ActivityRow]:
    """One row per activity starting in [start, end) and per unit it concerns: the units it
    was meant for (every unit when meant for everyone) and any unit whose members signed up
    or contributed; only `unit_ids` when given. Sorted by start, then unit code."""
    activities = list(
        await session.scalars(
            select(Activity)
            .where(Activity.starts_at >= start, Activity.starts_at < end)
            .order_by(Activity.starts_at, Activity.id)
        )
    )
    if not activities:
        return []
    ids = [a.id for a in activities]
    units_query = select(Unit.id, Unit.code).order_by(Unit.code)
    if unit_ids is not None:
        units_query = units_query.where(Unit.id.in_(list(unit_ids)))
    units = {row.id: row.code for row in await session.execute(units_query)}
    audience: dict[int, set[int]] = {}
    for activity_id, unit_id in await session.execute(
        select(ActivityUnit.activity_id, ActivityUnit.unit_id).where(
            ActivityUnit.activity_id.in_(ids)
        )
    ):
        audience.setdefault(activity_id, set()).add(unit_id)
    people: dict[tuple[int, int], tuple[int, int, int]] = {}
    for activity_id, unit_id, confirmed, waiting, present in await session.execute(
        select(
            Signup.activity_id,
            Membership.unit_id,
            func.count(case((Signup.status == "confirmed", 1))),
            func.count(case((Signup.status == "waitlist", 1))),
            func.count(Signup.attended_at),
        )
        .join(Membership, Membership.person_id == Signup.person_id)
        .where(Signup.activity_id.in_(ids))
        .group_by(Signup.activity_id, Membership.unit_id)
    ):
        people[(activity_id, unit_id)] = (confirmed, waiting, present)
    money: dict[tuple[int, int], tuple[int, int]] = {}
    for activity_id, giver, amount, count in await session.execute(
        select(
            Contribution.activity_id,
            Contribution.unit_id,
            func.coalesce(func.sum(Contribution.amount), 0),
            func.count(),
        )
        .where(
            Contribution.activity_id.in_(ids),
            Contribution.unit_id.is_not(None),
            Contribution.confirmed_at.is_not(None),
        )
        .group_by(Contribution.activity_id, Contribution.unit_id)
    ):
        if giver is not None:
            money[(activity_id, giver)] = (int(amount or 0), count)
    took_part: dict[int, set[int]] = {}
    for activity_id, unit_id in [*people, *money]:
        took_part.setdefault(activity_id, set()).add(unit_id)
    rows: list[ActivityRow] = []
    for activity in activities:
        concerned = set(audience.get(activity.id) or units) | took_part.get(activity.id, set())
        for unit_id in sorted((u for u in concerned if u in units), key=units.__getitem__):
            confirmed, waiting, present = people.get((activity.id, unit_id), (0, 0, 0))
            amount, count = money.get((activity.id, unit_id), (0, 0))
            rows.append(
                ActivityRow(
                    activity_id=activity.id,
                    name=activity.name,
                    kind=activity.kind,
                    starts_at=activity.starts_at,
                    cancelled=activity.status == "cancelled",
                    unit_id=unit_id,
                    signed_up=confirmed,
                    waitlisted=waiting,
                    attended=present,
                    contributed=amount,
                    contributions=count,
                )
            )
    return rows
