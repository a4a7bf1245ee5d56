"""/hoi and free text: questions answered from the campaign document."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.answers import Answer, Knowledge, answer, mentioned_years
from handlers.answer_view import RenderedAnswer, render
from handlers.context import Context, Translate
from handlers.library import CampaignLibrary
from handlers.messages import Reply
from handlers.registry import Command, Feature
from storage import campaigns


async def answer_question(
    library: CampaignLibrary, session: AsyncSession, question: str, today: date
) -> tuple[Answer, Knowledge | None]:
    """The answer from the campaign the question is about: the year it names, else the
    active (newest) one."""
    knowledge = None
    for year in mentioned_years(question):
        knowledge = await library.of_year(session, year)
        if knowledge is not None:
            break
    if knowledge is None:
        knowledge = await library.active(session)
    if knowledge is None:
        return Answer(False, "no_campaign"), None
    result = answer(knowledge, question, today)
    if result.kind == "other_year":
        known = await campaigns.years(session)
        result.facts["years"] = ", ".join(str(y) for y in known)
    return result, knowledge


def render_answer(t: Translate, result: Answer, knowledge: Knowledge | None) -> RenderedAnswer:
    return render(t, result, knowledge.campaign.year if knowledge else None)


async def ask(ctx: Context, question: str) -> list[Reply]:
    today = ctx.now().astimezone(ctx.services.zone).date()
    result, knowledge = await answer_question(ctx.services.library, ctx.session, question, today)
    return [Reply(render_answer(ctx.t, result, knowledge).text)]


FEATURE = Feature(
    commands=(Command("hoi", "ask", ("hỏi",), ask),),
    free_text=ask,
)
