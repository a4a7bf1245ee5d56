"""/trogiup: what this person may do, for their role, in their language."""

from __future__ import annotations

from collections.abc import Callable

from handlers.context import Context
from handlers.formatting import role_name, shown_name
from handlers.messages import Reply, join
from handlers.registry import Command, Feature, Registry


def make_feature(registry: Callable[[], Registry]) -> Feature:
    """/trogiup lists the registry it belongs to; the registry is built after the features."""

    async def show_help(ctx: Context, args: str) -> list[Reply]:
        level = ctx.actor.level
        lines = [
            ctx.t("help.line", command=shown_name(ctx, command), what=ctx.t(command.help_key))
            for command in registry().commands
            if ctx.actor.may_use(command.required)
            and (ctx.incoming.chat_kind == "private" or command.in_groups)
        ]
        header = (
            ctx.t("help.header_role", role=role_name(ctx, level))
            if level is not None
            else ctx.t("help.header_guest")
        )
        return [Reply(join([header, join(lines), ctx.t("help.footer")], "\n\n"))]

    return Feature(
        commands=(Command("trogiup", "help", ("trợ giúp", "giúp đỡ"), show_help, writes=False),)
    )
