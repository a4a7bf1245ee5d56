"""/dangky, /camket, /tiendo: a member's pledge for the year and their progress on it.

/dangky is a guided dialog (title → commitments one per message → rating aimed for →
confirm) kept in the database, so it survives a restart; `/dangky title; c1; c2` does it in
one line. A lead registers for a member with `/dangky @member title; c1; c2`, which is also
the way to change a pledge after the registration deadline.
"""

from __future__ import annotations

from datetime import date

from campaign.dates import format_date
from campaign.progress import ProgressError, parse_progress
from campaign.ratings import Rating, parse_rating
from campaign.roles import Role
from campaign.text import fold
from campaign.titles import BY_CODE, TITLES, match_title
from handlers import current
from handlers.context import Context
from handlers.messages import Option, Reply, join
from handlers.pledge_notice import notify_pledge_changed
from handlers.registry import Command, Feature
from storage import pledges
from storage.models import CampaignDocument, Person, Pledge

DIALOG = "pledge"
DONE_WORDS = {"xong", "het", "done", "ket thuc", "xong roi", "het roi"}
CANCEL_WORDS = {"huy", "cancel", "thoi", "khong"}
CONFIRM_WORDS = {"co", "dong y", "xac nhan", "ok", "yes"}
MAX_COMMITMENTS = 20
MAX_COMMITMENT_LENGTH = 500


def _title_options() -> tuple[Option, ...]:
    return tuple(Option(f"{t.name} ({t.short})", f"pledge:title:{t.code}") for t in TITLES)


def _rating_options(ctx: Context) -> tuple[Option, ...]:
    aimed = (Rating.EXCELLENT, Rating.GOOD, Rating.DONE)
    return (
        *(Option(ctx.t(f"rating.{r.value}"), f"pledge:rating:{r.value}") for r in aimed),
        Option(ctx.t("pledge.skip"), "pledge:rating:skip"),
    )


async def pledge_command(ctx: Context, args: str) -> list[Reply]:
    row = await current.active(ctx)
    if row is None:
        return [current.no_campaign(ctx)]
    if args.startswith("@"):
        return [await _on_behalf(ctx, row, args)]
    existing = await pledges.find_pledge(ctx.session, ctx.person.id, row.id)
    deadline = await current.deadline(ctx, row)
    if existing is not None and not _may_change(ctx, deadline):
        return [ctx.reply("pledge.deadline_passed", deadline=format_date(deadline))]
    if args:
        parsed = _parse_one_line(ctx, args)
        if isinstance(parsed, Reply):
            return [parsed]
        title, commitments = parsed
        data = {"title": title, "commitments": commitments}
        if existing is not None:
            return [await _ask_replace(ctx, existing, data)]
        return [await _save(ctx, row, ctx.person, data)]
    if existing is not None:
        return [await _ask_replace(ctx, existing, {})]
    return [await _ask_title(ctx)]


def _may_change(ctx: Context, deadline: date) -> bool:
    return current.today(ctx) <= deadline or (ctx.actor.level or Role.MEMBER) >= Role.LEAD


def _parse_one_line(ctx: Context, args: str) -> tuple[str, list[str]] | Reply:
    head, *rest = [part.strip() for part in args.split(";")]
    if not head:
        return ctx.reply("pledge.no_title", titles=_title_list())
    title = match_title(head)
    if title is None:
        return ctx.reply("pledge.unknown_title", title=head, titles=_title_list())
    commitments = [c for c in rest if c]
    problem = _commitments_problem(ctx, commitments)
    return problem or (title.code, commitments)


def _commitments_problem(ctx: Context, commitments: list[str]) -> Reply | None:
    if len(commitments) > MAX_COMMITMENTS:
        return ctx.reply("pledge.too_many", limit=MAX_COMMITMENTS)
    if any(len(c) > MAX_COMMITMENT_LENGTH for c in commitments):
        return ctx.reply("pledge.commitment_too_long", limit=MAX_COMMITMENT_LENGTH)
    return None


def _title_list() -> str:
    return ", ".join(f"{t.name} ({t.short})" for t in TITLES)


