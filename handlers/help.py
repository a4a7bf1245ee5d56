"""/trogiup: what this person may do, for their role, in their language."""

from __future__ import annotations

from collections.abc import Callable

from handlers.context import Context
from handlers.formatting import role_name, shown_name
from handlers.messages import Reply, Safe, join
from handlers.registry import Command, Feature, Registry
from handlers.setup_view import setup_lines


def _what(ctx: Context, command: Command) -> Safe:
    """What a command does, with what leads or admins may do besides when the reader may."""
    what = ctx.t(command.help_key)
    if command.more_for is not None and ctx.actor.may_use(command.more_for):
        return join([what, ctx.t(f"help_more.{command.name}")], "; ")
    return what


def make_feature(registry: Callable[[], Registry]) -> Feature:
    """/trogiup lists the registry it belongs to; the registry is built after the features."""

    async def show_help(ctx: Context, args: str) -> list[Reply]:
        level = ctx.actor.level
        lines = [
            ctx.t("help.line", command=shown_name(ctx, command), what=_what(ctx, command))
            for command in registry().commands
            if ctx.actor.may_use(command.required)
            and (ctx.incoming.chat_kind == "private" or command.in_groups)
        ]
        header = (
            ctx.t("help.header_role", role=role_name(ctx, level))
            if level is not None
            else ctx.t("help.header_guest")
        )
        steps = await setup_lines(ctx)  # an admin: what is still to set up
        parts = [header, join(lines), *([steps] if steps else []), ctx.t("help.footer")]
        return [Reply(join(parts, "\n\n"))]

    return Feature(
        commands=(Command("trogiup", "help", ("trợ giúp", "giúp đỡ"), show_help, writes=False),)
    )
