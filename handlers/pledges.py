"""/dangky, /camket, /tiendo: a member's pledge for the year and their progress on it.

/dangky is a guided dialog (title → commitments one per message → rating aimed for →
confirm) kept in the database, so it survives a restart; `/dangky title; c1; c2` does it in
one line. A lead registers for a member with `/dangky @member title; c1; c2`, which is also
the way to change a pledge after the registration deadline.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from campaign.dates import format_date
from campaign.progress import ProgressError, parse_progress
from campaign.ratings import Rating, parse_rating
from campaign.roles import Role
from campaign.text import fold
from campaign.titles import BY_CODE, TITLES, match_title
from handlers import current
from handlers.context import Context
from handlers.dialog import DialogTable, End, Goto, Outcome, State, Stay
from handlers.formatting import refusal
from handlers.messages import Option, Reply, Safe, join
from handlers.pledge_notice import notify_pledge_changed
from handlers.registry import Command, Feature
from storage import pledges
from storage.models import CampaignDocument, Person
from usecases.errors import Refused
from usecases.pledges import record_progress, save_pledge

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


@dataclass
class Draft:
    """What the /dangky dialog remembers between answers (dialog_state.data)."""

    title: str | None = None
    commitments: list[str] = field(default_factory=list)
    rating: str | None = None
    rated: bool = False
    """The dialog asked the rating aimed for (then None means skipped); the one-line form
    does not ask, and a pledge it replaces keeps its rating."""
    person_id: int | None = None
    """A lead replacing a member's pledge: the member."""


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
        draft = Draft(title, commitments)
        if existing is not None:
            return [await PLEDGE.start(ctx, "replace", draft)]
        return [await _save(ctx, row, ctx.person, draft)]
    if existing is not None:
        return [await PLEDGE.start(ctx, "replace", Draft())]
    return [await PLEDGE.start(ctx, "title", Draft())]


def _may_change(ctx: Context, deadline: date) -> bool:
    return ctx.actor.may_change_after(current.today(ctx) > deadline)


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


# The /dangky dialog: title → commitments, one per message → rating aimed for → confirm; or,
# when a pledge exists, "replace it?" first (with the whole new pledge when typed in one line).


async def _replace_prompt(ctx: Context, draft: Draft) -> Reply:
    """Replace the pledge? When the new commitments differ from ones with progress, the same
    question asks how to carry the progress over: one step, not two."""
    person = (
        ctx.person if draft.person_id is None else await ctx.session.get(Person, draft.person_id)
    )
    row = await current.active(ctx)
    existing = person and row and await pledges.find_pledge(ctx.session, person.id, row.id)
    assert person is not None and existing  # the command just found them, in this transaction
    title = BY_CODE[existing.title].name
    carried = -1
    if draft.title is not None:
        carried = await pledges.carried_progress(ctx.session, existing, draft.commitments)
    if draft.person_id is None:
        text = ctx.t("pledge.replace", title=title)
    else:
        text = ctx.t("pledge.replace_for", name=person.display_name, title=title)
    if carried < 0:
        options: tuple[Option, ...] = (Option(ctx.t("pledge.replace_yes"), "pledge:replace"),)
    else:
        text = join([text, ctx.t("pledge.carry", count=carried)])
        options = (
            Option(ctx.t("pledge.carry_keep"), "pledge:replace"),
            Option(ctx.t("pledge.carry_zero"), "pledge:replace:zero"),
        )
    return Reply(text, options=(*options, Option(ctx.t("pledge.replace_no"), "pledge:keep")))


