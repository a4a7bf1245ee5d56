"""/hoatdong and /thamgia: union and youth activities (blood drives, volunteer work, tree
planting, sports, collections) and who signs up for them.

`/hoatdong` lists the coming activities meant for the reader, each with its number (its id,
the same everywhere), places and the reader's own mark; `/hoatdong <n>` shows one.
Officers (outreach, leads, admins) put one on with `/hoatdong them` (handlers/
activity_dialog.py), see who signed up (`/hoatdong ds <n>`), add people by name or @handle
(`/hoatdong them-nguoi <n> @lan, Nguyễn Mai`) and cancel (`/hoatdong huy <n>`). `/thamgia <n>`
and the "Đăng ký tham gia" button sign up; pressed again they withdraw. People told
privately (moved up from the waitlist, added by the organiser, the activity cancelled) hear it
through the outbox, in the transaction of the change.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from campaign.activities import split_names, split_number
from campaign.roles import Role
from campaign.text import fold
from handlers import activity_dialog
from handlers import activity_view as view
from handlers.context import Context, Translate
from handlers.formatting import refusal
from handlers.messages import Reply, Safe, join
from handlers.registry import Command, Feature
from storage import activities as store
from storage import members, outbox, schedule
from storage.activities import CONFIRMED, WAITLIST, WITHDRAWN
from storage.models import Activity, Person
from usecases import activities
from usecases.errors import Refused

CREATE_WORDS = {"them", "tao", "moi", "add", "new", "create"}
CANCEL_WORDS = {"huy", "cancel", "xoa"}
ROSTER_WORDS = {"ds", "danhsach", "danh-sach", "list", "roster", "signups"}
ADD_WORDS = {"them-nguoi", "themnguoi", "them_nguoi", "add-people", "addpeople", "add_people"}


async def activity_command(ctx: Context, args: str) -> list[Reply]:
    head, _, rest = args.strip().partition(" ")
    word = fold(head)
    if not head:
        return [await _listing(ctx)]
    if word in CREATE_WORDS:
        return [await _create(ctx, rest.strip())]
    if word in ADD_WORDS:
        return [await _add_people(ctx, rest)]
    if word in ROSTER_WORDS:
        return [await _roster(ctx, rest)]
    if word in CANCEL_WORDS:
        return [await _cancel(ctx, rest)]
    number, tail = split_number(args)
    if number is not None and not tail:
        return [await _detail(ctx, number)]
    return [ctx.reply("activity.usage")]


async def _create(ctx: Context, rest: str) -> Reply:
    if not ctx.actor.may_organise:
        return ctx.reply("activity.not_allowed")
    if not rest:
        return await activity_dialog.start(ctx)
    return await activity_dialog.one_line(ctx, rest)


async def _listing(ctx: Context) -> Reply:
    """The coming activities meant for the reader (an admin: all), with their marks."""
    unit_ids = None if ctx.actor.is_admin else ctx.actor.member_unit_ids
    found = await store.coming(ctx.session, ctx.now(), unit_ids)
    hint = ctx.t("activity.hint_officer") if ctx.actor.may_organise else Safe("")
    if not found:
        return Reply(join([ctx.t("activity.none"), hint]) if hint else ctx.t("activity.none"),
                     key="activity.none")  # fmt: skip
    ids = [a.id for a in found]
    tallies = await store.tallies(ctx.session, ids)
    mine = await store.marks(ctx.session, ctx.person.id, ids)
    zone = ctx.services.zone
    lines = [ctx.t("activity.list_header", count=len(found))]
    lines += [view.line(ctx.t, zone, a, tallies[a.id], mine.get(a.id)) for a in found]
    lines.append(ctx.t("activity.list_footer"))
    if hint:
        lines.append(hint)
    return Reply(join(lines), key="activity.list_header")


async def _detail(ctx: Context, number: int) -> Reply:
    activity = await store.find(ctx.session, number)
    if activity is None or not await _visible(ctx, activity):
        return ctx.reply("activity.not_found", number=number)
    tally = (await store.tallies(ctx.session, [activity.id]))[activity.id]
    chosen = (await store.audience_units(ctx.session, [activity.id])).get(activity.id, [])
    organiser = await ctx.session.get(Person, activity.organiser_id or 0)
    text = view.card(ctx.t, ctx.services.zone, activity, tally, chosen,
                     organiser.display_name if organiser else "")  # fmt: skip
    standing = (await store.marks(ctx.session, ctx.person.id, [activity.id])).get(activity.id)
    if activity.status != store.OPEN:
        return Reply(join([text, ctx.t("activity.was_cancelled")]), key="activity.card")
    if standing is not None:
        text = join([text, Safe(view.mark(ctx.t, standing).lstrip(" ·"))])
    return Reply(text, (view.join_button(ctx.t, activity.id),), key="activity.card")


async def _visible(ctx: Context, activity: Activity) -> bool:
    unit_ids = await store.unit_ids(ctx.session, activity.id)
    return ctx.actor.may_join(unit_ids) or ctx.actor.runs_activity(activity.organiser_id, unit_ids)


# -- signing up -------------------------------------------------------------------------


async def join_command(ctx: Context, args: str) -> list[Reply]:
    number, tail = split_number(args)
    if number is None or tail:
        return [ctx.reply("activity.join_usage")]
    return [await _toggle(ctx, number)]


async def join_button(ctx: Context, argument: str) -> list[Reply]:
    """ "act:join:<n>" under an announcement (forwarded ones too: checked like the command)."""
    action, _, number = argument.partition(":")
    if action != "join" or not number.isdigit() or len(number) > 9:
        return [ctx.reply("error.stale_choice")]
    return [await _toggle(ctx, int(number))]


async def _toggle(ctx: Context, number: int) -> Reply:
    if not ctx.actor.member_unit_ids and not ctx.actor.is_admin:
        return ctx.reply("activity.not_for_you", number=number)
    try:
        done = await activities.toggle(ctx.session, ctx.actor, number, ctx.now())
    except Refused as refused:
        return refusal(ctx, refused)
    await tell(ctx, done.activity, done.promoted, "activity.promoted_notice")
    activity = done.activity
    values: dict[str, object] = {
        "number": activity.id,
        "name": activity.name,
        "when": view.moment(ctx.t, ctx.services.zone, activity.starts_at),
        "position": done.position or "",
    }
    key = {
        CONFIRMED: "activity.joined",
        WAITLIST: "activity.waitlisted",
        WITHDRAWN: "activity.withdrawn",
    }[done.status]
    reply = Reply(ctx.t(key, **values), key=key)
    if ctx.incoming.chat_kind == "group":  # said in the group: whose sign-up it is
        text = ctx.t("activity.for_person", name=ctx.person.display_name or "", text=reply.text)
        return Reply(text, key=key)
    return reply


async def tell(
    ctx: Context,
    activity: Activity,
    person_ids: list[int],
    key: str,
    extra: Callable[[Translate], dict[str, object]] | None = None,
) -> int:
    """A private notice about `activity` to each person (the chat of the app they used last),
    in their language, through the outbox; returns how many could be reached."""
    readers = await store.private_readers(ctx.session, person_ids)
    batch = uuid.uuid4().hex[:12]
    for person_id, (chat, language) in readers.items():
        t = ctx.services.catalog.translator(language or ctx.services.default_language)
        values = {"number": activity.id, "name": activity.name,
                  "when": view.moment(t, ctx.services.zone, activity.starts_at),
                  "by": ctx.person.display_name or "", **(extra(t) if extra else {})}  # fmt: skip
        await outbox.enqueue(
            ctx.session, chat_id=chat.id, kind="activity", text=t(key, **values),
            dedupe_key=f"{key}:{activity.id}:{person_id}:{batch}", due_at=ctx.now(),
        )  # fmt: skip
    return len(readers)


# -- the organiser's sub-commands -----------------------------------------------------------


async def _roster(ctx: Context, rest: str) -> Reply:
    number, _ = split_number(rest)
    if number is None:
        return ctx.reply("activity.roster_usage")
    try:
        activity, lines = await activities.roster(ctx.session, ctx.actor, number)
    except Refused as refused:
        return refusal(ctx, refused)
    tally = (await store.tallies(ctx.session, [activity.id]))[activity.id]
    out = [ctx.t("activity.roster_header", number=activity.id, name=activity.name,
                 places=view.places(ctx.t, activity, tally))]  # fmt: skip
    if not lines:
        out.append(ctx.t("activity.roster_empty"))
    confirmed = [entry for entry in lines if entry.signup.status == CONFIRMED]
    waiting = [entry for entry in lines if entry.signup.status == WAITLIST]
    for n, entry in enumerate(confirmed, 1):
        out.append(
            ctx.t(
                "activity.roster_line",
                n=n,
                name=entry.name,
                units=", ".join(entry.units) or "—",
                added=ctx.t("activity.roster_added") if entry.signup.added_by else "",
            )
        )
    if waiting:
        out.append(ctx.t("activity.roster_waiting", count=len(waiting)))
    for n, entry in enumerate(waiting, 1):
        out.append(ctx.t("activity.roster_line", n=n, name=entry.name,
                         units=", ".join(entry.units) or "—", added=""))  # fmt: skip
    return Reply(join(out), key="activity.roster_header")


async def _add_people(ctx: Context, rest: str) -> Reply:
    number, names = split_number(rest)
    if number is None or not names:
        return ctx.reply("activity.add_usage")
    activity = await store.find(ctx.session, number)
    if activity is None:
        return ctx.reply("activity.not_found", number=number)
    unit_ids = await store.unit_ids(ctx.session, activity.id)
    if not ctx.actor.runs_activity(activity.organiser_id, unit_ids):
        return ctx.reply("activity.not_organiser", number=number)
    people: list[Person] = []
    for typed in split_names(names):
        found = await members.find_members(ctx.session, unit_ids or None, typed)
        if not found:
            return ctx.reply("activity.add_unknown", member=typed, number=number)
        if len(found) > 1:
            codes = await members.unit_codes(ctx.session, [p.id for p in found])
            listed = "; ".join(
                f"{p.display_name} ({', '.join(codes.get(p.id, []))})" for p in found
            )
            return ctx.reply("member.ambiguous", member=typed, names=listed)
        if found[0].id not in {p.id for p in people}:
            people.append(found[0])
    try:
        activity, added = await activities.add_people(
            ctx.session, ctx.who, ctx.actor, number, people, ctx.now()
        )
    except Refused as refused:
        return refusal(ctx, refused)
    lines = [ctx.t("activity.added_header", number=activity.id, name=activity.name)]
    for item in added:
        key = {"already": "activity.added_already", CONFIRMED: "activity.added_confirmed",
               WAITLIST: "activity.added_waiting"}[item.status]  # fmt: skip
        lines.append(ctx.t(key, name=item.person.display_name, position=item.position or ""))
    fresh = [item.person.id for item in added if item.status != "already"]
    await tell(ctx, activity, fresh, "activity.added_notice")
    return Reply(join(lines), key="activity.added_header")


async def _cancel(ctx: Context, rest: str) -> Reply:
    number, _ = split_number(rest)
    if number is None:
        return ctx.reply("activity.cancel_usage")
    try:
        done = await activities.cancel(ctx.session, ctx.who, ctx.actor, number, ctx.now())
    except Refused as refused:
        return refusal(ctx, refused)
    await schedule.wake(ctx.session, [view.REMINDERS])
    told = await tell(ctx, done.activity, done.told, "activity.cancelled_notice")
    return ctx.reply("activity.cancelled", number=done.activity.id, name=done.activity.name,
                     signed=len(done.told), told=told)  # fmt: skip


FEATURE = Feature(
    commands=(
        Command(
            "hoatdong",
            "activity",
            ("hoạt động",),
            activity_command,
            writes=False,
            more_for=Role.OUTREACH,
        ),
        Command("thamgia", "join", ("tham gia",), join_command, required=Role.MEMBER),
    ),
    dialogs={activity_dialog.DIALOG: activity_dialog.CREATING.answer},
    buttons={"act:": join_button},
)
