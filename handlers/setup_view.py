"""The first-run checklist as text, for an admin's /start and /trogiup."""

from __future__ import annotations

from handlers import current
from handlers.context import Context
from handlers.messages import Safe, join
from storage import notices
from usecases.setup import STEPS, checklist


async def setup_lines(ctx: Context) -> Safe | None:
    """The steps with a mark each and the command of those still open; None for a non-admin
    or when everything is set up."""
    if not ctx.actor.is_admin:
        return None
    found = await checklist(ctx.session, ctx.services.library, current.today(ctx))
    if not found.missing:
        return None
    if "campaign" in found.missing:  # said here: the daily "import a document" notice is not
        await notices.first_today(ctx.session, ctx.person.id, "import", current.today(ctx))
    lines = [ctx.t("setup.header")]
    for number, step in enumerate(STEPS, 1):
        mark = "✅" if step in found.done else "⬜"
        key = f"setup.{step}_done" if step in found.done else f"setup.{step}"
        lines.append(
            ctx.t("setup.line", mark=mark, number=number, what=ctx.t(key, year=found.year))
        )
    return join(lines)
