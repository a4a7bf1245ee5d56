"""/nhacnho, /lichnhac, /huynhac: reminders typed in plain Vietnamese; /thongbao: announcements.

Who reaches whom: anyone reminds themselves (private chat) or the group they type in; a lead
reminds their unit's groups (`/nhacnho @KT …`), an admin every group (`/nhacnho @tatca …`).
Announcements go from a lead or outreach member to their units, from an admin to all: to the
units' groups, and privately to members no group reaches (storage/audience.py), after a
confirmation that says how many groups and people they will reach on each app.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from campaign.dates import format_datetime, weekday_key
from campaign.inputs import MAX_ID, is_number, read_int
from campaign.reminding import ReminderProblem, read_reminder
from campaign.roles import Role
from campaign.text import fold
from campaign.timephrase import Reading
from handlers.context import Context
from handlers.dialog import DialogTable, End, Outcome, State
from handlers.formatting import platform_name, unit_label
from handlers.messages import Option, Reply, Safe, join
from handlers.registry import Command, Feature
from storage import audience, chats, outbox, reminders, units
from storage.audience import Audience
from storage.models import Chat, Reminder

ALL_WORDS = {"tatca", "tat ca", "all", "toan co quan"}
MAX_TEXT = 1000
ANNOUNCE = "announce"


def when_label(ctx: Context, reading: Reading) -> Safe:
    local = reading.at.astimezone(ctx.services.zone)
    repeat = ctx.t(f"time.repeat.{reading.repeat}") if reading.repeat else ""
    return ctx.t("remind.when", weekday=ctx.t(weekday_key(local)),
                 moment=format_datetime(local), repeat=repeat)  # fmt: skip


async def remind_command(ctx: Context, args: str) -> list[Reply]:
    words = args.split()
    target, unit = "chat", None
    if words and words[0].startswith("@"):
        name = words[0][1:]
        if fold(name) in ALL_WORDS:
            if not ctx.actor.is_admin:
                return [ctx.reply("error.not_allowed", command="/nhacnho @tatca")]
            target = "all"
        else:
            unit = await units.find_unit(ctx.session, name)
            if unit is None:
                return [ctx.reply("unit.unknown", code=name)]
            if not ctx.actor.may_manage(unit):
                return [ctx.reply("remind.not_lead", unit=unit_label(ctx, unit))]
            target = "unit"
        words = words[1:]
    if not words:
        return [ctx.reply("remind.usage")]
    now = ctx.now().astimezone(ctx.services.zone)
    try:
        found = read_reminder(words, now)
    except ReminderProblem as problem:
        return [problem_reply(ctx, problem)]
    if found is None:
        if len(words) < 2:
            return [ctx.reply("remind.usage")]
        return [ctx.reply("remind.no_time", phrase=" ".join(words[:3]))]
    reading, text = found.reading, found.text
    if len(text) > MAX_TEXT:
        return [ctx.reply("remind.too_long", limit=MAX_TEXT)]
    reminder = await reminders.create(
        ctx.session,
        created_by=ctx.person.id,
        target=target,
        chat_id=ctx.chat.id if target == "chat" else None,
        unit_id=unit.id if unit else None,
        text=text,
        next_at=reading.at,
        rrule=reading.rrule,
        timezone=str(ctx.services.zone),
        active=True,
    )
    if target != "chat":
        await ctx.audit("reminder.create", unit.code if unit else "all", {"id": reminder.id})
    where = {
        "chat": ctx.t("remind.to_here" if ctx.incoming.chat_kind == "group" else "remind.to_me"),
        "unit": ctx.t("remind.to_unit", unit=unit_label(ctx, unit)) if unit else Safe(""),
        "all": ctx.t("remind.to_all"),
    }[target]
    return [ctx.reply("remind.saved", id=reminder.id, when=when_label(ctx, reading), text=text,
                      where=where)]  # fmt: skip


def problem_reply(ctx: Context, problem: ReminderProblem) -> Reply:
    """Why nothing was stored, saying what was read: the time, a second time, the text."""
    if problem.key == "remind.no_text" and problem.reading is not None:
        return ctx.reply("remind.no_text", when=when_label(ctx, problem.reading),
                         phrase=problem.when)  # fmt: skip
    if problem.key == "remind.two_times":
        text = problem.text or ctx.t("remind.example_text")
        return ctx.reply("remind.two_times", first=problem.when, second=problem.second, text=text)
    return ctx.reply(problem.key, phrase=problem.when)


async def _my_chats(ctx: Context) -> list[int]:
    account = ctx.account
    mine = await chats.chats_of(
        ctx.session, account.platform, account.platform_user_id, ctx.actor.member_unit_ids
    )
    return [*mine, ctx.chat.id]


async def list_command(ctx: Context, args: str) -> list[Reply]:
    found = await reminders.visible_to(
        ctx.session, ctx.person.id, await _my_chats(ctx), ctx.actor.member_unit_ids
    )
    if not found:
        return [ctx.reply("remind.none")]
    zone = ctx.services.zone
    lines = [ctx.t("remind.list_header", count=len(found))]
    for reminder in found:
        local = reminder.next_at.astimezone(zone)
        repeat = ctx.t("remind.repeats") if reminder.rrule else ""
        lines.append(
            ctx.t("remind.list_line", id=reminder.id, weekday=ctx.t(weekday_key(local)),
                  moment=format_datetime(local), repeat=repeat, text=reminder.text)
        )  # fmt: skip
    return [Reply(join(lines))]


async def cancel_command(ctx: Context, args: str) -> list[Reply]:
    number = args.strip().lstrip("#")
    if not is_number(number):
        return [ctx.reply("remind.cancel_usage")]
    found = read_int(number, 1, MAX_ID)
    reminder = None if found is None else await reminders.find(ctx.session, found)
    if reminder is None or not reminder.active:
        return [ctx.reply("remind.not_found", id=number)]
    if not await _may_cancel(ctx, reminder):
        return [ctx.reply("remind.not_yours", id=reminder.id)]
    reminder.active = False
    await ctx.audit("reminder.cancel", str(reminder.id))
    return [ctx.reply("remind.cancelled", id=reminder.id, text=reminder.text)]


async def _may_cancel(ctx: Context, reminder: Reminder) -> bool:
    if ctx.actor.is_admin or reminder.created_by == ctx.person.id:
        return True
    unit_id = reminder.unit_id
    if unit_id is None and reminder.chat_id is not None:
        chat = await ctx.session.get(Chat, reminder.chat_id)
        unit_id = chat.unit_id if chat else None
    return unit_id is not None and ctx.actor.leads(unit_id)


async def snooze(ctx: Context, argument: str) -> list[Reply]:
    """The "remind me again in an hour" button under a private reminder."""
    number = read_int(argument, 1, MAX_ID)
    original = None if number is None else await reminders.find(ctx.session, number)
    if original is None:
        return [ctx.reply("error.stale_choice")]
    if not _snoozable_by(ctx, original):
        return [ctx.reply("button.not_for_you")]
    later = ctx.now() + timedelta(hours=1)
    await reminders.create(
        ctx.session, created_by=ctx.person.id, target="chat", chat_id=ctx.chat.id,
        text=original.text, next_at=later, rrule=None, timezone=original.timezone, active=True,
    )  # fmt: skip
    local = later.astimezone(ctx.services.zone)
    return [ctx.reply("remind.snoozed", moment=format_datetime(local))]


def _snoozable_by(ctx: Context, reminder: Reminder) -> bool:
    """Whoever the reminder was sent to may have it again in an hour, in their own chat: the
    chat it went to, a member of the unit it was for (their private copy), anyone for an
    "all" reminder, and its author (a payload with another id must not copy its text)."""
    if reminder.created_by == ctx.person.id:
        return True
    if reminder.target == "chat":
        return reminder.chat_id == ctx.chat.id
    if reminder.target == "unit":
        return reminder.unit_id in ctx.actor.member_unit_ids
    return True


async def nudges_off(ctx: Context, argument: str) -> list[Reply]:
    ctx.person.nudges_off = True
    return [ctx.reply("remind.nudges_off")]


async def announce_command(ctx: Context, args: str) -> list[Reply]:
    text = args.strip()
    if not text:
        return [ctx.reply("announce.usage")]
    if len(text) > MAX_TEXT:
        return [ctx.reply("remind.too_long", limit=MAX_TEXT)]
    if not await _audience(ctx):
        return [ctx.reply("announce.nobody")]
    return [await ANNOUNCING.start(ctx, "confirm", Announcement(text))]


@dataclass
class Announcement:
    text: str


async def _announce_prompt(ctx: Context, announcement: Announcement) -> Reply:
    """Says how many groups and people it will reach, per app, before anything is sent."""
    return ctx.reply(
        "announce.confirm", reach=reach_lines(ctx, await _audience(ctx)), text=announcement.text,
        options=(Option(ctx.t("announce.send"), "announce:send"),
                 Option(ctx.t("announce.cancel"), "announce:cancel")),
    )  # fmt: skip


async def _audience(ctx: Context) -> Audience:
    return await audience.of_units(ctx.session, ctx.actor.announces_to)


def reach_lines(ctx: Context, reached: Audience) -> Safe:
    """One line per app: "• Zalo: 0 nhóm, 12 người (nhắn riêng)", then who cannot be reached."""
    lines = [
        ctx.t(
            "announce.reach",
            platform=platform_name(ctx, platform),
            groups=ctx.t("count.group_chats", count=groups),
            people=ctx.t("count.people", count=n),
        )
        for platform, (groups, n) in reached.reach().items()
    ]
    if reached.unreachable:
        lines.append(ctx.t("announce.unreachable", count=reached.unreachable))
    return join(lines)


async def _announce_answer(
    ctx: Context, answer: str, announcement: Announcement
) -> Outcome[Announcement]:
    if answer != "announce:send" and fold(answer) not in ("gui", "co", "ok"):
        return End([ctx.reply("announce.cancelled")])
    reached = await _audience(ctx)
    batch = uuid.uuid4().hex[:12]
    by = ctx.person.display_name or ""
    for chat, language in reached.readers:
        t = ctx.services.catalog.translator(language or ctx.services.default_language)
        await outbox.enqueue(
            ctx.session, chat_id=chat.id, kind="announce",
            text=t("push.announcement", text=announcement.text, by=by),
            dedupe_key=f"announce:{batch}:{chat.id}", due_at=ctx.now(),
        )  # fmt: skip
    detail = {"groups": len(reached.groups), "people": len(reached.people), "batch": batch}
    await ctx.audit("announce", None, detail)
    return End([ctx.reply("announce.queued", reach=reach_lines(ctx, reached))])


ANNOUNCING = DialogTable(
    ANNOUNCE, Announcement, {"confirm": State(_announce_prompt, _announce_answer)}
)


FEATURE = Feature(
    commands=(
        Command(
            "nhacnho",
            "remind",
            ("nhắc nhở", "nhắc việc"),
            remind_command,
            required=Role.MEMBER,
            more_for=Role.LEAD,
        ),
        Command("lichnhac", "reminders", ("lịch nhắc",), list_command),
        Command("huynhac", "cancel", ("huỷ nhắc", "hủy nhắc"), cancel_command),
        Command("thongbao", "announce", ("thông báo",), announce_command, required=Role.OUTREACH),
    ),
    dialogs={ANNOUNCE: ANNOUNCING.answer},
    buttons={"snooze:": snooze, "nudges:": nudges_off},
)
