"""/thongke: units against the campaign's targets; /baocao: the report spreadsheet.

Who sees what: a member sees their units' totals; a lead also sees, for their units, who has
not pledged or not updated their progress in 30 days; an admin sees every unit and the whole
department.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.ratings import Rating
from campaign.roles import Role
from campaign.standing import (
    Status,
    Tally,
    TargetResult,
    TargetRule,
    evaluate,
    too_many_excellent,
)
from handlers import current
from handlers.context import Context, Translate
from handlers.formatting import unit_label
from handlers.messages import Attachment, Reply, Safe, join
from handlers.registry import Command, Feature
from storage import standing, units
from storage.models import CampaignDocument, Unit

STALE_DAYS = 30


@dataclass
class UnitStanding:
    unit: Unit | None
    """None for the whole department."""
    tally: Tally
    targets: list[TargetResult]
    excess_excellent: bool


async def compute(
    session: AsyncSession,
    row: CampaignDocument,
    rules: tuple[TargetRule, ...],
    unit_ids: list[int] | None,
) -> list[UnitStanding]:
    """Standing of the units (all when None, then also the department), in a few queries."""
    found = await standing.units_by_ids(session, unit_ids)
    tallies = await standing.tallies(
        session, row.id, None if unit_ids is None else [u.id for u in found]
    )
    result = []
    for unit in found:
        tally = tallies.get(unit.id, Tally(members=0))
        result.append(_standing(unit, tally, rules))
    if unit_ids is None:
        result.append(_standing(None, tallies.get(standing.DEPARTMENT, Tally(members=0)), rules))
    return result


def _standing(unit: Unit | None, tally: Tally, rules: tuple[TargetRule, ...]) -> UnitStanding:
    return UnitStanding(unit, tally, [evaluate(tally, r) for r in rules], too_many_excellent(tally))


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def standing_lines(t: Translate, item: UnitStanding) -> list[Safe]:
    tally = item.tally
    header = (
        t(
            "stats.unit_header",
            unit=t("format.unit", code=item.unit.code, name=item.unit.name),
            members=tally.members,
        )
        if item.unit
        else t("stats.department_header", members=tally.members)
    )
    average = tally.progress_average
    lines = [
        header,
        t(
            "stats.pledged",
            pledged=tally.pledged,
            members=tally.members,
            share=percent(tally.pledged_share),
        ),
        t("stats.progress", average="—" if average is None else f"{round(average)}%"),
        t(
            "stats.ratings",
            excellent=tally.ratings.get(Rating.EXCELLENT, 0),
            good=tally.ratings.get(Rating.GOOD, 0),
            done=tally.ratings.get(Rating.DONE, 0),
            failed=tally.ratings.get(Rating.FAILED, 0),
            unrated=tally.members - tally.rated,
        ),
        t(
            "stats.self_ratings",
            excellent=tally.self_ratings.get(Rating.EXCELLENT, 0),
            good=tally.self_ratings.get(Rating.GOOD, 0),
            done=tally.self_ratings.get(Rating.DONE, 0),
            failed=tally.self_ratings.get(Rating.FAILED, 0),
            unrated=tally.members - tally.self_rated,
        ),
    ]
    for target in item.targets:
        if target.status == Status.NOT_RATED:
            lines.append(
                t(
                    "stats.target_not_rated",
                    target=t(f"target.{target.rule.metric}", percent=target.rule.percent),
                )
            )
            continue
        lines.append(
            t(
                "stats.target",
                target=t(f"target.{target.rule.metric}", percent=target.rule.percent),
                status=t(f"status.{target.status.value}"),
                share=percent(target.share),
            )
        )
    if item.excess_excellent:
        lines.append(t("stats.excess_excellent"))
    return lines


async def _campaign_and_rest(
    ctx: Context, args: str
) -> tuple[CampaignDocument | None, str, Reply | None]:
    """The year a command names first ("/thongke 2025 KT"), else the campaign on today or
    the one that just ended (year-end reports are made in January); and the other words."""
    first, _, rest = args.strip().partition(" ")
    if current.year_in(first) is not None:
        row, problem = await current.of_year_or_active(ctx, first)
        return row, rest.strip(), problem
    row = await current.active(ctx) or await current.recently_ended(ctx)
    return row, args.strip(), (None if row else current.no_campaign(ctx))


async def stats_command(ctx: Context, args: str) -> list[Reply]:
    row, args, problem = await _campaign_and_rest(ctx, args)
    if row is None:
        return [problem] if problem else []
    rules = await current.target_rules(ctx, row)
    mine = {m.unit_id: m for m in ctx.actor.memberships}
    if args:
        unit = await units.find_unit(ctx.session, args.split()[0])
        if unit is None:
            return [ctx.reply("unit.unknown", code=args.split()[0])]
        if not ctx.actor.is_admin and unit.id not in mine:
            return [ctx.reply("stats.not_your_unit", unit=unit_label(ctx, unit))]
        unit_ids: list[int] | None = [unit.id]
    elif ctx.actor.is_admin:
        unit_ids = None
    else:
        unit_ids = list(mine)
    results = await compute(ctx.session, row, rules, unit_ids)
    blocks = [ctx.t("stats.header", year=row.year)]
    led = [r.unit.id for r in results if r.unit is not None and ctx.actor.may_manage(r.unit)]
    # Names of who is behind go to the lead in private, never into a group.
    in_private = ctx.incoming.chat_kind == "private"
    laggards = await _laggards(ctx, row, led) if led and in_private else {}
    for item in results:
        lines = standing_lines(ctx.t, item)
        if item.unit is not None and item.unit.id in laggards:
            lines.extend(laggards[item.unit.id])
        blocks.append(join(lines))
    return [Reply(join(blocks, "\n\n"))]


async def _laggards(
    ctx: Context, row: CampaignDocument, unit_ids: list[int]
) -> dict[int, list[Safe]]:
    rows = await standing.member_rows(ctx.session, row.id, unit_ids)
    since = ctx.now() - timedelta(days=STALE_DAYS)
    result: dict[int, list[Safe]] = {}
    for unit_id, people in rows.items():
        missing = [p.name for p in people if p.title is None]
        stale = [
            p.name
            for p in people
            if p.title is not None and _older(p.last_update or p.pledged_at, since)
        ]
        lines = []
        if missing:
            lines.append(ctx.t("stats.not_pledged", names=", ".join(missing)))
        if stale:
            lines.append(ctx.t("stats.stale", days=STALE_DAYS, names=", ".join(stale)))
        result[unit_id] = lines
    return result


def _older(moment: datetime | None, since: datetime) -> bool:
    return moment is None or moment < since


async def report_command(ctx: Context, args: str) -> list[Reply]:
    """/baocao, or /baocao 2025 for a past year. In private only: it lists everyone's ratings."""
    if ctx.incoming.chat_kind != "private":
        return [ctx.reply("private.only", command="/baocao")]
    row, _, problem = await _campaign_and_rest(ctx, args)
    if row is None:
        return [problem] if problem else []
    led = [m.unit_id for m in ctx.actor.memberships if m.role == Role.LEAD.code]
    unit_ids = None if ctx.actor.is_admin else led
    data = await report_bytes(
        ctx.session,
        ctx.services.catalog.translator("vi"),
        row,
        await current.target_rules(ctx, row),
        unit_ids,
    )
    name = f"bao-cao-thi-dua-{row.year}.xlsx"
    return [Reply(ctx.t("report.ready", year=row.year), file=Attachment(name, data))]


async def report_bytes(
    session: AsyncSession,
    t: Translate,
    row: CampaignDocument,
    rules: tuple[TargetRule, ...],
    unit_ids: list[int] | None,
) -> bytes:
    results = await compute(session, row, rules, unit_ids)
    ids = [r.unit.id for r in results if r.unit is not None]
    people = await standing.member_rows(session, row.id, ids)
    # openpyxl is imported here, not at the top: it is a sixth of the start-up time of every
    # command line call, and only the report needs it.
    from handlers.report import build_workbook

    return build_workbook(t, row.year, results, people)


FEATURE = Feature(
    commands=(
        Command(
            "thongke", "stats", ("thống kê",), stats_command, required=Role.MEMBER, writes=False
        ),
        Command("baocao", "report", ("báo cáo",), report_command, required=Role.LEAD),
    )
)