async def _replace_answer(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    if answer not in ("pledge:replace", "pledge:replace:zero"):
        return End([ctx.reply("pledge.kept")])
    if draft.title is None:
        return Goto("title", Draft())
    # Typed whole in one line, and "replace" confirmed: save it.
    row = await current.active(ctx)
    if row is None:
        return End([current.no_campaign(ctx)])
    carry = answer == "pledge:replace"
    if draft.person_id is not None:  # a lead replacing a member's pledge
        person = await ctx.session.get(Person, draft.person_id)
        if person is None:
            return End([ctx.reply("error.stale_choice")])
        return End([await _save_for(ctx, row, person, draft, carry)])
    return End([await _save(ctx, row, ctx.person, draft, carry)])


async def _title_prompt(ctx: Context, draft: Draft) -> Reply:
    return ctx.reply("pledge.ask_title", options=_title_options())


async def _title_answer(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    code = answer.removeprefix("pledge:title:") if answer.startswith("pledge:") else None
    title = BY_CODE.get(code) if code else match_title(answer)
    if title is None:
        retry = ctx.reply("pledge.unknown_title_retry", title=answer, options=_title_options())
        return Goto("title", Draft(), retry)
    return Goto("commitments", replace(draft, title=title.code, commitments=[]))


def _done_button(ctx: Context) -> tuple[Option, ...]:
    return (Option(ctx.t("pledge.done_button"), "pledge:done"),)


async def _commitments_prompt(ctx: Context, draft: Draft) -> Reply:
    title = BY_CODE[draft.title or ""].name
    return ctx.reply("pledge.ask_commitments", title=title, options=_done_button(ctx))


async def _commitments_answer(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    if answer == "pledge:done" or fold(answer) in DONE_WORDS:
        if not draft.commitments:
            return Stay(ctx.reply("pledge.need_commitment"))
        return Goto("rating", draft)
    if len(answer) > MAX_COMMITMENT_LENGTH:
        return Stay(ctx.reply("pledge.commitment_too_long", limit=MAX_COMMITMENT_LENGTH))
    if len(draft.commitments) >= MAX_COMMITMENTS:
        return Stay(ctx.reply("pledge.too_many", limit=MAX_COMMITMENTS))
    commitments = [*draft.commitments, answer.strip()]
    noted = ctx.reply("pledge.commitment_noted", number=len(commitments), options=_done_button(ctx))
    return Goto("commitments", replace(draft, commitments=commitments), noted)


async def _rating_prompt(ctx: Context, draft: Draft) -> Reply:
    return ctx.reply("pledge.ask_rating", options=_rating_options(ctx))


async def _rating_answer(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    if answer == "pledge:rating:skip" or fold(answer) in ("bo qua", "skip"):
        return Goto("confirm", replace(draft, rating=None, rated=True))
    parsed = parse_rating(answer.removeprefix("pledge:rating:"))
    if parsed is None:
        return Stay(ctx.reply("pledge.unknown_rating", options=_rating_options(ctx)))
    return Goto("confirm", replace(draft, rating=parsed.value, rated=True))


async def _confirm_prompt(ctx: Context, draft: Draft) -> Reply:
    """Confirm; replacing a pledge whose progress the new commitments would not all keep, the
    confirmation also says how to carry it over."""
    summary = _summary(ctx, draft.title or "", draft.commitments, draft.rating)
    text = ctx.t("pledge.confirm", summary=summary)
    options: tuple[Option, ...] = (Option(ctx.t("pledge.confirm_yes"), "pledge:confirm"),)
    row = await current.active(ctx)
    existing = await pledges.find_pledge(ctx.session, ctx.person.id, row.id) if row else None
    carried = -1
    if existing is not None:
        carried = await pledges.carried_progress(ctx.session, existing, draft.commitments)
    if carried >= 0:
        text = join([text, ctx.t("pledge.carry", count=carried)])
        options = (
            Option(ctx.t("pledge.confirm_keep"), "pledge:confirm"),
            Option(ctx.t("pledge.confirm_zero"), "pledge:confirm:zero"),
        )
    return Reply(text, options=(*options, Option(ctx.t("pledge.confirm_no"), "pledge:cancel")))


async def _confirm_answer(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    zero = answer == "pledge:confirm:zero"
    if not zero and answer != "pledge:confirm" and fold(answer) not in CONFIRM_WORDS:
        return Stay(ctx.reply("pledge.confirm_again"))
    row = await current.active(ctx)
    if row is None:
        return End([current.no_campaign(ctx)])
    return End([await _save(ctx, row, ctx.person, draft, carry=not zero)])


PLEDGE = DialogTable(
    name=DIALOG,
    payload=Draft,
    states={
        "replace": State(_replace_prompt, _replace_answer),
        "title": State(_title_prompt, _title_answer),
        "commitments": State(_commitments_prompt, _commitments_answer, takes="text"),
        "rating": State(_rating_prompt, _rating_answer),
        "confirm": State(_confirm_prompt, _confirm_answer),
    },
    cancels=lambda answer: fold(answer) in CANCEL_WORDS or answer == "pledge:cancel",
    cancelled="pledge.cancelled",
)


def _summary(ctx: Context, title: str, commitments: list[str], rating: str | None) -> Safe:
    lines = [ctx.t("pledge.summary_title", title=BY_CODE[title].name)]
    if rating:
        lines.append(ctx.t("pledge.summary_rating", rating=ctx.t(f"rating.{rating}")))
    lines += [ctx.t("pledge.summary_item", number=n, text=c) for n, c in enumerate(commitments, 1)]
    return join(lines)


async def _save(
    ctx: Context, row: CampaignDocument, person: Person, draft: Draft, carry: bool = True
) -> Reply:
    """Save the pledge. The one-line form says nothing of the rating aimed for, so a pledge it
    replaces keeps the rating it had; only the dialog's answer changes it."""
    deadline = await current.deadline(ctx, row)
    saved = await save_pledge(
        ctx.session,
        ctx.who,
        row,
        person.id,
        title=draft.title or "",
        commitments=list(draft.commitments),
        rating=draft.rating,
        rated=draft.rated,
        deadline=deadline,
        today=current.today(ctx),
        now=ctx.now(),
        carry=carry,
    )
    pledge, replaced, late = saved.pledge, saved.replaced, saved.late
    if person.id != ctx.person.id:
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
    if not ctx.actor.may_act_for_members:
        return ctx.reply("error.not_allowed", command="/dangky @")
    person, rest = await current.member_and_rest(ctx, args)
    if isinstance(person, Reply):
        return person
    parsed = _parse_one_line(ctx, rest.strip())
    if isinstance(parsed, Reply):
        return parsed
    title, commitments = parsed
    draft = Draft(title, commitments, person_id=person.id)
    existing = await pledges.find_pledge(ctx.session, person.id, row.id)
    if (
        existing is not None
        and await pledges.carried_progress(ctx.session, existing, commitments) >= 0
    ):
        return await PLEDGE.start(ctx, "replace", draft)
    return await _save_for(ctx, row, person, draft)


async def _save_for(
    ctx: Context, row: CampaignDocument, person: Person, draft: Draft, carry: bool = True
) -> Reply:
    saved = await _save(ctx, row, person, draft, carry)
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
    try:
        done = await record_progress(ctx.session, ctx.person.id, row, given, ctx.now())
    except Refused as refused:
        return [refusal(ctx, refused)]
    commitment, total = done.commitment, done.overall
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
    dialogs={DIALOG: PLEDGE.answer},
)
