"""/binhchon (/poll): quick polls of the union and the youth union.

- `/binhchon` lists the open polls meant for you (number = the poll's id, question, closing
  time, what you chose) and those closed in the last week with their results;
- `/binhchon <n>` shows one poll, its buttons and (to its creator and admins always, to a
  member once they voted or once it closed) the counts;
- `/binhchon them <question>; <option>; <option>…` (outreach, lead, admin) makes one, with
  trailing settings (campaign/polls.py); `/binhchon them` alone asks step by step;
- `/binhchon dong <n>`: its creator or an admin closes it before its time.

The poll goes through the outbox to its audience's groups and privately to members no group
reaches (storage/audience.py), one button per option ("poll:<id>:<position>"); a press is a
vote (usecases/polls.py). The results go out when it closes (bot/scheduler.py, `_polls`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from campaign.inputs import MAX_ID, is_number, read_int
from campaign.polls import (
    MAX_OPTIONS,
    MIN_OPTIONS,
    PollError,
    PollSpec,
    check,
    check_option,
    check_question,
    parse,
)
from campaign.roles import Role
from campaign.text import fold
from handlers.context import Context
from handlers.dialog import DialogTable, End, Goto, Outcome, State, Stay
from handlers.formatting import refusal, unit_label
from handlers.messages import Attachment, Option, Reply, Safe, join
from handlers.poll_view import (
    announce_results,
    buttons,
    chart,
    chart_name,
    chosen_text,
    kind,
    moment,
    poll_message,
    result_lines,
    results_text,
    summary,
)
from handlers.registry import Command, Feature
from handlers.reminders import reach_lines
from storage import chats, dialogs, outbox, polls
from usecases import polls as usecase
from usecases.errors import Refused

CREATE_WORDS = frozenset({"them", "add", "tao", "new", "create"})
CLOSE_WORDS = frozenset({"dong", "close", "ket thuc"})
DONE_WORDS = frozenset({"xong", "done", "het", "thoi xong", "ok"})
NEW_POLL = "poll_new"


def _error(ctx: Context, error: PollError) -> Reply:
    return Reply(ctx.t(error.key, **error.values), key=error.key)


async def poll_command(ctx: Context, args: str) -> list[Reply]:
    words = args.split(maxsplit=1)
    if not words:
        return [await _listing(ctx)]
    first, rest = fold(words[0]), words[1] if len(words) > 1 else ""
    if first in CREATE_WORDS:
        return await _create_command(ctx, rest)
    if first in CLOSE_WORDS:
        return await _close_command(ctx, rest)
    number = args.strip().lstrip("#")
    if is_number(number):
        return await _show(ctx, read_int(number, 1, MAX_ID))
    return [ctx.reply("poll.usage")]


# -- making a poll --------------------------------------------------------------------------


async def _create_command(ctx: Context, rest: str) -> list[Reply]:
    if not ctx.actor.may_use(Role.OUTREACH):
        return [ctx.reply("poll.not_allowed", command="/binhchon them")]
    if not rest.strip():
        return [await NEW.start(ctx, "question", Draft())]
    try:
        spec = parse(rest)
    except PollError as error:
        return [_error(ctx, error), ctx.reply("poll.usage")]
    return [await _create(ctx, spec)]


async def _create(ctx: Context, spec: PollSpec) -> Reply:
    """Store the poll and put it into the outbox for everyone it reaches, in the same
    transaction: it goes out if and only if it was made."""
    now = ctx.now().astimezone(ctx.services.zone)
    try:
        created = await usecase.create_poll(ctx.session, ctx.who, ctx.actor, spec, now)
    except Refused as refused:
        return refusal(ctx, refused)
    poll, by = created.poll, ctx.person.display_name or ""
    for chat, language in created.reached.readers:
        t = ctx.services.catalog.translator(language or ctx.services.default_language)
        message = poll_message(t, ctx.services.zone, poll, created.options, by).to_json()
        await outbox.enqueue(
            ctx.session, chat_id=chat.id, kind="poll", message=message,
            dedupe_key=f"poll:{poll.id}:{chat.id}", due_at=ctx.now(),
        )  # fmt: skip
    audience = (
        join([unit_label(ctx, unit) for unit in created.units], ", ")
        if created.units
        else ctx.t("poll.everyone")
    )
    return ctx.reply(
        "poll.created", id=poll.id, question=poll.question, kind=kind(ctx.t, poll),
        closes=moment(ctx.services.zone, poll.closes_at), audience=audience,
        reach=reach_lines(ctx, created.reached),
    )  # fmt: skip


@dataclass
class Draft:
    """What the guided dialog has gathered so far."""

    question: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    anonymous: bool = False


DONE = Option("", "polldlg:done")
KINDS = (
    ("poll.kind_button_single", "polldlg:kind:0:0"),
    ("poll.kind_button_multiple", "polldlg:kind:1:0"),
    ("poll.kind_button_single_anonymous", "polldlg:kind:0:1"),
    ("poll.kind_button_multiple_anonymous", "polldlg:kind:1:1"),
)


async def _ask_question(ctx: Context, draft: Draft) -> Reply:
    return ctx.reply("poll.ask_question")


async def _on_question(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    try:
        question = check_question(answer)
    except PollError as error:
        return Stay(_error(ctx, error))
    return Goto("options", Draft(question=question))


def _done_button(ctx: Context) -> tuple[Option, ...]:
    return (Option(ctx.t("poll.done_button"), DONE.payload),)


async def _ask_options(ctx: Context, draft: Draft) -> Reply:
    return ctx.reply("poll.ask_options", maximum=MAX_OPTIONS, options=_done_button(ctx))


async def _on_option(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    if answer == DONE.payload or fold(answer).strip(" .!") in DONE_WORDS:
        if len(draft.options) < MIN_OPTIONS:
            return Stay(ctx.reply("poll.too_few_options", minimum=MIN_OPTIONS,
                                  options=_done_button(ctx)))  # fmt: skip
        return Goto("kind", draft)
    options = list(draft.options)
    try:
        for piece in answer.replace("\n", ";").split(";"):
            if piece.strip():
                options.append(check_option(piece, tuple(options)))
        if len(options) > MAX_OPTIONS:
            raise PollError("poll.too_many_options", maximum=MAX_OPTIONS, count=len(options))
    except PollError as error:
        return Stay(_error(ctx, error))
    noted = Draft(draft.question, options)
    listed = join([ctx.t("poll.option_line", number=n, option=o) for n, o in enumerate(options, 1)])
    reply = ctx.reply("poll.options_noted", options=_done_button(ctx), listed=listed)
    return Goto("options", noted, reply)


async def _ask_kind(ctx: Context, draft: Draft) -> Reply:
    options = tuple(Option(ctx.t(key), payload) for key, payload in KINDS)
    return ctx.reply("poll.ask_kind", options=options)


async def _on_kind(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    if answer.startswith("polldlg:kind:"):
        multiple, anonymous = (part == "1" for part in answer.split(":")[2:4])
    else:
        folded = fold(answer)
        multiple = any(word in folded for word in ("nhieu", "multiple"))
        anonymous = any(word in folded for word in ("an danh", "anonymous", "kin"))
    return Goto("closes", Draft(draft.question, draft.options, multiple, anonymous))


async def _ask_closes(ctx: Context, draft: Draft) -> Reply:
    default = Option(ctx.t("poll.default_button"), "polldlg:default")
    return ctx.reply("poll.ask_closes", options=(default,))


async def _on_closes(ctx: Context, answer: str, draft: Draft) -> Outcome[Draft]:
    phrase = None if answer == "polldlg:default" else answer
    spec = PollSpec(draft.question, tuple(draft.options), draft.multiple, draft.anonymous, phrase)
    try:
        check(spec.question, spec.options)
    except PollError as error:
        return End([_error(ctx, error)])
    reply = await _create(ctx, spec)
    key = reply.key or ""
    if key.startswith("time.") or key == "poll.closes_too_far":
        return Stay(reply)  # a closing time that cannot be used: ask again
    return End([reply])


NEW = DialogTable(
    NEW_POLL,
    Draft,
    {
        "question": State(_ask_question, _on_question, takes="question"),
        "options": State(_ask_options, _on_option, takes="text"),
        "kind": State(_ask_kind, _on_kind),
        "closes": State(_ask_closes, _on_closes, takes="text"),
    },
)


# -- voting, showing, listing, closing ---------------------------------------------------


async def vote_button(ctx: Context, argument: str) -> list[Reply]:
    """A press of "poll:<id>:<position>": a vote; a forged or foreign press stores nothing."""
    poll_part, _, position_part = argument.partition(":")
    poll_id = read_int(poll_part, 1, MAX_ID)
    position = read_int(position_part, 1, MAX_ID)
    try:
        voted = await usecase.vote(ctx.session, ctx.actor, poll_id, position, ctx.now())
    except Refused as refused:
        return [refusal(ctx, refused)]
    poll = voted.poll
    if not voted.chosen:
        reply = ctx.reply("poll.withdrawn", id=poll.id, question=poll.question)
    else:
        reply = ctx.reply("poll.voted", id=poll.id, question=poll.question,
                          choices=chosen_text(ctx.t, voted.options, voted.chosen))  # fmt: skip
    if ctx.incoming.chat_kind == "group":
        return [await _noted_in_group(ctx, voted, reply)]
    if poll.multiple:  # more presses to come: the options again, numbered where no buttons
        return [await _offer(ctx, Reply(reply.text, buttons(poll, voted.options), key=reply.key))]
    return [reply]


async def _noted_in_group(ctx: Context, voted: usecase.Voted, reply: Reply) -> Reply:
    """A press in a group: the group hears that a vote was noted, never what it was (the
    others read it, and the poll may be anonymous); the voter reads their choices privately,
    through the outbox, when they have a private chat with the bot on this app."""
    poll = voted.poll
    private = await chats.private_chat(ctx.session, ctx.person.id, ctx.account.platform)
    if private is not None:
        await outbox.enqueue(
            ctx.session, chat_id=private.id, kind="poll", text=reply.text, due_at=ctx.now(),
            dedupe_key=f"poll-vote:{poll.id}:{ctx.person.id}:{uuid.uuid4().hex[:12]}",
        )  # fmt: skip
    return ctx.reply("poll.noted_in_group", id=poll.id, name=ctx.person.display_name or "")


async def _offer(ctx: Context, reply: Reply) -> Reply:
    """Options a number typed next may choose (console, Zalo): remembered like a push's."""
    return await ctx.ask(dialogs.PUSHED_CHOICE, "offered", reply)


