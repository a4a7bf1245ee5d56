"""/diemdanh (/checkin): attendance at an activity.

`/diemdanh mo <n>` (organiser) opens check-in and shows the code for the venue; a member
sends `/diemdanh CODE` (or types "điểm danh CODE"); `/diemdanh <n>` (organiser) lists the
sign-ups with a button per person not yet present (numbers on Zalo and the console);
`/diemdanh <n> @username|name` marks one person; `/diemdanh ds <n>` counts who signed up,
came and stayed away. The rules are in usecases/attendance.py.
"""

from __future__ import annotations

from datetime import datetime

from campaign.attendance import is_code
from campaign.dates import format_datetime
from campaign.inputs import MAX_ID, read_int
from campaign.roles import Role
from campaign.text import fold
from handlers.context import Context
from handlers.formatting import day
from handlers.messages import Option, Reply, Safe, join
from handlers.registry import Command, Feature
from storage import dialogs, members
from storage.models import Activity, Person
from usecases import attendance
from usecases.errors import Refused

OPEN_WORDS = {"mo", "open"}
SUMMARY_WORDS = {"ds", "danhsach", "danh sach", "tongket", "ketqua", "summary", "list"}
MAX_BUTTONS = 30
"""People offered as buttons at once; the others are marked by name."""
BUTTON = "checkin:"


def moment(ctx: Context, value: datetime) -> str:
    """ "08:30 07/03/2026" in the bot's zone."""
    return format_datetime(value.astimezone(ctx.services.zone))


def explain(ctx: Context, refused: Refused) -> Reply:
    """A refusal, its times shown in the bot's zone."""
    values = {
        name: moment(ctx, value) if isinstance(value, datetime) else value
        for name, value in refused.values.items()
    }
    return Reply(Refused(refused.key, values, refused.named).explained(ctx.t), key=refused.key)


def activity_label(ctx: Context, activity: Activity) -> Safe:
    return ctx.t("attendance.activity", number=activity.id, name=activity.name)


def number_of(word: str) -> int | None:
    return read_int(word.lstrip("#"), 1, MAX_ID)


async def checkin_command(ctx: Context, args: str) -> list[Reply]:
    words = args.split()
    if not words:
        return [ctx.reply("checkin.usage")]
    first = fold(words[0])
    try:
        if first in OPEN_WORDS | SUMMARY_WORDS:
            number = number_of(words[1]) if len(words) == 2 else None
            if number is None:
                return [ctx.reply("checkin.usage")]
            if first in OPEN_WORDS:
                return [await _open(ctx, number)]
            return [await _summary(ctx, number)]
        number = number_of(words[0])
        if number is None:
            return [await _check_in(ctx, " ".join(words), None)]
        rest = words[1:]
        if not rest:
            return [await roll_reply(ctx, number)]
        if len(rest) == 1 and not rest[0].startswith("@") and is_code(rest[0]):
            return [await _check_in(ctx, rest[0], number)]
        return [await _mark_named(ctx, number, " ".join(rest))]
    except Refused as refused:
        return [explain(ctx, refused)]


async def _open(ctx: Context, number: int) -> Reply:
    opened = await attendance.open_checkin(ctx.session, ctx.who, ctx.actor, number)
    return ctx.reply(
        "checkin.opened_again" if opened.again else "checkin.opened",
        activity=activity_label(ctx, opened.activity),
        code=opened.code,
        opens=moment(ctx, opened.opens),
        closes=moment(ctx, opened.closes),
    )


async def _check_in(ctx: Context, code: str, number: int | None) -> Reply:
    done = await attendance.check_in(ctx.session, ctx.who, ctx.actor, code, number)
    key = "checkin.done_waitlist" if done.waitlisted else "checkin.done"
    if done.walk_in:
        key = "checkin.done_walk_in"
    return ctx.reply(key, activity=activity_label(ctx, done.activity), at=moment(ctx, done.at))


def _private(ctx: Context) -> Reply | None:
    if ctx.incoming.chat_kind == "private":
        return None
    return ctx.reply("private.only", command="/diemdanh")


