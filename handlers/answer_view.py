"""How an Answer reads in a chat (or on the command line): what the bot knows, then the
documents' own words, each under the place it stands ("Điều 6, khoản 1 (Xếp loại hằng năm)")
and, when several documents are searched, the document it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from campaign.answers import Answer, Knowledge, Quote
from campaign.calendar import Occurrence
from campaign.dates import format_date, weekday_key
from campaign.document import Document, Locator, locator
from handlers.context import Translate
from handlers.messages import Safe, join

MAX_TRAIL = 140
"""A heading longer than this is a sentence, not a title: it is not repeated in the trail."""


@dataclass(frozen=True)
class RenderedAnswer:
    text: Safe
    sources: list[Safe]


def locator_label(t: Translate, where: Locator) -> Safe:
    """ "Điều 6, khoản 1, điểm a", "Mục II.1", "Quy định, Chương II, Điều 3", "Phần mở đầu"."""
    parts: list[Safe] = []
    for kind, label in where:
        if kind == "zone":
            parts.append(t(f"section.{label}"))
        elif kind == "attachment":
            parts.append(t("locator.attachment", label=label))
        else:
            parts.append(t(f"locator.{kind}", label=label))
    return join(parts, ", ")


def document_name(t: Translate, document: Document) -> Safe:
    """ "Kế hoạch số 0125/KH-UBND của Ủy ban nhân dân tỉnh Đắk Lắk"."""
    kind = t(f"kind.{document.kind.value}")
    if document.number:
        name = t("document.name_numbered", kind=kind, number=document.number)
    else:
        name = t("document.name_titled", kind=kind, title=_short(document.title, 90))
    if document.issuer:
        return t("document.name_by", name=name, issuer=document.issuer)
    return name


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


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
        else t("events.days_left", count=occurrence.days_left)
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


def render(t: Translate, answer: Answer, knowledge: Knowledge | None) -> RenderedAnswer:
    facts = answer.facts
    lines: list[Safe] = []
    kind = answer.kind
    entry = (
        knowledge.entries[answer.entry]
        if knowledge is not None and answer.entry is not None
        else None
    )
    name = document_name(t, entry.document) if entry else Safe("")
    if kind == "period":
        lines.append(_period_line(t, facts))
    elif kind == "no_period":
        lines.append(t("answer.no_period", document=name))
    elif kind == "signer":
        position = str(facts["position"])
        if entry is not None:  # "GIÁM ĐỐC" as the document writes it: "Giám đốc"
            position = entry.document.recased(position)
        lines.append(t("answer.signer", position=position, name=facts["name"]))
    elif kind == "number":
        lines.append(t("answer.number", document=name))
    elif kind == "issuer":
        lines.append(t("answer.issuer", issuer=facts["issuer"]))
    elif kind == "basis":
        lines.append(t("answer.basis"))
    elif kind == "motto":
        lines.append(t(f"answer.motto.{facts['kind']}", text=facts["text"]))
    elif kind == "recipients":
        lines.append(t("answer.recipients"))
    elif kind == "targets":
        lines.append(t("answer.targets", year=facts["year"] or ""))
    elif kind == "overview":
        parts = join([f"• {p}" for p in facts["parts"]])
        lines.append(
            t("answer.overview", title=facts["title"], issuer=facts["issuer"], parts=parts)
        )
    elif kind == "event":
        occurrence: Occurrence = facts["occurrence"]
        lines.append(occurrence_line(t, occurrence))
        if occurrence.observance.dated_by == "table":
            lines.append(t("answer.date_from_table"))
    elif kind == "events":
        lines.append(t("answer.upcoming"))
        lines.extend(occurrence_line(t, o) for o in facts["occurrences"])
    elif kind == "campaign_days":
        lines.append(t("answer.campaign_days", document=name))
        lines.extend(occurrence_line(t, o) for o in facts["occurrences"])
    elif kind in ("passages", "duty"):
        lines.append(t("answer.from_document", document=name))
    elif kind == "other_year":
        lines.append(t("answer.other_year", year=facts["year"], years=facts.get("years", "")))
    elif kind == "too_long":
        lines.append(t("answer.too_long", limit=facts["limit"], length=facts["length"]))
    elif kind == "smalltalk":
        lines.append(t(f"answer.smalltalk.{facts['kind']}"))
    elif kind in ("empty", "english", "not_covered", "no_campaign"):
        lines.append(t(f"answer.{kind}"))
    if entry is not None and entry.ended is not None and answer.found:
        lines.append(t("answer.campaign_ended", date=format_date(entry.ended)))
    quotes = answer.quotes if knowledge is not None else []
    sources = _sources(t, knowledge, quotes) if knowledge is not None else []
    if kind == "campaign_days" and quotes:
        lines.append(t("answer.read_in", source=sources[0]))
    else:
        several = knowledge is not None and len({q.entry for q in quotes}) > 1
        lines.extend(_quote(t, knowledge, q, several) for q in quotes if knowledge is not None)
    return RenderedAnswer(join(lines), sources)


def _period_line(t: Translate, facts: dict[str, object]) -> Safe:
    start, end = facts["start"], facts["end"]
    if isinstance(end, date):
        if isinstance(start, date):
            return t("answer.period_range", start=format_date(start), end=format_date(end))
        if facts["from_issue"]:
            return t("answer.period_launch", end=format_date(end))
        return t("answer.period_until", end=format_date(end))
    if facts["open_end"]:
        return t("answer.period_open", until=facts["open_end"])
    return t("answer.period_no_end")


def _quote(t: Translate, knowledge: Knowledge, quote: Quote, several: bool) -> Safe:
    label = _label(t, knowledge, quote, several)
    lines = [t("answer.quote", source=label, text=quote.text)]
    if quote.header:
        lines.append(t("answer.table_header", header=quote.header))
    lines.extend(t("answer.item", text=item) for item in quote.items)
    lines.extend(t("answer.note", text=note) for note in quote.notes)
    return join(lines)


def _label(t: Translate, knowledge: Knowledge, quote: Quote, several: bool) -> Safe:
    document = knowledge.entries[quote.entry].document
    if quote.passage is None:
        return document_name(t, document)
    where = locator_label(t, locator(document, quote.passage))
    trail = _trail(document, quote.passage)
    if trail:
        where = t("answer.where_titled", where=where, titles=trail)
    if several:
        return t("answer.where_in", where=where, document=document_name(t, document))
    return where


def _trail(document: Document, index: int) -> str:
    """The titles of the headings a passage stands under ("Xếp loại hằng năm › Hoàn thành
    xuất sắc"), in the case the document writes them; long lead-in sentences are left out."""
    titles = []
    for ancestor in document.ancestors(index):
        body = ancestor.body.strip().rstrip(":")
        if not ancestor.heading or not body or len(body) > MAX_TRAIL:
            continue
        if ancestor.marker and ancestor.marker.kind == "attachment":
            continue
        recased = document.recased(body)
        titles.append(recased[0].upper() + recased[1:])
    return " › ".join(titles)


def _sources(t: Translate, knowledge: Knowledge, quotes: list[Quote]) -> list[Safe]:
    labels: list[Safe] = []
    for quote in quotes:
        document = knowledge.entries[quote.entry].document
        label = (
            locator_label(t, locator(document, quote.passage))
            if quote.passage is not None
            else document_name(t, document)
        )
        if label not in labels:
            labels.append(label)
    return labels
