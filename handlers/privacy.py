"""/xoadulieu: a person deletes their own data, after confirming."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.context import Context
from handlers.dialog import DialogTable, End, Outcome, State
from handlers.messages import Option, Reply
from handlers.registry import Command, Feature
from usecases.access import Actor
from usecases.privacy import forget_me

DIALOG = "forget"
YES, NO = "forget:yes", "forget:no"


@dataclass
class Nothing:
    """The confirmation remembers nothing: it is about the person who answers."""


async def forget_command(ctx: Context, args: str) -> list[Reply]:
    if ctx.incoming.chat_kind != "private":  # the question and its answer are nobody else's
        return [ctx.reply("forget.private_only")]
    return [await FORGET.start(ctx, "confirm", Nothing())]


async def _confirm_prompt(ctx: Context, nothing: Nothing) -> Reply:
    return ctx.reply(
        "forget.confirm",
        options=(Option(ctx.t("forget.yes"), YES), Option(ctx.t("forget.no"), NO)),
    )


async def _confirm_answer(ctx: Context, answer: str, nothing: Nothing) -> Outcome[Nothing]:
    if answer != YES:
        return End([ctx.reply("forget.cancelled")])
    await forget_me(ctx.session, ctx.person.id)
    # The person is gone: nothing after this reply may write in their name.
    ctx.actor = Actor(person_id=ctx.person.id, is_admin=False)
    return End([ctx.reply("forget.done")])


FORGET = DialogTable(DIALOG, Nothing, {"confirm": State(_confirm_prompt, _confirm_answer)})


FEATURE = Feature(
    commands=(Command("xoadulieu", "forgetme", ("xoá dữ liệu",), forget_command, in_groups=False),),
    dialogs={DIALOG: FORGET.answer},
)
