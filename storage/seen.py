"""Remembering which updates were handled, so a replayed one is answered once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Exists, delete, exists
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from campaign.inputs import is_number
from storage.models import SeenUpdate, utcnow
from storage.rowcount import rowcount


async def first_time(session: AsyncSession, platform: str, key: str) -> bool:
    """Mark the update seen; False when it was seen before (by this or another process)."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    result = await session.execute(
        insert(SeenUpdate)
        .values(platform=platform, update_key=key, seen_at=utcnow())
        .on_conflict_do_nothing(index_elements=["platform", "update_key"])
    )
    return rowcount(result) == 1


async def forget_before(session: AsyncSession, moment: datetime) -> int:
    """Drop marks older than `moment` (platforms stop redelivering after a day or so)."""
    result = await session.execute(delete(SeenUpdate).where(SeenUpdate.seen_at < moment))
    return rowcount(result)


async def record_many(session: AsyncSession, keys: list[tuple[str, str]]) -> None:
    """Mark several (platform, key) seen at once: updates answered by a read session, written
    later in one transaction for many (ON CONFLICT: one may have been marked meanwhile)."""
    if not keys:
        return
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    await session.execute(
        insert(SeenUpdate)
        .values([{"platform": p, "update_key": k, "seen_at": now} for p, k in keys])
        .on_conflict_do_nothing(index_elements=["platform", "update_key"])
    )


def was_seen(platform: str, key: str) -> Exists:
    """Whether the update is marked seen: a column of the router's first read, so a replay
    is caught in a read session, without the writer lock."""
    return exists().where(SeenUpdate.platform == platform, SeenUpdate.update_key == key)


ORDERED = frozenset({"telegram"})
"""Platforms whose update ids only grow (Telegram's update_id): an id far below the newest
handled in this process is old. Zalo's keys are message ids, in no order."""


class RecentUpdates:
    """The updates this process handled lately, so a replay (a webhook retried, polling
    resumed) is dropped before any database work. seen_update stays the guarantee across
    processes and restarts; this only spares a transaction.

    Up to `limit` keys per platform are kept; on an ordered platform an id not above the
    highest one forgotten (its high-water mark) counts as handled too: ids arrive in order,
    and handling runs at most a few dozen at a time, so such an id is a replay."""

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self._keys: dict[str, dict[str, None]] = {}
        self._floor: dict[str, int] = {}

    def handled(self, platform: str, key: str) -> bool:
        if key in self._keys.get(platform, ()):
            return True
        floor = self._floor.get(platform)
        return floor is not None and platform in ORDERED and is_number(key) and int(key) <= floor

    def discard(self, platform: str, key: str) -> None:
        self._keys.get(platform, {}).pop(key, None)

    def add(self, platform: str, key: str) -> None:
        keys = self._keys.setdefault(platform, {})
        keys[key] = None
        while len(keys) > self.limit:
            oldest = next(iter(keys))
            del keys[oldest]
            if platform in ORDERED and is_number(oldest):
                self._floor[platform] = max(self._floor.get(platform, 0), int(oldest))