async def _ask_replace(
    ctx: Context, existing: Pledge, data: dict, person: Person | None = None
) -> Reply:
    """Replace the pledge? When the new commitments differ from ones with progress, the same
    question asks how to carry the progress over: one step, not two."""
    title = BY_CODE[existing.title].name
    carried = -1
    if data.get("commitments") is not None:
        carried = await pledges.carried_progress(ctx.session, existing, data["commitments"])
    if person is None:
        text = ctx.t("pledge.replace", title=title)
    else:
        text = ctx.t("pledge.replace_for", name=person.display_name, title=title)
    if carried < 0:
        options: tuple[Option, ...] = (Option(ctx.t("pledge.replace_yes"), "pledge:replace"),)
    else:
        text = join([text, ctx.t("pledge.carry", kept=carried)])
        options = (
            Option(ctx.t("pledge.carry_keep"), "pledge:replace"),
            Option(ctx.t("pledge.carry_zero"), "pledge:replace:zero"),
        )
    question = Reply(text, options=(*options, Option(ctx.t("pledge.replace_no"), "pledge:keep")))
    extra = {} if person is None else {"person_id": person.id}
    return await ctx.ask(DIALOG, "replace", question, draft=data, **extra)


async def _ask_title(ctx: Context, **data: object) -> Reply:
    return await ctx.ask(
        DIALOG, "title", ctx.reply("pledge.ask_title", options=_title_options()), **data
    )


async def _ask_commitments(ctx: Context, title: str, data: dict) -> Reply:
    data = {**data, "title": title, "commitments": []}
    data.pop("_options", None)
    question = ctx.reply(
        "pledge.ask_commitments",
        title=BY_CODE[title].name,
        options=(Option(ctx.t("pledge.done_button"), "pledge:done"),),
    )
    return await ctx.ask(DIALOG, "commitments", question, **data)


async def _ask_rating(ctx: Context, data: dict) -> Reply:
    data = {k: v for k, v in data.items() if k != "_options"}
    return await ctx.ask(
        DIALOG, "rating", ctx.reply("pledge.ask_rating", options=_rating_options(ctx)), **data
    )


async def _ask_confirm(ctx: Context, data: dict) -> Reply:
    """Confirm; replacing a pledge whose progress the new commitments would not all keep, the
    confirmation also says how to carry it over."""
    data = {k: v for k, v in data.items() if k != "_options"}
    summary = _summary(ctx, data["title"], data["commitments"], data.get("rating"))
    text = ctx.t("pledge.confirm", summary=summary)
    options: tuple[Option, ...] = (Option(ctx.t("pledge.confirm_yes"), "pledge:confirm"),)
    row = await current.active(ctx)
    existing = await pledges.find_pledge(ctx.session, ctx.person.id, row.id) if row else None
    carried = -1
    if existing is not None:
        carried = await pledges.carried_progress(ctx.session, existing, data["commitments"])
    if carried >= 0:
        text = join([text, ctx.t("pledge.carry", kept=carried)])
        options = (
            Option(ctx.t("pledge.confirm_keep"), "pledge:confirm"),
            Option(ctx.t("pledge.confirm_zero"), "pledge:confirm:zero"),
        )
    question = Reply(text, options=(*options, Option(ctx.t("pledge.confirm_no"), "pledge:cancel")))
    return await ctx.ask(DIALOG, "confirm", question, **data)


def _summary(ctx: Context, title: str, commitments: list[str], rating: str | None):
    lines = [ctx.t("pledge.summary_title", title=BY_CODE[title].name)]
    if rating:
        lines.append(ctx.t("pledge.summary_rating", rating=ctx.t(f"rating.{rating}")))
    lines += [ctx.t("pledge.summary_item", number=n, text=c) for n, c in enumerate(commitments, 1)]
    return join(lines)


