"""Wiring: the services every channel shares, built once from the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from bot.config import Settings
from bot.i18n import Catalog
from campaign import calendar
from handlers.context import Services
from handlers.features import build_registry
from handlers.router import Router
from storage import campaigns
from storage.db import Database
from usecases.campaigns import import_document
from usecases.library import CampaignLibrary

DEFAULT_CAMPAIGN = "phat-dong-thi-dua-2025.txt"


async def seed_default_campaign(db: Database) -> None:
    """On first start, load the bundled sample (Lạng Sơn's 2025 launch document) so questions
    work at once. It is a demo: the first real import replaces it."""
    async with db.transaction() as session:
        if await campaigns.has_documents(session):
            return
    # callers hold db.startup_lock(): no other process seeds between the check and the import
    text = resources.files("campaign.data").joinpath(DEFAULT_CAMPAIGN).read_text("utf-8")
    await import_document(db, text, DEFAULT_CAMPAIGN, demo=True)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    settings: Settings
    db: Database
    services: Services
    router: Router

    async def close(self) -> None:
        await self.router.flush()
        await self.db.close()


async def open_app(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utc_now,
    catalog: Catalog | None = None,
) -> App:
    """Open the database (applying migrations) and build the router with its services."""
    db = Database(settings.database_url)
    try:
        async with db.startup_lock():
            await db.upgrade()
            await seed_default_campaign(db)
    except BaseException:
        await db.close()
        raise
    services = Services(
        catalog=catalog or Catalog.load(),
        admins=frozenset(settings.admins),
        zone=settings.zone,
        default_language=settings.language,
        clock=clock,
        library=CampaignLibrary(calendar.packs(settings.province, settings.sector)),
    )
    return App(settings, db, services, Router(db, services, build_registry()))
