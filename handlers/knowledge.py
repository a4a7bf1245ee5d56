"""/hoi and free text: questions answered from the documents (the campaigns on today and the
agency's library of regulations)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.answers import Answer, Knowledge, answer, mentioned_years, smalltalk
from handlers.answer_view import RenderedAnswer, render
from handlers.context import Context, Translate
from handlers.messages import Reply
from handlers.registry import Command, Feature
from usecases.clock import today as today_in
from usecases.library import CampaignLibrary


async def answer_question(
    library: CampaignLibrary, session: AsyncSession, question: str, today: date
) -> tuple[Answer, Knowledge | None]:
    """The answer from the documents the question is about: the campaigns of the year it
    names, else those on today, with the library."""
    if smalltalk(question) is not None:
        return answer(Knowledge([]), question, today), None
    knowledge = None
    for year in mentioned_years(question):
        knowledge = await library.knowledge(session, today, year=year)
        if knowledge is not None:
            break
    if knowledge is None:
        knowledge = await library.knowledge(session, today)
    if knowledge is None:
        return Answer(False, "no_campaign"), None
    result = answer(knowledge, question, today)
    if result.kind == "other_year":
        years = await library.years(session)
        if not years:  # only the library's regulations: nothing of any year to point to
            return Answer(False, "not_covered"), knowledge
        result.facts["years"] = ", ".join(str(y) for y in years)
    return result, knowledge


def render_answer(t: Translate, result: Answer, knowledge: Knowledge | None) -> RenderedAnswer:
    return render(t, result, knowledge)


async def ask(ctx: Context, question: str) -> list[Reply]:
    today = today_in(ctx.now(), ctx.services.zone)
    result, knowledge = await answer_question(ctx.services.library, ctx.session, question, today)
    return [Reply(render_answer(ctx.t, result, knowledge).text)]


FEATURE = Feature(
    commands=(Command("hoi", "ask", ("hỏi",), ask, writes=False),),
    free_text=ask,
)