async def pledge_answer(ctx: Context, answer: str, state: str, data: dict) -> list[Reply]:
    """One step of the /dangky dialog."""
    folded = fold(answer)
    if folded in CANCEL_WORDS or answer == "pledge:cancel":
        await ctx.end_dialog()
        return [ctx.reply("pledge.cancelled")]
    if state == "replace":
        if answer not in ("pledge:replace", "pledge:replace:zero"):
            await ctx.end_dialog()
            return [ctx.reply("pledge.kept")]
        draft = data.get("draft") or {}
        if not draft:
            return [await _ask_title(ctx)]
        await ctx.end_dialog()  # typed whole in one line, and "replace" confirmed: save it
        row = await current.active(ctx)
        if row is None:
            return [current.no_campaign(ctx)]
        carry = answer == "pledge:replace"
        if data.get("person_id") is not None:  # a lead replacing a member's pledge
            person = await ctx.session.get(Person, data["person_id"])
            if person is None:
                return [ctx.reply("error.stale_choice")]
            return [await _save_for(ctx, row, person, draft, carry)]
        return [await _save(ctx, row, ctx.person, draft, carry)]
    if state == "title":
        code = answer.removeprefix("pledge:title:") if answer.startswith("pledge:") else None
        title = BY_CODE.get(code) if code else match_title(answer)
        if title is None:
            retry = ctx.reply("pledge.unknown_title_retry", title=answer, options=_title_options())
            return [await ctx.ask(DIALOG, "title", retry)]
        return [await _ask_commitments(ctx, title.code, data)]
    if state == "commitments":
        commitments = list(data.get("commitments") or [])
        if answer == "pledge:done" or folded in DONE_WORDS:
            if not commitments:
                return [ctx.reply("pledge.need_commitment")]
            return [await _ask_rating(ctx, data)]
        if len(answer) > MAX_COMMITMENT_LENGTH:
            return [ctx.reply("pledge.commitment_too_long", limit=MAX_COMMITMENT_LENGTH)]
        if len(commitments) >= MAX_COMMITMENTS:
            return [ctx.reply("pledge.too_many", limit=MAX_COMMITMENTS)]
        commitments.append(answer.strip())
        data = {k: v for k, v in data.items() if k != "_options"}
        data["commitments"] = commitments
        noted = ctx.reply(
            "pledge.commitment_noted",
            number=len(commitments),
            options=(Option(ctx.t("pledge.done_button"), "pledge:done"),),
        )
        return [await ctx.ask(DIALOG, "commitments", noted, **data)]
    if state == "rating":
        if answer == "pledge:rating:skip" or folded in ("bo qua", "skip"):
            rating = None
        else:
            code = answer.removeprefix("pledge:rating:")
            parsed = parse_rating(code)
            if parsed is None:
                return [ctx.reply("pledge.unknown_rating", options=_rating_options(ctx))]
            rating = parsed.value
        return [await _ask_confirm(ctx, {**data, "rating": rating})]
    if state == "confirm":
        zero = answer == "pledge:confirm:zero"
        if not zero and answer != "pledge:confirm" and folded not in CONFIRM_WORDS:
            return [ctx.reply("pledge.confirm_again")]
        await ctx.end_dialog()
        row = await current.active(ctx)
        if row is None:
            return [current.no_campaign(ctx)]
        return [await _save(ctx, row, ctx.person, data, carry=not zero)]
    await ctx.end_dialog()
    return [ctx.reply("error.stale_choice")]


async def _save(
    ctx: Context, row: CampaignDocument, person: Person, data: dict, carry: bool = True
) -> Reply:
    """Save the pledge. The one-line form says nothing of the rating aimed for, so a pledge it
    replaces keeps the rating it had; only the dialog's answer changes it."""
    deadline = await current.deadline(ctx, row)
    late = current.today(ctx) > deadline
    if "rating" in data:
        rating = data["rating"]
    else:
        existing = await pledges.find_pledge(ctx.session, person.id, row.id)
        rating = existing.target_rating if existing is not None else None
    pledge, replaced = await pledges.save_pledge(
        ctx.session,
        person_id=person.id,
        campaign_id=row.id,
        title=data["title"],
        commitments=list(data["commitments"]),
        target_rating=rating,
        late=late,
        at=ctx.now(),
        carry=carry,
    )
    if person.id != ctx.person.id:
        await ctx.audit("pledge.on_behalf", str(person.id), {"title": pledge.title})
        await notify_pledge_changed(ctx, row, person, pledge, carry)
    if replaced:
        key = "pledge.replaced_late" if late else "pledge.replaced"
    else:
        key = "pledge.saved_late" if late else "pledge.saved"
    summary = _summary(
        ctx, pledge.title, [c.text for c in pledge.commitments], pledge.target_rating
    )
    return ctx.reply(key, summary=summary, year=row.year, deadline=format_date(deadline))


