"""A campaign document as people read it: what an import did, the period in words, the facts
read from it (`campaign import|show`, as text and as the JSON of INTERFACE.md)."""

from __future__ import annotations

from datetime import date

from campaign.dates import format_date
from campaign.document import Document, Zone
from campaign.facts import Facts, Period
from handlers.answer_view import document_name
from handlers.context import Translate
from handlers.messages import Safe, join
from usecases.campaigns import Imported, Listed


def imported_line(t: Translate, imported: Imported) -> Safe:
    """What an import did, in one line: which document, where it went, what was read."""
    document, facts = imported.document, imported.facts
    name = document_name(t, document)
    counts = t(
        "cli.imported_counts",
        sections=t("count.sections", count=len(document.headings())),
        deadlines=t("count.deadlines", count=len(facts.deadlines)),
        targets=t("count.targets", count=len(facts.targets)),
        days=t("count.commemorations", count=len(facts.commemorations)),
    )
    if imported.library:
        line = t("cli.imported_library", document=name, counts=counts)
    else:
        line = t(
            "cli.imported_campaign",
            document=name,
            year=imported.year,
            period=period_words(t, facts.period),
            counts=counts,
        )
    notes = []
    if imported.saved.replaced:
        notes.append(t("cli.imported_replaced"))
    if imported.saved.demo_removed:
        notes.append(t("cli.imported_demo_removed"))
    notes.extend(t(f"{key}_note") for key in document.warnings)
    return join([line, *notes], " ")


def period_words(t: Translate, period: Period) -> Safe:
    if period.end is not None:
        if period.start is not None:
            return t("period.range", start=format_date(period.start), end=format_date(period.end))
        return t("period.until", end=format_date(period.end))
    if period.open_end:
        return t("period.open", until=period.open_end)
    return t("period.unknown")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def document_facts(document: Document, facts: Facts, year: int) -> dict[str, object]:
    """The facts of `campaign show --json` (INTERFACE.md): dates ISO, null when not given."""
    signature = document.signature
    return {
        "kind": document.kind.value,
        "title": document.title,
        "issuer": document.issuer,
        "issuer_parent": document.letterhead.parent,
        "number": document.number,
        "issued_on": _iso(document.issued_on),
        "place": document.letterhead.place,
        "signer": signature.name if signature else None,
        "signer_position": signature.position if signature else None,
        "signature": list(signature.lines) if signature else [],
        "year": year,
        "period": {
            "start": _iso(facts.period.start),
            "end": _iso(facts.period.end),
            "text": facts.period.text,
            "until": facts.period.open_end,
            "rounds": [
                {"start": _iso(a), "end": _iso(b), "text": words}
                for a, b, words in facts.period.rounds
            ],
        },
        "deadlines": [
            {
                "date": _iso(d.date),
                "start": _iso(d.start),
                "when": d.when,
                "text": d.text,
                "who": d.who,
                "yearly": d.yearly,
            }
            for d in facts.deadlines
        ],
        "targets": [{"value": x.value, "text": x.text, "metric": x.metric} for x in facts.targets],
        "theme": facts.theme,
        "slogan": _motto(facts, "slogan"),
        "motto": _motto(facts, "motto"),
        "awards": [a.name for a in facts.awards],
        "duties": [{"body": d.body, "text": d.text} for d in facts.duties],
        "commemorations": [
            {
                "date": _iso(_day_of(c.year, c.month, c.day)),
                "name": c.name,
                "anniversary": c.anniversary,
                "first_year": c.first_year,
            }
            for c in facts.commemorations
        ],
        "addressees": document.addressees,
        "recipients": document.recipients,
        "attachments": [k.value for k in document.attachments],
        "sections": [p.text for p in document.headings() if p.zone != Zone.TITLE],
        "warnings": document.warnings,
    }


def _motto(facts: Facts, kind: str) -> str | None:
    found = facts.motto(kind)
    return found.text if found else None


def _day_of(year: int, month: int | None, day: int | None) -> date | None:
    if not (month and day):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def document_summary(t: Translate, document: Document, facts: Facts, year: int) -> Safe:
    """`campaign show` for a person: what the bot read from the document."""
    lines = [t("show.document", document=document_name(t, document), title=document.title)]
    if document.issued_on:
        lines.append(t("show.issued", date=format_date(document.issued_on)))
    if document.signature:
        lines.append(
            t(
                "show.signer",
                position=document.recased(document.signature.position),
                name=document.signature.name,
            )
        )
    lines.append(t("show.period", period=period_words(t, facts.period)))
    if facts.theme:
        lines.append(t("show.theme", theme=facts.theme))
    for deadline in facts.deadlines:
        when = format_date(deadline.date) if deadline.date else deadline.when
        lines.append(t("show.deadline", date=when, text=deadline.text))
    if facts.targets:
        lines.append(t("show.targets", targets=", ".join(x.value for x in facts.targets)))
    for day in facts.commemorations:
        lines.append(t("show.day", name=day.name, anniversary=day.anniversary, year=day.year))
    lines.append(t("show.sections", count=len(document.headings())))
    lines.extend(t(key) for key in document.warnings)
    return join(lines)


def listed_fields(t: Translate, item: Listed) -> list[str]:
    """A line of `campaign list`: year, id, kind and number, period, title, issuer, state."""
    row = item.row
    period = (
        Safe("") if row.library else period_words(t, Period(row.period_start, row.period_end, ""))
    )
    state = t(f"cli.state_{item.state}")
    if row.demo:
        state = t("cli.state_demo", state=state)
    name = t(f"kind.{row.kind}") + (f" {row.number}" if row.number else "")
    return [str(row.year), f"#{row.id}", name, period, row.title, row.issuer, state]
