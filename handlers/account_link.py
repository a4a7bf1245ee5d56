"""/taikhoan: one person on two platforms.

Typed alone in a private chat it gives a one-time code; the same person sends
`/taikhoan CODE` from their account on the other app; the code's owner is then asked, on the
app where they asked for it (a private message with Confirm/Refuse, through the outbox), and
only when they confirm do the two accounts become one person with one set of units, pledges
and ratings (storage.merge). A code that leaked (read over a shoulder, forwarded) thus gives
nobody the owner's units and role. The code is shown in private chats only, lives a quarter of
an hour, works once, and a person may type only a few wrong codes an hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from campaign.accounts import GUESS_WINDOW, next_guess_at, other_chat_apps
from campaign.dates import format_datetime
from campaign.inputs import MAX_ID, read_int
from campaign.invites import is_well_formed, normalize_code
from campaign.merge import Side
from campaign.titles import BY_CODE
from handlers.context import Context, Translate
from handlers.formatting import platform_name
from handlers.messages import Option, Reply, Safe, join
from handlers.registry import Command, Feature
from storage import chats, link_codes, merge, outbox
from storage.models import Account, AccountLinkCode, Chat, Person

CODE_MINUTES = 15
"""Time enough to open the other app and type eight letters; a code seen over a shoulder is
soon of no use. The owner has as long again to confirm."""
BUTTON = "link:"


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
    now = ctx.now()
    wrong = await link_codes.wrong_guesses(ctx.session, ctx.person.id, now - GUESS_WINDOW)
    again = next_guess_at(wrong, now)
    if again is not None:
        return ctx.reply("account_link.too_many", count=len(wrong), moment=_local(ctx, again))
    code = normalize_code(typed)
    if not is_well_formed(code):
        await link_codes.record_wrong_guess(ctx.session, ctx.person.id, now)
        return ctx.reply("account_link.malformed", code=typed)
    row = await link_codes.find_code(ctx.session, code)
    if row is None or (row.claimed_by is not None and row.claimed_by != ctx.account.id):
        await link_codes.record_wrong_guess(ctx.session, ctx.person.id, now)
        return ctx.reply("account_link.unknown", code=code)
    if row.expires_at <= now:
        await link_codes.record_wrong_guess(ctx.session, ctx.person.id, now)
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
    asked = ctx.reply("account_link.asked", other=platform_name(ctx, there), minutes=CODE_MINUTES)
    if row.claimed_by == ctx.account.id:
        return asked  # sent again while the owner has not answered yet: asked once is enough
    owner_chat = await chats.private_chat(ctx.session, row.person_id, there)
    until = now + timedelta(minutes=CODE_MINUTES)
    if owner_chat is None or not await link_codes.claim(
        ctx.session, row.id, ctx.account.id, now=now, until=until
    ):
        return ctx.reply("account_link.unknown", code=code)
    owner = await ctx.session.get(Person, row.person_id)
    t = _translator(ctx, owner)
    await outbox.enqueue(
        ctx.session,
        chat_id=owner_chat.id,
        kind="link",
        message=Reply(
            t(
                "account_link.confirm_request",
                platform=t(f"platform.{here}"),
                name=ctx.person.display_name or t("account_link.no_name"),
                expires=_local(ctx, until),
            ),
            options=(
                Option(t("account_link.confirm_yes"), f"{BUTTON}ok:{row.id}"),
                Option(t("account_link.confirm_no"), f"{BUTTON}no:{row.id}"),
            ),
        ).to_json(),
        dedupe_key=f"link:{row.id}:{ctx.account.id}",
        due_at=now,
    )
    return asked


async def link_button(ctx: Context, argument: str) -> list[Reply]:
    """Confirm or Refuse, pressed by the code's owner under the request sent to them."""
    answer, _, number = argument.partition(":")
    row_id = read_int(number, 1, MAX_ID)
    row = await link_codes.find_by_id(ctx.session, row_id) if row_id is not None else None
    if row is None or row.claimed_by is None or row.expires_at <= ctx.now():
        return [ctx.reply("account_link.request_gone")]
    if row.person_id != ctx.person.id:
        return [ctx.reply("button.not_for_you")]
    claimant = await ctx.session.get(Account, row.claimed_by)
    if claimant is None or answer not in ("ok", "no"):
        return [ctx.reply("account_link.request_gone")]
    their_chat = await chats.private_chat(ctx.session, claimant.person_id, claimant.platform)
    sender_person = await ctx.session.get(Person, claimant.person_id)
    sender_t = _translator(ctx, sender_person)
    await link_codes.cancel_code(ctx.session, row.code)
    names = {"account": claimant.platform, "other": row.platform}
    if answer == "no":
        refused = sender_t(
            "account_link.refused_notice", other=sender_t(f"platform.{row.platform}")
        )
        await _tell(ctx, their_chat, f"link-no:{row.id}", refused)
        return [ctx.reply("account_link.refused")]
    if claimant.person_id == ctx.person.id:
        here, there = platform_name(ctx, claimant.platform), platform_name(ctx, row.platform)
        return [ctx.reply("account_link.already_linked", platform=here, other=there)]
    # Recorded before the join, which then moves the entry to the person that stays.
    await ctx.audit("account.link", row.code, {"from": names["account"], "into": names["other"]})
    joined = await merge.merge_people(
        ctx.session, keep_id=ctx.person.id, drop_id=claimant.person_id
    )
    done = _joined(ctx, joined, issued_on=row.platform, sent_from=claimant.platform)
    joined_text = sender_t(
        "account_link.done",
        account=sender_t(f"platform.{claimant.platform}"),
        other=sender_t(f"platform.{row.platform}"),
    )
    await _tell(ctx, their_chat, f"link-ok:{row.id}", joined_text)
    return [done]


async def _tell(ctx: Context, chat: Chat | None, key: str, text: str) -> None:
    """A message to the other account's private chat, through the outbox."""
    if chat is not None:
        await outbox.enqueue(
            ctx.session, chat_id=chat.id, kind="link", text=text, dedupe_key=key, due_at=ctx.now()
        )


def _translator(ctx: Context, person: Person | None) -> Translate:
    language = (person.language if person else None) or ctx.services.default_language
    return ctx.services.catalog.translator(language)


def _local(ctx: Context, moment: datetime) -> str:
    return format_datetime(moment.astimezone(ctx.services.zone))


def _joined(ctx: Context, joined: merge.Joined, *, issued_on: str, sent_from: str) -> Reply:
    """The confirmation, and for each campaign where both had a pledge or an assessment, which
    one stayed and which one went."""
    names = {
        Side.ISSUER: platform_name(ctx, issued_on),
        Side.SENDER: platform_name(ctx, sent_from),
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
    ),
    buttons={BUTTON: link_button},
)