async def _on_behalf(ctx: Context, row: CampaignDocument, args: str) -> Reply:
    led = [m.unit_id for m in ctx.actor.memberships if m.role == Role.LEAD.code]
    if not ctx.actor.is_admin and not led:
        return ctx.reply("error.not_allowed", command="/dangky @")
    person, rest = await current.member_and_rest(ctx, args)
    if isinstance(person, Reply):
        return person
    parsed = _parse_one_line(ctx, rest.strip())
    if isinstance(parsed, Reply):
        return parsed
    title, commitments = parsed
    data = {"title": title, "commitments": commitments}
    existing = await pledges.find_pledge(ctx.session, person.id, row.id)
    if (
        existing is not None
        and await pledges.carried_progress(ctx.session, existing, commitments) >= 0
    ):
        return await _ask_replace(ctx, existing, data, person)
    return await _save_for(ctx, row, person, data)


async def _save_for(
    ctx: Context, row: CampaignDocument, person: Person, data: dict, carry: bool = True
) -> Reply:
    saved = await _save(ctx, row, person, data, carry)
    return ctx.reply("pledge.on_behalf", name=person.display_name, result=saved.text)


async def my_pledge(ctx: Context, args: str) -> list[Reply]:
    """/camket, or /camket 2025 for a past year's pledge."""
    row, problem = await current.of_year_or_active(ctx, args)
    if row is None:
        return [problem] if problem else []
    pledge = await pledges.find_pledge(ctx.session, ctx.person.id, row.id)
    if pledge is None:
        if current.year_in(args) is not None:
            return [ctx.reply("pledge.none_that_year", year=row.year)]
        deadline = await current.deadline(ctx, row)
        return [ctx.reply("pledge.none", year=row.year, deadline=format_date(deadline))]
    updates = await pledges.history(ctx.session, pledge.id)
    latest = pledges.latest_by_commitment(updates)
    lines = [ctx.t("pledge.mine_header", year=row.year, title=BY_CODE[pledge.title].name)]
    if pledge.target_rating:
        lines.append(ctx.t("pledge.summary_rating", rating=ctx.t(f"rating.{pledge.target_rating}")))
    for commitment in pledge.commitments:
        value = latest.get(commitment.id)
        lines.append(
            ctx.t("pledge.mine_item", number=commitment.position, text=commitment.text)
            if value is None
            else ctx.t(
                "pledge.mine_item_progress",
                number=commitment.position,
                text=commitment.text,
                percent=value,
            )
        )
    if updates and pledge.progress is not None:
        last = updates[-1]
        when = format_date(last.created_at.astimezone(ctx.services.zone))
        lines.append(ctx.t("pledge.mine_progress", percent=pledge.progress, date=when))
        if last.note:
            lines.append(ctx.t("pledge.mine_note", note=last.note))
    else:
        lines.append(ctx.t("pledge.mine_no_progress"))
    if pledge.late:
        lines.append(ctx.t("pledge.mine_late"))
    lines.append(
        ctx.t(
            "pledge.requires",
            title=BY_CODE[pledge.title].name,
            requirement=ctx.t(f"title.{pledge.title}.requires"),
        )
    )
    return [Reply(join(lines))]


async def progress_command(ctx: Context, args: str) -> list[Reply]:
    row = await current.active(ctx)
    if row is None:
        return [current.no_campaign(ctx)]
    try:
        given = parse_progress(args)
    except ProgressError as error:
        return [ctx.reply(error.key, value=error.value)]
    pledge = await pledges.find_pledge(ctx.session, ctx.person.id, row.id)
    if pledge is None:
        return [ctx.reply("progress.no_pledge")]
    if given.commitment is not None and not 1 <= given.commitment <= len(pledge.commitments):
        return [
            ctx.reply(
                "progress.no_such_commitment",
                number=given.commitment,
                count=len(pledge.commitments),
            )
        ]
    commitment = None if given.commitment is None else pledge.commitments[given.commitment - 1]
    total = await pledges.add_progress(
        ctx.session,
        pledge,
        percent=given.percent,
        commitment=commitment,
        note=given.note,
        at=ctx.now(),
    )
    if commitment is None:
        return [ctx.reply("progress.saved", percent=given.percent)]
    return [
        ctx.reply(
            "progress.saved_commitment",
            number=given.commitment,
            text=commitment.text,
            percent=given.percent,
            overall=total,
        )
    ]


FEATURE = Feature(
    commands=(
        Command("dangky", "pledge", ("đăng ký", "đăng kí"), pledge_command, required=Role.MEMBER),
        Command("camket", "mypledge", ("cam kết",), my_pledge, required=Role.MEMBER),
        Command("tiendo", "progress", ("tiến độ",), progress_command, required=Role.MEMBER),
    ),
    dialogs={DIALOG: pledge_answer},
)
