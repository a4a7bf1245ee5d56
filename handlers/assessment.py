"""/tudanhgia: a member rates their own year; /danhgia: a lead sets the final rating.

The window for self-assessment comes from the documents' own assessment deadline ("đánh giá,
xếp loại … trước ngày 15 tháng 12 hằng năm") unless an admin opens or closes it (`/tudanhgia
mo`, `/tudanhgia dong`, `/tudanhgia macdinh`). The lead's final rating wins over the
self-assessment in every figure. Nobody gives himself the final rating: a lead's is set by an
admin, an admin's by another admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign.dates import format_date
from campaign.ratings import Rating, split_rating
from campaign.roles import Role
from campaign.text import fold
from handlers import current
from handlers.context import Context
from handlers.dialog import DialogTable, End, Goto, Outcome, State, Stay
from handlers.formatting import refusal
from handlers.messages import Option, Reply
from handlers.registry import Command, Feature
from storage.models import CampaignDocument
from usecases import assessment
from usecases.errors import Refused

DIALOG = "selfassess"
WINDOW_WORDS = {"mo": True, "open": True, "dong": False, "close": False, "macdinh": None,
                "mac dinh": None, "default": None}  # fmt: skip


def _rating_options(ctx: Context) -> tuple[Option, ...]:
    return tuple(Option(ctx.t(f"rating.{r.value}"), f"assess:{r.value}") for r in Rating)


async def self_assess(ctx: Context, args: str) -> list[Reply]:
    row = await current.active(ctx)
    if row is None:
        return [current.no_campaign(ctx)]
    if fold(args) in WINDOW_WORDS:
        return [await _set_window(ctx, row, WINDOW_WORDS[fold(args)])]
    if not await current.assessment_open(ctx, row):
        return [await _closed(ctx, row)]
    if args:
        rating, comment = split_rating(args)
        if rating is None:
            return [ctx.reply("assess.unknown_rating", rating=args)]
        return [await _save(ctx, row, rating, comment)]
    return [await ASSESS.start(ctx, "rating", SelfRating())]


async def _closed(ctx: Context, row: CampaignDocument) -> Reply:
    """Closed: when it opens, from the documents' own deadline, or that an admin opens it."""
    if row.assessment_open is False:
        return ctx.reply("assess.closed_by_admin")
    window = await ctx.services.library.assessment_window(ctx.session, row)
    if window is None:
        return ctx.reply("assess.closed_no_window")
    return ctx.reply("assess.closed", start=format_date(window.start), end=format_date(window.end))


@dataclass
class SelfRating:
    """What the /tudanhgia dialog remembers: the rating chosen, before the comment."""

    rating: str | None = None


async def _rating_prompt(ctx: Context, chosen: SelfRating) -> Reply:
    row = await current.active(ctx)
    year = row.year if row else current.today(ctx).year
    return ctx.reply("assess.ask", year=year, options=_rating_options(ctx))


async def _rating_answer(ctx: Context, answer: str, chosen: SelfRating) -> Outcome[SelfRating]:
    if await current.active(ctx) is None:
        return End([current.no_campaign(ctx)])
    rating, _ = split_rating(answer.removeprefix("assess:"))
    if rating is None:
        return Stay(ctx.reply("assess.unknown_rating_retry", options=_rating_options(ctx)))
    return Goto("comment", SelfRating(rating.value))


async def _comment_prompt(ctx: Context, chosen: SelfRating) -> Reply:
    return ctx.reply(
        "assess.ask_comment",
        rating=ctx.t(f"rating.{chosen.rating}"),
        options=(Option(ctx.t("pledge.skip"), "assess:skip"),),
    )


async def _comment_answer(ctx: Context, answer: str, chosen: SelfRating) -> Outcome[SelfRating]:
    row = await current.active(ctx)
    if row is None or chosen.rating is None:
        return End([current.no_campaign(ctx)])
    comment = "" if answer == "assess:skip" or fold(answer) in ("bo qua", "skip") else answer
    return End([await _save(ctx, row, Rating(chosen.rating), comment)])


ASSESS = DialogTable(
    DIALOG,
    SelfRating,
    {
        "rating": State(_rating_prompt, _rating_answer),
        "comment": State(_comment_prompt, _comment_answer, takes="text"),
    },
)


async def _save(ctx: Context, row: CampaignDocument, rating: Rating, comment: str) -> Reply:
    try:
        again = await assessment.self_assess(
            ctx.session, ctx.person.id, row, rating, comment, ctx.now()
        )
    except Refused as refused:
        return refusal(ctx, refused)
    key = "assess.updated" if again else "assess.saved"
    return ctx.reply(key, rating=ctx.t(f"rating.{rating.value}"), year=row.year)


async def _set_window(ctx: Context, row: CampaignDocument, value: bool | None) -> Reply:
    if not ctx.actor.is_admin:
        return ctx.reply("error.not_allowed", command="/tudanhgia mo|dong")
    await assessment.set_window(ctx.session, ctx.who, row, value)
    key = {True: "assess.window_open", False: "assess.window_closed", None: "assess.window_default"}
    return ctx.reply(key[value], year=row.year)


async def final_rating(ctx: Context, args: str) -> list[Reply]:
    """Leads rate in December and January: after the campaign's end, its ratings still go to
    it for a while (current.RATING_GRACE)."""
    row = await current.active(ctx) or await current.recently_ended(ctx)
    if row is None:
        return [current.no_campaign(ctx)]
    if ctx.incoming.chat_kind != "private":
        return [ctx.reply("private.only", command="/danhgia")]
    if len(args.split()) < 2:
        return [ctx.reply("rate.usage")]
    person, rest = await current.member_and_rest(ctx, args)
    if isinstance(person, Reply):
        return [person]
    rating, _ = split_rating(rest.strip())
    if rating is None:
        return [ctx.reply("assess.unknown_rating", rating=rest.strip())]
    try:
        rated = await assessment.rate(ctx.session, ctx.who, person.id, row, rating, ctx.now())
    except Refused as refused:
        return [refusal(ctx, refused)]
    own = (
        ctx.t("rate.self_was", rating=ctx.t(f"rating.{rated.self_rating}"))
        if rated.self_rating
        else ctx.t("rate.no_self")
    )
    return [
        ctx.reply(
            "rate.saved",
            name=person.display_name,
            rating=ctx.t(f"rating.{rating.value}"),
            own=own,
            date=format_date(current.today(ctx)),
        )
    ]


FEATURE = Feature(
    commands=(
        Command("tudanhgia", "selfassess", ("tự đánh giá",), self_assess, required=Role.MEMBER),
        Command("danhgia", "rate", ("đánh giá",), final_rating, required=Role.LEAD),
    ),
    dialogs={DIALOG: ASSESS.answer},
)
