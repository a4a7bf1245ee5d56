"""Importing a document: the one use case behind `campaign import`, the bundled demo on first
start, and any future upload from a chat.

Parsing a long document takes seconds of CPU: it runs in a worker thread, so the event loop
keeps answering everyone else, and BEFORE the transaction that stores it, so the database
(SQLite has one writer) is held only for the few statements of the write."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from campaign.document import MAX_TEXT_CHARS, Document, DocumentError, parse
from campaign.facts import Facts, read_facts
from campaign.inputs import clean_text
from campaign.intake import identity, is_campaign
from storage import audit, campaigns
from storage.campaigns import DocumentRecord, Saved
from storage.db import Database

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