async def roll_reply(ctx: Context, number: int) -> Reply:
    """The sign-ups with their attendance, and a button for each person not yet present."""
    refused = _private(ctx)
    if refused is not None:
        return refused
    roll = await attendance.roll(ctx.session, ctx.actor, number)
    lines: list[Safe] = []
    options: list[Option] = []
    for signup, person in roll.rows:
        if signup.status == "withdrawn" and signup.attended_at is None:
            continue
        name = person.display_name or f"#{person.id}"
        status = ctx.t(f"checkin.status.{signup.status}")
        if signup.attended_at is not None:
            lines.append(ctx.t("checkin.line_present", name=name, status=status,
                               at=moment(ctx, signup.attended_at)))  # fmt: skip
            continue
        lines.append(ctx.t("checkin.line_absent", name=name, status=status))
        if len(options) < MAX_BUTTONS:
            options.append(Option(name, f"{BUTTON}{roll.activity.id}:{person.id}"))
    label = activity_label(ctx, roll.activity)
    if not lines:
        return ctx.reply("checkin.roll_empty", activity=label, number=roll.activity.id)
    header = ctx.t("checkin.roll_header", activity=label, when=day(ctx, roll.activity.starts_at))
    hint = ctx.t("checkin.roll_hint" if options else "checkin.roll_all_present",
                 number=roll.activity.id)  # fmt: skip
    reply = Reply(join([header, join(lines), hint]), options=tuple(options), key="checkin.roll")
    if options:
        return await ctx.ask(dialogs.PUSHED_CHOICE, "offered", reply)
    return reply


async def _mark(ctx: Context, number: int, person: Person) -> Reply:
    marked = await attendance.mark_present(ctx.session, ctx.who, ctx.actor, number, person)
    return ctx.reply(
        "checkin.marked_already" if marked.already else "checkin.marked",
        name=person.display_name or f"#{person.id}",
        activity=activity_label(ctx, marked.activity),
    )


async def _mark_named(ctx: Context, number: int, typed: str) -> Reply:
    scope = await attendance.audience_units(ctx.session, ctx.actor, number)
    found = await members.find_members(ctx.session, scope, typed)
    if not found:
        return ctx.reply("checkin.person_unknown", member=typed)
    if len(found) > 1:
        names = ", ".join(p.display_name or f"#{p.id}" for p in found)
        return ctx.reply("checkin.person_ambiguous", member=typed, names=names)
    return await _mark(ctx, number, found[0])


async def _summary(ctx: Context, number: int) -> Reply:
    refused = _private(ctx)
    if refused is not None:
        return refused
    summary = await attendance.attendance_summary(ctx.session, ctx.actor, number, ctx.now())
    counted = summary.tally
    lines = [
        ctx.t("checkin.summary_header", activity=activity_label(ctx, summary.activity),
              when=day(ctx, summary.activity.starts_at)),
        ctx.t("checkin.summary_counts", signed_up=counted.signed_up, present=counted.present),
    ]  # fmt: skip
    if counted.absent is None:
        lines.append(ctx.t("checkin.summary_not_ended"))
    else:
        rate = "—" if counted.rate is None else f"{counted.rate}%"
        lines.append(ctx.t("checkin.summary_absent", absent=counted.absent, rate=rate))
        if summary.absent:
            names = ", ".join(p.display_name or f"#{p.id}" for p in summary.absent)
            lines.append(ctx.t("checkin.summary_absent_names", names=names))
    return Reply(join(lines), key="checkin.summary")


async def mark_button(ctx: Context, argument: str) -> list[Reply]:
    """A person's button under the list: marks them present, then shows the list again."""
    activity_text, _, person_text = argument.partition(":")
    number, person_id = number_of(activity_text), number_of(person_text)
    person = None if person_id is None else await ctx.session.get(Person, person_id)
    if number is None or person is None:
        return [ctx.reply("error.stale_choice")]
    try:
        done = await _mark(ctx, number, person)
        return [done, await roll_reply(ctx, number)]
    except Refused as refused:
        if refused.key == "attendance.not_allowed":
            return [ctx.reply("button.not_for_you")]
        return [explain(ctx, refused)]


FEATURE = Feature(
    commands=(
        Command(
            "diemdanh",
            "checkin",
            ("điểm danh",),
            checkin_command,
            required=Role.MEMBER,
            more_for=Role.OUTREACH,
        ),
    ),
    buttons={BUTTON: mark_button},
)
