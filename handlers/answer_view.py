"""How an Answer reads in a chat (or on the command line): facts, then the quotes, each with
the section it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from campaign.answers import Answer, Quote
from campaign.calendar import Occurrence
from campaign.dates import format_date, weekday_key
from campaign.document import APPENDIX, PREAMBLE, RECIPIENTS, SIGNATURE
from handlers.context import Translate
from handlers.messages import Safe, join


@dataclass(frozen=True)
class RenderedAnswer:
    text: Safe
    sources: list[Safe]


def source_label(t: Translate, section: str) -> Safe:
    if section == PREAMBLE:
        return t("section.preamble")
    if section == RECIPIENTS:
        return t("section.recipients")
    if section == SIGNATURE:
        return t("section.signature")
    if section.startswith(APPENDIX):
        return t("section.appendix", number=section.split(".", 1)[1])
    return t("section.body", number=section)


def day_label(t: Translate, when: date) -> Safe:
    return t("format.day", weekday=t(weekday_key(when)), date=format_date(when))


def occurrence_line(t: Translate, occurrence: Occurrence, number: int | None = None) -> Safe:
    """One day of the calendar: "• Thứ Ba, 04/11/2025: … — còn 3 ngày", or numbered ("2. …")
    where the number is what an admin types to remove it."""
    anniversary = (
        t("events.anniversary", number=occurrence.anniversary)
        if occurrence.anniversary
        else Safe("")
    )
    left = (
        t("events.today")
        if occurrence.days_left == 0
        else t("events.days_left", days=occurrence.days_left)
    )
    values = {
        "day": day_label(t, occurrence.date),
        "name": occurrence.observance.name,
        "anniversary": anniversary,
        "left": left,
    }
    if number is not None:
        return t("events.item", number=number, **values)
    return t("events.line", **values)


def render(t: Translate, answer: Answer, year: int | None = None) -> RenderedAnswer:
    facts = answer.facts
    lines: list[Safe] = []
    kind = answer.kind
    if kind == "period":
        start = facts["start"]
        lines.append(
            t(
                "answer.period",
                start=t("answer.period_from", date=format_date(start))  # type: ignore[arg-type]
                if start
                else t("answer.period_from_launch"),
                end=format_date(facts["end"]),  # type: ignore[arg-type]
            )
        )
    elif kind == "signer":
        lines.append(t("answer.signer", title=facts["title"], name=facts["name"]))
    elif kind == "basis":
        lines.append(t("answer.basis"))
    elif kind == "theme":
        lines.append(t("answer.theme", year=facts["year"], theme=facts["theme"]))
    elif kind == "recipients":
        lines.append(t("answer.recipients"))
    elif kind == "targets":
        lines.append(t("answer.targets", year=facts["year"]))
    elif kind == "overview":
        parts = join([f"• {p}" for p in facts["parts"]])  # type: ignore[attr-defined]
        lines.append(
            t("answer.overview", title=facts["title"], issuer=facts["issuer"], parts=parts)
        )
    elif kind == "event":
        occurrence: Occurrence = facts["occurrence"]  # type: ignore[assignment]
        lines.append(occurrence_line(t, occurrence))
        if occurrence.observance.dated_by == "table":
            lines.append(t("answer.date_from_table"))
    elif kind == "events":
        lines.append(t("answer.upcoming"))
        lines.extend(occurrence_line(t, o) for o in facts["occurrences"])  # type: ignore[attr-defined]
    elif kind == "campaign_days":
        lines.append(t("answer.campaign_days", year=year or ""))
        lines.extend(occurrence_line(t, o) for o in facts["occurrences"])  # type: ignore[attr-defined]
    elif kind == "clauses":
        lines.append(t("answer.from_document", year=year or ""))
    elif kind == "other_year":
        lines.append(t("answer.other_year", year=facts["year"], years=facts.get("years", "")))
    elif kind == "too_long":
        lines.append(t("answer.too_long", limit=facts["limit"]))
    elif kind in ("empty", "english", "not_covered", "no_campaign"):
        lines.append(t(f"answer.{kind}"))
    sources = _sources(t, answer.quotes)
    quotes = [_quote(t, q) for q in answer.quotes if kind != "campaign_days"]
    if kind == "campaign_days" and answer.quotes:
        sources = _sources(t, answer.quotes[:1])
        lines.append(t("answer.read_in", source=sources[0]))
    return RenderedAnswer(join([*lines, *quotes]), sources)


def _quote(t: Translate, quote: Quote) -> Safe:
    return t("answer.quote", source=source_label(t, quote.section), text=quote.text)


def _sources(t: Translate, quotes: list[Quote]) -> list[Safe]:
    labels: list[Safe] = []
    for quote in quotes:
        label = source_label(t, quote.section)
        if label not in labels:
            labels.append(label)
    return labels
