"""/trangthai: the bot's status for admins, as `python -m bot status` prints it."""

from __future__ import annotations

from campaign.roles import Role
from handlers.context import Context
from handlers.messages import Reply
from handlers.registry import Command, Feature
from handlers.status_view import render
from usecases import status
from usecases.clock import today


async def status_command(ctx: Context, args: str) -> list[Reply]:
    report = await status.report(
        ctx.session,
        ctx.services.library,
        today(ctx.now(), ctx.services.zone),
        ctx.services.platforms.names(),
    )
    return [Reply(render(ctx.t, report, ctx.services.zone), key="status.title")]


FEATURE = Feature(
    commands=(
        Command("trangthai", "status", ("trạng thái",), status_command, required=Role.ADMIN,
                writes=False),
    )
)  # fmt: skip
