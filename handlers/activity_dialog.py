"""Putting on an activity: the guided dialog of `/hoatdong them` (name → time → place →
places → sign-up deadline → audience → confirm) and its one-line form, which fills the same
draft and asks the same confirmation; then the activity is saved and announced through the
outbox to its audience (linked groups, and privately those no group reaches), with the
"Đăng ký tham gia" button.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from campaign.activities import (
    ALL_WORDS,
    MAX_NAME,
    MAX_PLACE,
    ActivityInputError,
    guess_kind,
    parse_line,
    read_places,
)
from campaign.text import fold
from campaign.timephrase import TimePhraseError, read
from handlers import activity_view as view
from handlers.context import Context
from handlers.dialog import DialogTable, End, Goto, Outcome, State, Stay
from handlers.formatting import refusal
from handlers.messages import Option, Reply, join
from handlers.reminders import reach_lines
from storage import audience, outbox, schedule, units
from storage.activities import Tally
from storage.models import Unit
from usecases import activities
from usecases.errors import Refused

DIALOG = "activity"
SKIP_WORDS = {"bo qua", "skip", "khong", "khong co"}


@dataclass
class Draft:
    """What the dialog remembers between answers (dialog_state.data): JSON values only."""

    name: str = ""
    kind: str | None = None
    starts_at: str | None = None
    """ISO time, UTC."""
    place: str | None = None
    capacity: int | None = None
    deadline: str | None = None
    units: list[int] | None = None
    """None: everyone (an admin's choice)."""

    def new(self) -> activities.NewActivity:
        assert self.starts_at is not None
        return activities.NewActivity(
            name=self.name,
            kind=self.kind or guess_kind(self.name),
            starts_at=datetime.fromisoformat(self.starts_at),
            place=self.place,
            capacity=self.capacity,
            signup_until=datetime.fromisoformat(self.deadline) if self.deadline else None,
            unit_ids=self.units,
        )


def read_time(ctx: Context, phrase: str) -> datetime | Reply:
    """A Vietnamese time phrase as a moment, or the reply that says why it is not one."""
    try:
        reading = read(phrase, ctx.now().astimezone(ctx.services.zone))
    except TimePhraseError as error:
        return ctx.reply(error.key, phrase=phrase)
    if reading.repeat:
        return ctx.reply("activity.no_repeat", phrase=phrase)
    return reading.at


async def resolve_audience(
    ctx: Context, codes: list[str], everyone: bool
) -> list[int] | Reply | None:
    """The units typed (none: the creator's own units; an admin's: everyone), each checked."""
    if everyone:
        if not ctx.actor.organises_for(None):
            return ctx.reply("activity.not_your_unit", units=ctx.t("activity.audience_all"))
        return None
    if not codes:
        return ctx.actor.announces_to
    found: list[Unit] = []
    for code in codes:
        unit = await units.find_unit(ctx.session, code)
        if unit is None:
            return ctx.reply("unit.unknown", code=code)
        found.append(unit)
    ids = [u.id for u in found]
    if not ctx.actor.organises_for(ids):
        return ctx.reply("activity.not_your_unit", units=view.audience(ctx.t, found))
    return ids


async def one_line(ctx: Context, text: str) -> Reply:
    """`/hoatdong them <name>; <when>; <place>; <places>[; hạn …][; @KT][; loại …]`: the draft
    read whole, then the same confirmation as the dialog's."""
    try:
        line = parse_line(text)
    except ActivityInputError as error:
        return ctx.reply(error.key, value=error.value)
    if line.when is None:
        return ctx.reply("activity.no_when")
    starts = read_time(ctx, line.when)
    if isinstance(starts, Reply):
        return starts
    deadline: datetime | None = None
    if line.deadline is not None:
        read_at = read_time(ctx, line.deadline)
        if isinstance(read_at, Reply):
            return read_at
        deadline = read_at
    reached = await resolve_audience(ctx, line.audience, line.everyone)
    if isinstance(reached, Reply):
        return reached
    draft = Draft(
        name=line.name, kind=line.kind, starts_at=starts.isoformat(), place=line.place,
        capacity=line.capacity, deadline=deadline.isoformat() if deadline else None, units=reached,
    )  # fmt: skip
    problem = _problem(ctx, draft)
    if problem is not None:
        return problem
    return await CREATING.start(ctx, "confirm", draft)


def _problem(ctx: Context, draft: Draft) -> Reply | None:
    try:
        activities.check_new(ctx.actor, draft.new(), ctx.now())
    except Refused as refused:
        return refusal(ctx, refused)
    return None


async def start(ctx: Context) -> Reply:
    return await CREATING.start(ctx, "name", Draft())


# -- the states -----------------------------------------------------------------------------


def _skip(ctx: Context, key: str, payload: str) -> tuple[Option, ...]:
    return (Option(ctx.t(key), payload),)


async def _name_prompt(ctx: Context, draft: Draft) -> Reply:
    return ctx.reply("activity.ask_name")


async def _name_answer(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    name = " ".join(answer.split())
    if not name:
        return Stay(ctx.reply("activity.no_name", value=""))
    if len(name) > MAX_NAME:
        return Stay(ctx.reply("activity.name_too_long", value=MAX_NAME))
    return Goto("when", replace(draft, name=name, kind=guess_kind(name)))


async def _when_prompt(ctx: Context, draft: Draft) -> Reply:
    return ctx.reply("activity.ask_when", name=draft.name)


async def _when_answer(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    starts = read_time(ctx, answer)
    if isinstance(starts, Reply):
        return Stay(starts)
    if starts <= ctx.now():
        return Stay(ctx.reply("time.past", phrase=answer))
    return Goto("place", replace(draft, starts_at=starts.isoformat()))


async def _place_prompt(ctx: Context, draft: Draft) -> Reply:
    return ctx.reply("activity.ask_place", options=_skip(ctx, "activity.skip", "actd:skip"))


async def _place_answer(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    if answer == "actd:skip" or fold(answer) in SKIP_WORDS:
        return Goto("places", replace(draft, place=None))
    place = " ".join(answer.split())
    if len(place) > MAX_PLACE:
        return Stay(ctx.reply("activity.place_too_long", value=MAX_PLACE))
    return Goto("places", replace(draft, place=place))


async def _places_prompt(ctx: Context, draft: Draft) -> Reply:
    options = _skip(ctx, "activity.unlimited", "actd:unlimited")
    return ctx.reply("activity.ask_places", options=options)


async def _places_answer(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    if answer == "actd:unlimited":
        return Goto("deadline", replace(draft, capacity=None))
    try:
        capacity = read_places(answer)
    except ActivityInputError as error:
        return Stay(ctx.reply(error.key, value=error.value, options=_skip(
            ctx, "activity.unlimited", "actd:unlimited")))  # fmt: skip
    return Goto("deadline", replace(draft, capacity=capacity))


async def _deadline_prompt(ctx: Context, draft: Draft) -> Reply:
    options = _skip(ctx, "activity.until_start", "actd:start")
    return ctx.reply("activity.ask_deadline", options=options)


async def _deadline_answer(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    deadline = None
    if answer != "actd:start" and fold(answer) not in SKIP_WORDS | {"bat dau", "start"}:
        read_at = read_time(ctx, answer)
        if isinstance(read_at, Reply):
            return Stay(read_at)
        deadline = read_at
        if draft.starts_at and deadline > datetime.fromisoformat(draft.starts_at):
            return Stay(ctx.reply("activity.deadline_after_start"))
    draft = replace(draft, deadline=deadline.isoformat() if deadline else None)
    choices = await _audience_choices(ctx)
    if len(choices) <= 1:  # one unit to choose from: nothing to ask
        reach = ctx.actor.announces_to
        return Goto("confirm", replace(draft, units=reach))
    return Goto("audience", draft)


async def _audience_choices(ctx: Context) -> list[Option]:
    """An admin: everyone, or any one unit; an officer: each of their units, or all of them."""
    if ctx.actor.is_admin:
        every = [unit for unit, _ in await units.list_units(ctx.session)]
        return [Option(ctx.t("activity.audience_all"), "actd:all"),
                *(Option(f"{u.code} — {u.name}", f"actd:unit:{u.id}") for u in every)]  # fmt: skip
    mine = [u for u in ctx.actor.units if ctx.actor.organises_for([u.id])]
    options = [Option(f"{u.code} — {u.name}", f"actd:unit:{u.id}") for u in mine]
    if len(options) > 1:
        return [Option(ctx.t("activity.audience_mine"), "actd:mine"), *options]
    return options


async def _audience_prompt(ctx: Context, draft: Draft) -> Reply:
    return ctx.reply("activity.ask_audience", options=tuple(await _audience_choices(ctx)))


async def _audience_answer(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    chosen: list[int] | None
    if answer == "actd:all":
        chosen = None
    elif answer == "actd:mine":
        chosen = ctx.actor.announces_to
    elif answer.startswith("actd:unit:") and answer.removeprefix("actd:unit:").isdigit():
        chosen = [int(answer.removeprefix("actd:unit:"))]
        if not ctx.actor.organises_for(chosen):
            return Stay(await _audience_prompt(ctx, draft))
    else:
        words = answer.replace(",", " ").split()
        everyone = " ".join(fold(w) for w in words).lstrip("@") in ALL_WORDS
        codes = [] if everyone else [w.lstrip("@") for w in words]
        typed = await resolve_audience(ctx, codes, everyone)
        if isinstance(typed, Reply):
            return Stay(typed)
        chosen = typed
    return Goto("confirm", replace(draft, units=chosen))


async def _confirm_prompt(ctx: Context, draft: Draft) -> Reply:
    """The activity as it will be announced, and how many groups and people it will reach."""
    new = draft.new()
    chosen = await _units(ctx, new.unit_ids)
    zone = ctx.services.zone
    summary = join([
        ctx.t("activity.card_kind", kind=view.kind_name(ctx.t, new.kind)),
        ctx.t("activity.card_when", when=view.moment(ctx.t, zone, new.starts_at)),
        ctx.t("activity.card_place", place=new.place or ctx.t("activity.no_place")),
        ctx.t("activity.card_places", places=(
            ctx.t("activity.places_capacity", capacity=new.capacity) if new.capacity
            else ctx.t("activity.places_no_limit"))),
        ctx.t("activity.card_deadline",
              when=view.moment(ctx.t, zone, new.signup_until or new.starts_at)),
        ctx.t("activity.card_audience", audience=view.audience(ctx.t, chosen)),
    ])  # fmt: skip
    reached = await audience.of_units(ctx.session, new.unit_ids)
    reach = reach_lines(ctx, reached) if reached else ctx.t("activity.reach_nobody")
    options = (
        Option(ctx.t("activity.create_button"), "actd:create"),
        Option(ctx.t("activity.cancel_button"), "actd:cancel"),
    )
    return ctx.reply("activity.confirm", name=new.name, summary=summary, reach=reach,
                     options=options)  # fmt: skip


async def _confirm_answer(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    if answer != "actd:create" and fold(answer) not in ("tao", "co", "ok", "dong y", "yes"):
        return Stay(ctx.reply("activity.confirm_again"))
    try:
        activity = await activities.create(ctx.session, ctx.who, ctx.actor, draft.new(), ctx.now())
    except Refused as refused:  # time passed while the dialog waited
        return End([refusal(ctx, refused)])
    await schedule.wake(ctx.session, [view.REMINDERS])
    reached = await announce(ctx, activity.id, draft.new().unit_ids)
    reach = reach_lines(ctx, reached) if reached else ctx.t("activity.reach_nobody")
    return End([ctx.reply("activity.created", number=activity.id, name=activity.name,
                          reach=reach)])  # fmt: skip


async def _units(ctx: Context, unit_ids: list[int] | None) -> list[Unit]:
    if not unit_ids:
        return []
    found = [await ctx.session.get(Unit, unit_id) for unit_id in unit_ids]
    return sorted((u for u in found if u is not None), key=lambda u: u.code)


async def announce(ctx: Context, activity_id: int, unit_ids: list[int] | None) -> audience.Audience:
    """The new activity's card, with its button, to every reader of its audience (one copy a
    person), in each reader's language; in this transaction, so it goes out only if saved."""
    activity = await activities.open_activity(ctx.session, activity_id)
    reached = await audience.of_units(ctx.session, unit_ids)
    chosen = await _units(ctx, unit_ids)
    by = ctx.person.display_name or ""
    texts: dict[str | None, Reply] = {}
    for chat, language in reached.readers:
        if language not in texts:
            t = ctx.services.catalog.translator(language or ctx.services.default_language)
            text = view.card(t, ctx.services.zone, activity, Tally(), chosen, by)
            texts[language] = Reply(t("activity.announced", card=text),
                                    (view.join_button(t, activity.id),))  # fmt: skip
        await outbox.enqueue(
            ctx.session, chat_id=chat.id, kind="activity", message=texts[language].to_json(),
            dedupe_key=f"activity:{activity.id}:{chat.id}", due_at=ctx.now(),
        )  # fmt: skip
    await ctx.audit("activity.announce", str(activity.id),
                    {"groups": len(reached.groups), "people": len(reached.people)})  # fmt: skip
    return reached


CREATING = DialogTable(
    name=DIALOG,
    payload=Draft,
    states={
        "name": State(_name_prompt, _name_answer, takes="text"),
        "when": State(_when_prompt, _when_answer, takes="text"),
        "place": State(_place_prompt, _place_answer, takes="text"),
        "places": State(_places_prompt, _places_answer, takes="text"),
        "deadline": State(_deadline_prompt, _deadline_answer, takes="text"),
        "audience": State(_audience_prompt, _audience_answer, takes="text"),
        "confirm": State(_confirm_prompt, _confirm_answer),
    },
    cancels=lambda answer: answer == "actd:cancel",
    cancelled="activity.dialog_cancelled",
)

__all__ = ["CREATING", "DIALOG", "Draft", "announce", "one_line", "start"]