async def _show(ctx: Context, poll_id: int | None) -> list[Reply]:
    try:
        seen = await usecase.seen_by(ctx.session, ctx.actor, poll_id, ctx.now())
    except Refused as refused:
        return [refusal(ctx, refused)]
    poll, zone = seen.poll, ctx.services.zone
    state = (
        ctx.t("poll.state_open", closes=moment(zone, poll.closes_at))
        if usecase.is_open(poll, ctx.now())
        else ctx.t("poll.state_closed", closes=moment(zone, poll.closed_at or poll.closes_at))
    )
    lines: list[Safe] = [ctx.t("poll.show", id=poll.id, question=poll.question,
                               kind=kind(ctx.t, poll), state=state)]  # fmt: skip
    if seen.chosen:
        lines.append(ctx.t("poll.you_chose", choices=chosen_text(ctx.t, seen.options, seen.chosen)))
    if seen.results is None:
        lines.append(ctx.t("poll.counts_hidden"))
    else:
        lines.extend(result_lines(ctx.t, seen.results))
    text = join(lines)
    if not seen.may_vote:
        return [Reply(text, key="poll.show")]
    return [await _offer(ctx, Reply(text, buttons(poll, seen.options), key="poll.show"))]


async def _listing(ctx: Context) -> Reply:
    found = await usecase.listing(ctx.session, ctx.actor, ctx.now())
    if not found.open and not found.closed:
        return ctx.reply("poll.none")
    zone, lines = ctx.services.zone, []
    if found.open:
        lines.append(ctx.t("poll.list_header", count=len(found.open)))
        for poll in found.open:
            chosen = found.chosen.get(poll.id)
            options = await polls.options(ctx.session, poll.id) if chosen else []
            mark = (
                ctx.t("poll.mark_chosen", choices=chosen_text(ctx.t, options, chosen))
                if chosen
                else ctx.t("poll.mark_not_voted")
            )
            lines.append(ctx.t("poll.list_line", id=poll.id, question=poll.question,
                               closes=moment(zone, poll.closes_at), mark=mark))  # fmt: skip
    if found.closed:
        lines.append(ctx.t("poll.closed_header"))
        for result in found.closed:
            line = ctx.t("poll.closed_line", id=result.poll.id, question=result.poll.question,
                         summary=summary(ctx.t, result))  # fmt: skip
            lines.append(line)
    lines.append(ctx.t("poll.list_footer"))
    return Reply(join(lines), key="poll.list")


async def _close_command(ctx: Context, rest: str) -> list[Reply]:
    number = rest.strip().lstrip("#")
    if not is_number(number):
        return [ctx.reply("poll.close_usage")]
    try:
        poll = await usecase.close_poll(
            ctx.session, ctx.who, ctx.actor, read_int(number, 1, MAX_ID)
        )
    except Refused as refused:
        return [refusal(ctx, refused)]
    await announce_results(ctx.session, ctx.services, poll, ctx.now(), told=ctx.person.id)
    found = await usecase.results(ctx.session, poll, with_names=True)
    png = await chart(ctx.t, found)
    text = join([ctx.t("poll.closed_early", id=poll.id),
                 results_text(ctx.t, ctx.services.zone, found)], "\n\n")  # fmt: skip
    picture = Attachment(chart_name(poll), png, kind="photo")
    return [Reply(text, file=picture, key="poll.closed_early")]


FEATURE = Feature(
    commands=(
        Command(
            "binhchon",
            "poll",
            ("bình chọn", "biểu quyết"),
            poll_command,
            required=Role.MEMBER,
            more_for=Role.OUTREACH,
        ),
    ),
    dialogs={NEW_POLL: NEW.answer},
    buttons={"poll:": vote_button},
)
