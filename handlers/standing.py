"""/thongke: units against the campaign's targets; /baocao: the report spreadsheet.

Who sees what: a member sees their units' totals; a lead also sees, for their units, who has
not pledged or not updated their progress in 30 days; an admin sees every unit and the whole
department.
"""

from __future__ import annotations

import asyncio

from campaign.money import format_vnd
from campaign.ratings import Rating
from campaign.roles import Role
from campaign.standing import Status
from handlers import current
from handlers.chart import standing_png
from handlers.context import Context, Translate
from handlers.formatting import unit_label
from handlers.messages import Attachment, Reply, Safe, join, plain
from handlers.registry import Command, Feature
from storage import units
from storage.models import CampaignDocument
from usecases.standing import (
    STALE_DAYS,
    Behind,
    UnitStanding,
    When,
    compute,
    laggards,
    report_data,
)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def standing_lines(t: Translate, item: UnitStanding, language: str = "vi") -> list[Safe]:
    tally = item.tally
    header = (
        t(
            "stats.unit_header",
            unit=t("format.unit", code=item.unit.code, name=item.unit.name),
            count=tally.members,
        )
        if item.unit
        else t("stats.department_header", count=tally.members)
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
    done = item.outreach
    if done is not None:  # union and youth activities of the campaign's period
        rate = done.attendance_rate
        lines.append(
            t(
                "stats.activities",
                held=done.held,
                signed_up=done.signed_up,
                attendance="—" if rate is None else percent(rate),
                absent=done.absent,
                contributed=format_vnd(done.contributed, language),
            )
        )
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
    if args:
        unit = await units.find_unit(ctx.session, args.split()[0])
        if unit is None:
            return [ctx.reply("unit.unknown", code=args.split()[0])]
        if not ctx.actor.may_see(unit):
            return [ctx.reply("stats.not_your_unit", unit=unit_label(ctx, unit))]
        unit_ids: list[int] | None = [unit.id]
    else:
        unit_ids = ctx.actor.seen_unit_ids
    results = await compute(ctx.session, row, rules, unit_ids, _when(ctx))
    blocks = [ctx.t("stats.header", year=row.year)]
    led = [r.unit.id for r in results if r.unit is not None and ctx.actor.may_manage(r.unit)]
    # Names of who is behind go to the lead in private, never into a group.
    in_private = ctx.incoming.chat_kind == "private"
    behind = await laggards(ctx.session, row, led, ctx.now()) if led and in_private else {}
    for item in results:
        lines = standing_lines(ctx.t, item, ctx.language)
        if item.unit is not None and item.unit.id in behind:
            lines.extend(_behind_lines(ctx, behind[item.unit.id]))
        blocks.append(join(lines))
    return [Reply(join(blocks, "\n\n"), file=await _chart(ctx, row.year, results))]


async def _chart(ctx: Context, year: int, results: list[UnitStanding]) -> Attachment | None:
    """The same figures as a picture; none when nobody is counted yet (no member anywhere)."""
    if not any(item.tally.members for item in results):
        return None
    title = plain(ctx.t("chart.title", year=year))
    png = await asyncio.to_thread(standing_png, ctx.t, title, results)
    return Attachment(f"thong-ke-{year}.png", png, kind="photo")


def _behind_lines(ctx: Context, behind: Behind) -> list[Safe]:
    lines = []
    if behind.not_pledged:
        lines.append(ctx.t("stats.not_pledged", names=", ".join(behind.not_pledged)))
    if behind.stale:
        lines.append(ctx.t("stats.stale", days=STALE_DAYS, names=", ".join(behind.stale)))
    return lines


async def report_command(ctx: Context, args: str) -> list[Reply]:
    """/baocao, or /baocao 2025 for a past year. In private only: it lists everyone's ratings."""
    if ctx.incoming.chat_kind != "private":
        return [ctx.reply("private.only", command="/baocao")]
    row, _, problem = await _campaign_and_rest(ctx, args)
    if row is None:
        return [problem] if problem else []
    rules = await current.target_rules(ctx, row)
    data = await report_data(ctx.session, row, rules, ctx.actor.managed_unit_ids, _when(ctx))
    # Imported here, not at the top: openpyxl is only for the report (see handlers.report).
    from handlers.report import report_bytes

    file = Attachment(
        f"bao-cao-thi-dua-{row.year}.xlsx",
        # a picture and a workbook: seconds of CPU for a big agency, off the event loop
        await asyncio.to_thread(report_bytes, ctx.services.catalog.translator("vi"), data),
    )
    return [Reply(ctx.t("report.ready", year=row.year), file=file)]


FEATURE = Feature(
    commands=(
        Command(
            "thongke", "stats", ("thống kê",), stats_command, required=Role.MEMBER, writes=False
        ),
        Command("baocao", "report", ("báo cáo",), report_command, required=Role.LEAD),
    )
)


def _when(ctx: Context) -> When:
    return When(ctx.now(), ctx.services.zone)
