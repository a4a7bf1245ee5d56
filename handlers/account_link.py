"""/taikhoan: one person on two platforms.

Typed alone in a private chat it gives a one-time code; the same person sends
`/taikhoan CODE` from their account on the other app, and the two accounts become one person
with one set of units, pledges and ratings (storage.merge). The code is the only proof that
both accounts belong to the same human, so it is shown in private chats only, lives a quarter
of an hour and works once.
"""

from __future__ import annotations

from datetime import timedelta

from campaign.accounts import other_chat_apps
from campaign.dates import format_datetime
from campaign.invites import is_well_formed, normalize_code
from campaign.merge import Side
from campaign.titles import BY_CODE
from handlers.context import Context
from handlers.formatting import platform_name
from handlers.messages import Reply, Safe, join
from handlers.registry import Command, Feature
from storage import link_codes, merge
from storage.models import AccountLinkCode

CODE_MINUTES = 15
"""Time enough to open the other app and type eight letters; a code seen over a shoulder is
soon of no use."""


async def account_command(ctx: Context, args: str) -> list[Reply]:
    if ctx.incoming.chat_kind != "private":
        if not args:
            return [ctx.reply("account_link.private_only")]
        # The group has seen the code: whoever sent it first would become its issuer.
        await link_codes.cancel_code(ctx.session, normalize_code(args))
        return [ctx.reply("account_link.private_only_code")]
    if not args:
        return [await _issue(ctx)]
    return [await _redeem(ctx, args)]


async def _issue(ctx: Context) -> Reply:
    platform = ctx.incoming.platform
    row = await link_codes.issue_code(
        ctx.session,
        person_id=ctx.person.id,
        platform=platform,
        expires_at=ctx.now() + timedelta(minutes=CODE_MINUTES),
        now=ctx.now(),
    )
    return ctx.reply(
        "account_link.issued",
        code=row.code,
        platform=platform_name(ctx, platform),
        other=_other_apps(ctx, platform),
        expires=_moment(ctx, row),
    )


async def _redeem(ctx: Context, typed: str) -> Reply:
    code = normalize_code(typed)
    if not is_well_formed(code):
        return ctx.reply("account_link.malformed", code=typed)
    row = await link_codes.find_code(ctx.session, code)
    if row is None:
        return ctx.reply("account_link.unknown", code=code)
    if row.expires_at <= ctx.now():
        return ctx.reply("account_link.expired", code=code, expired=_moment(ctx, row))
    here, there = ctx.incoming.platform, row.platform
    if there == here:
        return ctx.reply(
            "account_link.same_platform",
            code=code,
            platform=platform_name(ctx, there),
            other=_other_apps(ctx, there),
        )
    if row.person_id == ctx.person.id:
        return ctx.reply(
            "account_link.already_linked",
            platform=platform_name(ctx, here),
            other=platform_name(ctx, there),
        )
    issuer_id = row.person_id
    if not await link_codes.consume_code(ctx.session, row.id, ctx.now()):
        return ctx.reply("account_link.unknown", code=code)
    # Recorded before the join, which then moves the entry to the person that stays.
    await ctx.audit("account.link", code, {"from": here, "into": there})
    joined = await merge.merge_people(ctx.session, keep_id=issuer_id, drop_id=ctx.person.id)
    return _joined(ctx, joined, issued_on=there)


def _joined(ctx: Context, joined: merge.Joined, *, issued_on: str) -> Reply:
    """The confirmation, and for each campaign where both had a pledge or an assessment, which
    one stayed and which one went."""
    names = {
        Side.ISSUER: platform_name(ctx, issued_on),
        Side.SENDER: platform_name(ctx, ctx.incoming.platform),
    }
    lines = [ctx.t("account_link.done", account=names[Side.SENDER], other=names[Side.ISSUER])]
    for conflict in joined.pledges:
        lines.append(
            ctx.t(
                "account_link.pledge_kept",
                year=conflict.year,
                kept=_title(conflict.kept),
                kept_from=names[conflict.kept_from],
                removed=_title(conflict.removed),
                removed_from=names[conflict.kept_from.other],
            )
        )
    for conflict in joined.assessments:
        lines.append(
            ctx.t(
                "account_link.assessment_kept",
                year=conflict.year,
                kept=_rating(ctx, conflict.kept),
                kept_from=names[conflict.kept_from],
                removed=_rating(ctx, conflict.removed),
                removed_from=names[conflict.kept_from.other],
            )
        )
    return Reply(join(lines))


def _moment(ctx: Context, row: AccountLinkCode) -> str:
    return format_datetime(row.expires_at.astimezone(ctx.services.zone))


def _other_apps(ctx: Context, platform: str) -> str:
    return " / ".join(platform_name(ctx, app) for app in other_chat_apps(platform))


def _title(code: str | None) -> str:
    return BY_CODE[code].name if code in BY_CODE else (code or "")


def _rating(ctx: Context, code: str | None) -> Safe:
    return ctx.t(f"rating.{code}") if code else ctx.t("account_link.unrated")


FEATURE = Feature(
    commands=(
        Command(
            "taikhoan",
            "linkaccount",
            ("liên kết tài khoản", "gộp tài khoản"),
            account_command,
            in_groups=False,
        ),
    )
)
