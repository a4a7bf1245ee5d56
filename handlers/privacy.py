"""/xoadulieu: a person deletes their own data, after confirming."""

from __future__ import annotations

from handlers.context import Context
from handlers.messages import Option, Reply
from handlers.registry import Command, Feature
from storage import audit, forget
from usecases.access import Actor

DIALOG = "forget"
YES, NO = "forget:yes", "forget:no"


async def forget_command(ctx: Context, args: str) -> list[Reply]:
    question = ctx.reply(
        "forget.confirm",
        options=(Option(ctx.t("forget.yes"), YES), Option(ctx.t("forget.no"), NO)),
    )
    return [await ctx.ask(DIALOG, "confirm", question)]


async def forget_answer(ctx: Context, answer: str, step: str, data: dict) -> list[Reply]:
    await ctx.end_dialog()
    if answer != YES:
        return [ctx.reply("forget.cancelled")]
    await forget.forget_person(ctx.session, ctx.person.id)
    # The person is gone: nothing after this reply may write in their name.
    ctx.actor = Actor(person_id=ctx.person.id, is_admin=False)
    # The audit keeps that it happened, not who: no id, no name, no account.
    await audit.record(ctx.session, actor=forget.DELETED, action="person.forget")
    return [ctx.reply("forget.done")]


FEATURE = Feature(
    commands=(Command("xoadulieu", "forgetme", ("xoá dữ liệu",), forget_command, in_groups=False),),
    dialogs={DIALOG: forget_answer},
)
