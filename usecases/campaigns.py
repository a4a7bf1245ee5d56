"""Campaign documents: importing one (`campaign import`, the bundled demo on first start, any
future upload from a chat), which campaign a command means, its registration deadline, its
assessment window, its target rules, and the list of documents with their state.

Parsing a long document takes seconds of CPU: it runs in a worker thread, so the event loop
keeps answering everyone else, and BEFORE the transaction that stores it, so the database
(SQLite has one writer) is held only for the few statements of the write."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.document import MAX_TEXT_CHARS, Document, DocumentError, parse
from campaign.facts import Facts, rating_targets, read_facts
from campaign.inputs import clean_text
from campaign.intake import identity, is_campaign
from campaign.standing import TargetRule, rules_from
from storage import audit, campaigns
from storage.campaigns import DocumentRecord, Saved
from storage.db import Database
from storage.models import CampaignDocument
from usecases.errors import NoCampaign, Refused, Who
from usecases.library import CampaignLibrary, Parsed, dates_of

Reader = Callable[[str, int | None], tuple[Document, Facts, int]]


@dataclass(frozen=True)
class Imported:
    document: Document
    facts: Facts
    year: int
    library: bool
    saved: Saved


def read_document(text: str, year: int | None) -> tuple[Document, Facts, int]:
    """Parse a document and read its facts (CPU work: callers run it in a thread). Raises
    DocumentError when there is nothing to read or no year can be found."""
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentError("document.too_large")
    document = parse(text, year=year)
    facts = read_facts(document)
    found = year or facts.year or document.year
    if found is None:
        raise DocumentError("document.no_year")
    return document, facts, found


async def import_document(
    db: Database,
    text: str,
    source_name: str,
    *,
    year: int | None = None,
    library: bool | None = None,
    demo: bool = False,
    actor: str = "cli",
    reader: Reader = read_document,
) -> Imported:
    """Read and store a document: a campaign, or (`library`, or a regulation when not said) a
    document of the library. The same document imported again replaces its earlier copy; the
    first real import removes the bundled demo. The text is cleaned as typed text is
    (campaign.inputs.clean_text): a NUL in a file is refused by PostgreSQL. `reader` parses
    (in a thread, outside any transaction); tests pass one that waits, to prove nobody waits
    for it."""
    text, source_name = clean_text(text), clean_text(source_name)
    document, facts, found_year = await asyncio.to_thread(reader, text, year)
    in_library = library if library is not None else not is_campaign(document, facts)
    record = DocumentRecord(
        identity=identity(document, found_year),
        year=found_year,
        kind=document.kind.value,
        library=in_library,
        title=document.title,
        number=document.number,
        issuer=document.issuer or "",
        issued_on=document.issued_on,
        signer=document.signature.name if document.signature else "",
        period_start=facts.period.start if not in_library else None,
        period_end=facts.period.end if not in_library else None,
        source_name=source_name,
        text=text,
    )
    async with db.transaction() as session:
        saved = await campaigns.save_document(session, record, demo=demo)
        if not demo:
            await audit.record(
                session,
                actor=actor,
                action="document.import",
                target=str(saved.row.id),
                detail={"year": found_year, "library": in_library, "replaced": saved.replaced},
            )
    return Imported(document, facts, found_year, in_library, saved)


RATING_GRACE = timedelta(days=120)
"""Final ratings and the year-end review run into January: a campaign that ended this long ago
still takes them."""


async def of_year(session: AsyncSession, library: CampaignLibrary, year: int) -> CampaignDocument:
    """The campaign of `year`; refused with the years there are (NoCampaign: none at all)."""
    row = await library.of_year(session, year)
    if row is not None:
        return row
    years = await library.years(session)
    if not years:
        raise NoCampaign("campaign.no_year", {"year": year, "years": "—"})
    raise Refused("campaign.no_year", {"year": year, "years": ", ".join(str(y) for y in years)})


async def campaign_for(
    session: AsyncSession, library: CampaignLibrary, today: date, year: int | None
) -> CampaignDocument:
    """The campaign a command line means: of `year`, else the one on today, else the latest."""
    if year is not None:
        return await of_year(session, library, year)
    row = await library.current(session, today) or await library.latest(session)
    if row is None:
        raise NoCampaign("answer.no_campaign")
    return row


async def recently_ended(
    session: AsyncSession, library: CampaignLibrary, today: date
) -> CampaignDocument | None:
    """The latest campaign when it ended within RATING_GRACE of today."""
    latest = await library.latest(session)
    if latest is None:
        return None
    end = dates_of(latest).span.end
    return latest if end < today <= end + RATING_GRACE else None


async def assessment_open(
    session: AsyncSession, library: CampaignLibrary, row: CampaignDocument, today: date
) -> bool:
    """An admin's setting wins; else the documents' own assessment window; else closed."""
    if row.assessment_open is not None:
        return row.assessment_open
    window = await library.assessment_window(session, row)
    return window is not None and window.covers(today)


async def target_rules(
    session: AsyncSession, library: CampaignLibrary, row: CampaignDocument
) -> tuple[TargetRule, ...]:
    """The rating targets the campaign's documents set (20% excellent, …)."""
    parsed = await library.parsed(session, row)
    targets = rating_targets(parsed.document, parsed.facts)
    return rules_from([(t.percent, t.metric) for t in targets])


async def set_deadline(session: AsyncSession, who: Who, row: CampaignDocument, when: date) -> None:
    """An admin's registration deadline, over the one the documents give."""
    row.registration_deadline = when
    await who.audit(session, "campaign.deadline", str(row.year), {"deadline": when.isoformat()})


@dataclass(frozen=True)
class Listed:
    row: CampaignDocument
    state: str
    """ "library", "active", "ended" or "coming"."""


async def list_documents(
    session: AsyncSession, library: CampaignLibrary, today: date
) -> list[Listed]:
    """Every stored document with its state today (`campaign list`)."""
    rows = await campaigns.list_documents(session)
    active = {row.id for row in await library.active(session, today)}
    listed = []
    for row in rows:
        if row.library:
            state = "library"
        elif row.id in active:
            state = "active"
        else:
            state = "ended" if dates_of(row).span.end < today else "coming"
        listed.append(Listed(row, state))
    return listed


async def document_to_show(
    session: AsyncSession, library: CampaignLibrary, today: date, number: int | None
) -> tuple[CampaignDocument, Parsed]:
    """A document by id, else the campaign on today, else the latest, else the first stored;
    with what was read from it (`campaign show`)."""
    if number is not None:
        row = await campaigns.get_document(session, number)
    else:
        row = await library.current(session, today) or await library.latest(session)
        if row is None:
            documents = await campaigns.list_documents(session)
            row = documents[0] if documents else None
    if row is None:
        raise Refused("cli.document_unknown", {"value": "?" if number is None else number})
    return row, await library.parsed(session, row)
