"""/quyengop (/donate): contributions to a collection.

`/quyengop <n> 500k` records money ("500 nghìn", "1tr2", "1.200.000 đ" …, campaign/money.py)
and `/quyengop <n> 10 kg gạo` a gift in kind; `/quyengop <n> don vi KT 5tr` records for a unit
(its lead or outreach officer); `/quyengop <n>` shows one's own and the collection's total;
`/quyengop ds <n>` (organiser, admin) lists everything with totals per unit and a button per
contribution to confirm; `/quyengop xacnhan <id>` confirms one. Rules: usecases/contributions.py.
"""

from __future__ import annotations

from campaign.money import MAX_VND, MIN_VND, MoneyError, format_vnd, read_gift
from campaign.roles import Role
from campaign.text import fold
from handlers.attendance import activity_label, explain, number_of
from handlers.context import Context
from handlers.formatting import unit_label
from handlers.messages import Option, Reply, Safe, join
from handlers.registry import Command, Feature
from storage import dialogs, units
from storage.contributions import Sums
from storage.models import Contribution
from usecases import contributions
from usecases.errors import Refused

LIST_WORDS = {"ds", "danhsach", "list"}
CONFIRM_WORDS = {"xacnhan", "confirm"}
UNIT_WORDS = ("don vi", "donvi", "unit")
MAX_BUTTONS = 30
BUTTON = "donation:"


def money(ctx: Context, amount: int) -> str:
    return format_vnd(amount, ctx.language)


def gift_text(ctx: Context, contribution: Contribution) -> str:
    if contribution.amount is not None:
        return money(ctx, contribution.amount)
    return contribution.items or ""


async def donate_command(ctx: Context, args: str) -> list[Reply]:
    words = args.split()
    if not words:
        return [ctx.reply("contribution.usage")]
    first = fold(words[0])
    try:
        if first in LIST_WORDS | CONFIRM_WORDS:
            number = number_of(words[1]) if len(words) == 2 else None
            if number is None:
                return [ctx.reply("contribution.usage")]
            if first in LIST_WORDS:
                return [await ledger_reply(ctx, number)]
            return [await _confirm(ctx, number)]
        number = number_of(words[0])
        if number is None:
            return [ctx.reply("contribution.usage")]
        rest = " ".join(words[1:])
        if not rest:
            return [await _own(ctx, number)]
        return [await _record(ctx, number, rest)]
    except Refused as refused:
        return [explain(ctx, refused)]


async def _record(ctx: Context, number: int, rest: str) -> Reply:
    unit = None
    folded = fold(rest)
    for word in UNIT_WORDS:
        if folded.startswith(word + " "):
            parts = rest.split()[len(word.split()) :]
            if len(parts) < 2:
                return ctx.reply("contribution.usage")
            unit = await units.find_unit(ctx.session, parts[0])
            if unit is None:
                return ctx.reply("unit.unknown", code=parts[0])
            rest = " ".join(parts[1:])
            break
    try:
        gift = read_gift(rest)
    except MoneyError as error:
        return ctx.reply(f"money.{error.reason}", typed=rest, max=money(ctx, MAX_VND),
                         min=money(ctx, MIN_VND))  # fmt: skip
    recorded = await contributions.record(ctx.session, ctx.who, ctx.actor, number, gift, unit)
    gift_shown = gift_text(ctx, recorded.contribution)
    label = activity_label(ctx, recorded.activity)
    if unit is not None:
        return ctx.reply("contribution.recorded_unit", unit=unit_label(ctx, unit),
                         id=recorded.contribution.id, gift=gift_shown, activity=label)  # fmt: skip
    return ctx.reply("contribution.recorded", id=recorded.contribution.id, gift=gift_shown,
                     activity=label)  # fmt: skip


async def _confirm(ctx: Context, contribution_id: int) -> Reply:
    done = await contributions.confirm(ctx.session, ctx.who, ctx.actor, contribution_id)
    return ctx.reply(
        "contribution.confirmed_already" if done.already else "contribution.confirmed",
        id=done.contribution.id,
        gift=gift_text(ctx, done.contribution),
        activity=activity_label(ctx, done.activity),
    )


def _sums(ctx: Context, sums: Sums) -> Safe:
    return ctx.t("contribution.sums", confirmed=money(ctx, sums.confirmed),
                 pending=money(ctx, sums.pending), items=sums.items)  # fmt: skip


async def _own(ctx: Context, number: int) -> Reply:
    own = await contributions.own(ctx.session, ctx.actor, number)
    label = activity_label(ctx, own.activity)
    lines = [ctx.t("contribution.own_header" if own.mine else "contribution.own_none",
                   activity=label, number=own.activity.id)]  # fmt: skip
    for item in own.mine:
        state = "confirmed" if item.confirmed_at is not None else "pending"
        lines.append(ctx.t("contribution.line_own", id=item.id, gift=gift_text(ctx, item),
                           state=ctx.t(f"contribution.state.{state}")))  # fmt: skip
    lines.append(ctx.t("contribution.total", sums=_sums(ctx, own.total)))
    return Reply(join(lines), key="contribution.own")


async def ledger_reply(ctx: Context, number: int) -> Reply:
    """Every contribution, the totals per unit and overall, a button per one to confirm."""
    if ctx.incoming.chat_kind != "private":
        return ctx.reply("private.only", command="/quyengop ds")
    ledger = await contributions.ledger(ctx.session, ctx.actor, number)
    label = activity_label(ctx, ledger.activity)
    if not ledger.lines:
        return ctx.reply("contribution.ledger_empty", activity=label)
    lines = [ctx.t("contribution.ledger_header", activity=label, count=len(ledger.lines))]
    options: list[Option] = []
    for line in ledger.lines:
        item = line.contribution
        state = "confirmed" if item.confirmed_at is not None else "pending"
        giver = line.giver or ctx.t("contribution.for_unit")
        lines.append(ctx.t("contribution.line", id=item.id, giver=giver,
                           unit=line.unit_code or "—", gift=gift_text(ctx, item),
                           state=ctx.t(f"contribution.state.{state}")))  # fmt: skip
        if state == "pending" and len(options) < MAX_BUTTONS:
            label = ctx.t("contribution.confirm_button", id=item.id, gift=gift_text(ctx, item))
            options.append(Option(label, f"{BUTTON}{item.id}"))
    lines.append(ctx.t("contribution.by_unit"))
    for code, sums in ledger.by_unit.items():
        lines.append(ctx.t("contribution.unit_line", unit=code or "—", sums=_sums(ctx, sums)))
    lines.append(ctx.t("contribution.total", sums=_sums(ctx, ledger.total)))
    reply = Reply(join(lines), options=tuple(options), key="contribution.ledger")
    if options:
        return await ctx.ask(dialogs.PUSHED_CHOICE, "offered", reply)
    return reply


async def confirm_button(ctx: Context, argument: str) -> list[Reply]:
    """A contribution's button under the list: confirms it."""
    contribution_id = number_of(argument)
    if contribution_id is None:
        return [ctx.reply("error.stale_choice")]
    try:
        return [await _confirm(ctx, contribution_id)]
    except Refused as refused:
        if refused.key == "contribution.not_allowed":
            return [ctx.reply("button.not_for_you")]
        return [explain(ctx, refused)]


FEATURE = Feature(
    commands=(
        Command(
            "quyengop",
            "donate",
            ("quyên góp",),
            donate_command,
            required=Role.MEMBER,
            more_for=Role.OUTREACH,
        ),
    ),
    buttons={BUTTON: confirm_button},
)
