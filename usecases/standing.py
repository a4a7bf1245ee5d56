"""Standing: the units against the campaign's targets (`/thongke`, `stats`), who is behind,
and what the report spreadsheet holds (`/baocao`, `export`).

Who sees what is Actor's (a member their units, a lead the names in the units they lead, an
admin everything); here are the figures, in a constant number of queries whatever the size of
the department.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from campaign import outreach
from campaign.outreach import ActivityRow, UnitOutreach
from campaign.ratings import Rating
from campaign.standing import Tally, TargetResult, TargetRule, evaluate, too_many_excellent
from storage import outreach_report, standing
from storage.models import CampaignDocument, Unit
from storage.standing import MemberRow
from usecases.library import dates_of

STALE_DAYS = 30
"""A pledge without a progress update for this long is shown to its lead as stale."""


@dataclass
class UnitStanding:
    unit: Unit | None
    """None for the whole department."""
    tally: Tally
    targets: list[TargetResult]
    excess_excellent: bool
    outreach: UnitOutreach | None = None
    """Union and youth activities of the campaign's period; None while the unit has none."""


@dataclass(frozen=True)
class When:
    """The moment the figures are for, and the zone a campaign's days are read in."""

    now: datetime
    zone: ZoneInfo


def campaign_window(row: CampaignDocument, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The campaign's period as instants: its first day's midnight to the day after its last."""
    span = dates_of(row).span
    start = datetime.combine(span.start, time(), zone)
    return start, datetime.combine(span.end + timedelta(days=1), time(), zone)


async def compute(
    session: AsyncSession,
    row: CampaignDocument,
    rules: tuple[TargetRule, ...],
    unit_ids: list[int] | None,
    when: When,
) -> list[UnitStanding]:
    """Standing of the units (all when None, then also the department), in a few queries."""
    results, _rows = await _compute(session, row, rules, unit_ids, when)
    return results


async def _compute(
    session: AsyncSession,
    row: CampaignDocument,
    rules: tuple[TargetRule, ...],
    unit_ids: list[int] | None,
    when: When,
) -> tuple[list[UnitStanding], list[ActivityRow]]:
    found = await standing.units_by_ids(session, unit_ids)
    shown = None if unit_ids is None else [u.id for u in found]
    tallies = await standing.tallies(session, row.id, shown)
    rows = await outreach_report.activity_rows(session, *campaign_window(row, when.zone), shown)
    activities = outreach.per_unit(rows, when.now)
    result = []
    for unit in found:
        tally = tallies.get(unit.id, Tally(members=0))
        result.append(_standing(unit, tally, rules, activities.get(unit.id)))
    if unit_ids is None:
        whole = outreach.department(activities.values(), rows, when.now) if rows else None
        tally = tallies.get(standing.DEPARTMENT, Tally(members=0))
        result.append(_standing(None, tally, rules, whole))
    return result, rows


def _standing(
    unit: Unit | None, tally: Tally, rules: tuple[TargetRule, ...], done: UnitOutreach | None
) -> UnitStanding:
    return UnitStanding(
        unit, tally, [evaluate(tally, r) for r in rules], too_many_excellent(tally), done
    )


@dataclass
class Behind:
    """Who in a unit has not pledged, and who has not updated their progress lately."""

    not_pledged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)


async def laggards(
    session: AsyncSession, row: CampaignDocument, unit_ids: list[int], now: datetime
) -> dict[int, Behind]:
    """Per unit, the names of those behind: for its lead, in private."""
    rows = await standing.member_rows(session, row.id, unit_ids)
    since = now - timedelta(days=STALE_DAYS)
    result: dict[int, Behind] = {}
    for unit_id, people in rows.items():
        result[unit_id] = Behind(
            not_pledged=[p.name for p in people if p.title is None],
            stale=[
                p.name
                for p in people
                if p.title is not None and _older(p.last_update or p.pledged_at, since)
            ],
        )
    return result


def _older(moment: datetime | None, since: datetime) -> bool:
    return moment is None or moment < since


@dataclass(frozen=True)
class ReportData:
    """What the report workbook shows: the standings and, per unit, its members' rows."""

    year: int
    results: list[UnitStanding]
    people: dict[int, list[MemberRow]]
    activities: list[ActivityRow] = field(default_factory=list)
    """One row per activity and unit (the "Hoạt động" sheet)."""
    when: When | None = None
    """The moment of the report and its zone: activities' times are shown in it."""


async def report_data(
    session: AsyncSession,
    row: CampaignDocument,
    rules: tuple[TargetRule, ...],
    unit_ids: list[int] | None,
    when: When,
) -> ReportData:
    results, activities = await _compute(session, row, rules, unit_ids, when)
    ids = [r.unit.id for r in results if r.unit is not None]
    people = await standing.member_rows(session, row.id, ids)
    return ReportData(row.year, results, people, activities, when)


Json = dict[str, object]


def stats_json(results: list[UnitStanding]) -> Json:
    """The figures of `stats --json` (INTERFACE.md): units, and the department when shown."""
    units_part = [_figures(item) for item in results if item.unit is not None]
    department = [_figures(item) for item in results if item.unit is None]
    result: Json = {"units": units_part}
    if department:
        result["department"] = department[0]
    return result


def _figures(item: UnitStanding) -> Json:
    tally = item.tally
    average = tally.progress_average
    return {
        "code": item.unit.code if item.unit else None,
        "members": tally.members,
        "pledged": tally.pledged,
        "progress_avg": None if average is None else round(average, 1),
        "ratings": {
            **{r.value: tally.ratings.get(r, 0) for r in Rating},
            "unrated": tally.members - tally.rated,
        },
        "self_assessed": {
            **{r.value: tally.self_ratings.get(r, 0) for r in Rating},
            "unrated": tally.members - tally.self_rated,
        },
        "activities": _outreach_json(item.outreach),
        "targets_met": {
            r.rule.metric: {"met": True, "not_met": False}.get(r.status.value) for r in item.targets
        },
        "targets_status": {r.rule.metric: r.status.value for r in item.targets},
        "excellent_over_limit": item.excess_excellent,
    }


def _outreach_json(done: UnitOutreach | None) -> Json:
    done = done or UnitOutreach(0, 0, 0, 0, 0, 0)
    rate = done.attendance_rate
    return {
        "held": done.held,
        "signed_up": done.signed_up,
        "attended": done.attended,
        "absent": done.absent,
        "attendance_rate": None if rate is None else round(rate, 3),
        "contributed": done.contributed,
        "contributions": done.contributions,
    }
