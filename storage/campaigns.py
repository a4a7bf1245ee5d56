"""Imported documents: the campaigns and the library of regulations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from storage.locks import DOCUMENT_SPACE, hold
from storage.models import CampaignDocument, utcnow
from storage.rowcount import rowcount


@dataclass(frozen=True)
class DocumentRecord:
    """What is stored of an imported document beside its text (read from it on import)."""

    identity: str
    year: int
    kind: str
    library: bool
    title: str
    number: str | None
    issuer: str
    issued_on: date | None
    signer: str
    period_start: date | None
    period_end: date | None
    source_name: str
    text: str


@dataclass(frozen=True)
class Saved:
    row: CampaignDocument
    replaced: bool
    """A document with the same number (or title and year) was there and is replaced."""
    demo_removed: bool
    """The bundled sample document was removed by this first real import."""


async def save_document(
    session: AsyncSession, record: DocumentRecord, *, demo: bool = False
) -> Saved:
    """Store a document; one with the same identity is replaced, and the first real import
    removes the bundled demo (with whatever was recorded against it). Two imports of one
    document at once (two operators, two processes) take turns: the second replaces the
    first's row instead of failing on the unique identity."""
    await hold(session, DOCUMENT_SPACE, record.identity)
    demo_removed = False
    if not demo:
        removed = await session.execute(
            delete(CampaignDocument).where(
                CampaignDocument.demo.is_(True), CampaignDocument.identity != record.identity
            )
        )
        demo_removed = bool(rowcount(removed))
    row = await session.scalar(
        select(CampaignDocument).where(CampaignDocument.identity == record.identity)
    )
    replaced = row is not None
    if row is None:
        row = CampaignDocument(identity=record.identity)
        session.add(row)
    row.year = record.year
    row.kind = record.kind
    row.library = record.library
    row.demo = demo
    row.title = record.title[:500]
    row.number = record.number[:100] if record.number else None
    row.issuer = record.issuer[:200]
    row.issued_on = record.issued_on
    row.signer = record.signer[:200]
    row.period_start = record.period_start
    row.period_end = record.period_end
    row.source_name = record.source_name[:255]
    row.document = record.text
    row.imported_at = utcnow()
    await session.flush()
    return Saved(row, replaced, demo_removed)


def _without_text() -> tuple:
    return (defer(CampaignDocument.document, raiseload=False),)


async def list_documents(session: AsyncSession) -> list[CampaignDocument]:
    """Every document, campaigns first (newest year first), then the library."""
    return list(
        await session.scalars(
            select(CampaignDocument)
            .options(*_without_text())
            .order_by(
                CampaignDocument.library,
                CampaignDocument.year.desc(),
                CampaignDocument.imported_at.desc(),
            )
        )
    )


async def campaigns(session: AsyncSession) -> list[CampaignDocument]:
    """The campaigns (not the library), their text left unread."""
    return list(
        await session.scalars(
            select(CampaignDocument)
            .options(*_without_text())
            .where(CampaignDocument.library.is_(False))
            .order_by(CampaignDocument.year.desc(), CampaignDocument.imported_at.desc())
        )
    )


async def library(session: AsyncSession) -> list[CampaignDocument]:
    return list(
        await session.scalars(
            select(CampaignDocument)
            .options(*_without_text())
            .where(CampaignDocument.library.is_(True))
            .order_by(CampaignDocument.imported_at)
        )
    )


async def get_document(session: AsyncSession, document_id: int) -> CampaignDocument | None:
    return await session.scalar(
        select(CampaignDocument).options(*_without_text()).where(CampaignDocument.id == document_id)
    )


async def document_text(session: AsyncSession, document_id: int) -> str:
    text = await session.scalar(
        select(CampaignDocument.document).where(CampaignDocument.id == document_id)
    )
    return text or ""


async def has_documents(session: AsyncSession) -> bool:
    return await session.scalar(select(CampaignDocument.id).limit(1)) is not None
