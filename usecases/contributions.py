"""Contributions to a collection: recorded by members (money or gifts in kind), on behalf of
a unit by its lead or outreach officer, confirmed by the organiser, listed with the totals.

Decisions: only an activity of kind "quyen_gop" takes contributions (the totals of a blood
drive or a sports day would mean nothing); one may be recorded while the collection is not
cancelled, also after its end (money often comes in late). A member's contribution counts for
their unit in the collection's audience (their first unit when it is for everyone); a unit's
own contribution has no person (the audit log keeps who recorded it). Amounts run from
1.000 đ to 10 tỷ (campaign/money.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.roles import Role
from storage import contributions
from storage.contributions import Line, Sums
from storage.models import Activity, Contribution, Unit
from usecases.access import Actor
from usecases.attendance import activity_for
from usecases.errors import Named, Refused, Who, unit_named
from usecases.outreach_access import in_audience, may_organise

COLLECTION = "quyen_gop"
MAX_ITEMS = 200
"""Characters of a gift in kind ("10 kg gạo, 2 thùng mì"): a line, not a letter."""


@dataclass(frozen=True)
class Recorded:
    activity: Activity
    contribution: Contribution
    unit: Unit | None


@dataclass(frozen=True)
class Confirmed:
    activity: Activity
    contribution: Contribution
    already: bool


@dataclass(frozen=True)
class Ledger:
    activity: Activity
    lines: list[Line]
    by_unit: dict[str | None, Sums]
    total: Sums


@dataclass(frozen=True)
class Own:
    activity: Activity
    mine: list[Contribution]
    total: Sums


async def collection(session: AsyncSession, number: int) -> tuple[Activity, list[int]]:
    """Collection `number` and its audience; refused when unknown, cancelled or no collection."""
    activity, audience = await activity_for(session, number)
    if activity.kind != COLLECTION:
        raise Refused("contribution.not_collection", {"number": number, "name": activity.name})
    return activity, audience


async def record(
    session: AsyncSession,
    who: Who,
    actor: Actor,
    number: int,
    gift: int | str,
    for_unit: Unit | None = None,
) -> Recorded:
    """Record money (int, VND, already read and bounded) or gifts in kind (str), waiting for
    the organiser's confirmation."""
    assert who.at is not None
    activity, audience = await collection(session, number)
    if isinstance(gift, str) and len(gift) > MAX_ITEMS:
        raise Refused("contribution.items_too_long", {"limit": MAX_ITEMS})
    if for_unit is not None:
        role = actor.role_in(for_unit)
        if role is None or role < Role.OUTREACH:
            raise Refused("contribution.not_your_unit", named={"unit": _unit(for_unit)})
        if audience and for_unit.id not in audience:
            raise Refused("contribution.unit_not_in_audience",
                          {"name": activity.name}, named={"unit": _unit(for_unit)})  # fmt: skip
        unit: Unit | None = for_unit
        person_id = None
    else:
        if not in_audience(actor, audience):
            raise Refused("attendance.not_in_audience", {"name": activity.name})
        unit = _giver_unit(actor, audience)
        person_id = who.person_id
    contribution = await contributions.add(
        session,
        Contribution(
            activity_id=activity.id,
            person_id=person_id,
            unit_id=unit.id if unit is not None else None,
            amount=gift if isinstance(gift, int) else None,
            items=gift if isinstance(gift, str) else None,
            created_at=who.at,
        ),
    )
    if for_unit is not None:
        await who.audit(session, "contribution.unit", for_unit.code,
                        {"id": contribution.id, "activity": activity.id})  # fmt: skip
    return Recorded(activity, contribution, unit)


def _unit(unit: Unit) -> Named:
    return unit_named(unit.code, unit.name)


def _giver_unit(actor: Actor, audience: list[int]) -> Unit | None:
    for membership in actor.memberships:
        if not audience or membership.unit_id in audience:
            return membership.unit
    return None


async def confirm(session: AsyncSession, who: Who, actor: Actor, contribution_id: int) -> Confirmed:
    """The organiser says the money or the gift was received."""
    assert who.at is not None
    contribution = await contributions.find(session, contribution_id)
    if contribution is None:
        raise Refused("contribution.unknown", {"id": contribution_id})
    activity, audience = await collection(session, contribution.activity_id)
    if not may_organise(actor, activity, audience):
        raise Refused("contribution.not_allowed", {"name": activity.name})
    if contribution.confirmed_at is not None:
        return Confirmed(activity, contribution, already=True)
    contribution.confirmed_at, contribution.confirmed_by = who.at, who.person_id
    await who.audit(session, "contribution.confirm", str(contribution.id),
                    {"activity": activity.id, "amount": contribution.amount})  # fmt: skip
    return Confirmed(activity, contribution, already=False)


async def ledger(session: AsyncSession, actor: Actor, number: int) -> Ledger:
    """Every contribution, confirmed or not, and the totals per unit and overall."""
    activity, audience = await collection(session, number)
    if not may_organise(actor, activity, audience):
        raise Refused("contribution.not_allowed", {"name": activity.name})
    return Ledger(
        activity,
        await contributions.lines(session, activity.id),
        await contributions.totals_by_unit(session, activity.id),
        await contributions.totals(session, activity.id),
    )


async def own(session: AsyncSession, actor: Actor, number: int) -> Own:
    """This person's contributions to the collection and its total so far."""
    activity, audience = await collection(session, number)
    if not in_audience(actor, audience):
        raise Refused("attendance.not_in_audience", {"name": activity.name})
    return Own(
        activity,
        await contributions.of_person(session, activity.id, actor.person_id),
        await contributions.totals(session, activity.id),
    )
