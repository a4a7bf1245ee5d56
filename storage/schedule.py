"""When the scheduler has work: the producers' next runs, the wake written by the changes that
create work, and the one query of a tick with nothing due.

Why: the scheduler ticks every second. Re-running every producer at each tick (as it once did)
re-inserted every nudge and notice under SQLite's single writer lock; now a tick first asks one
indexed query "when is the earliest thing due?" and does nothing else when the answer is
later. Work becomes due in three ways, all visible to that query:

- a reminder's `next_at` and an outbox row's `next_attempt_at` (rows that are themselves the
  work: a reminder created by the CLI in another process is seen at the next tick);
- a producer's timer (`producer_mark.due_at`: the next 08:00 for commemorations and nudges);
- a wake: a change that may create producer work sets the producers due at once, in the
  change's own transaction, so it works whichever process made the change. The changes are
  found by a `before_flush` hook (installed like storage/limits.py's), so the chat, the CLI and
  any future path that writes them wake the producers without a line of their own:

  | change (ORM)                                    | why                                |
  |-------------------------------------------------|------------------------------------|
  | campaign document added, changed, deleted       | deadline, period, days it names    |
  |   (an import, a deadline, the assessment window)|                                    |
  | admin's day added, changed, deleted             | commemorations                     |
  | group linked or unlinked, chat (in)active again | who hears commemorations and nudges|
  | new membership                                  | someone new to nudge               |

  A first message (a new person, account and private chat) wakes nothing: nobody is nudged
  before joining a unit. Writes made with Core statements are not seen; their callers call
  `wake(session)`.

A pledge saved removes its person's pending nudge for that campaign (same hook, same
transaction): once pledged, the reminder to pledge must not go out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, Update, bindparam, delete, event, func, inspect, select, true, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction

from storage.models import (
    CampaignDocument,
    Chat,
    CustomEvent,
    Membership,
    Outbox,
    Pledge,
    ProducerMark,
    Reminder,
)
from storage.notices import nudge_key
from storage.outbox import IN_HAND
from storage.rowcount import rowcount

ASAP = datetime(2000, 1, 1, tzinfo=UTC)
"""`due_at` of a producer woken: before any tick."""
_WOKEN = "schedule.woken"
"""session.info key: the transaction that already woke the producers (one UPDATE each)."""


@dataclass(frozen=True)
class Due:
    """The earliest moment each kind of work is due (None: none at all)."""

    reminders: datetime | None
    outbox: datetime | None
    claimed: datetime | None
    """The oldest claim of an outbox row in hand: free again `lease` after, if not renewed."""
    producers: datetime | None

    def producers_due(self, now: datetime) -> bool:
        return _by(self.producers, now)

    def reminders_due(self, now: datetime) -> bool:
        return _by(self.reminders, now)

    def outbox_due(self, now: datetime, lease: timedelta) -> bool:
        return _by(self.outbox, now) or _by(self.claimed, now - lease)


def _by(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and moment <= now


NEXT_DUE = select(
    select(func.min(Reminder.next_at)).where(Reminder.active == true()).scalar_subquery(),
    select(func.min(Outbox.next_attempt_at)).where(Outbox.status == "pending").scalar_subquery(),
    select(func.min(Outbox.claimed_at)).where(Outbox.status.in_(IN_HAND)).scalar_subquery(),
    select(func.min(ProducerMark.due_at))
    .where(ProducerMark.name.in_(bindparam("names", expanding=True)))
    .scalar_subquery(),
)
"""Built once: SQLAlchemy computes its cache key once, not at every tick."""


async def next_due(session: AsyncSession, producers: Sequence[str]) -> Due:
    """One statement, four index lookups: an idle tick costs this and nothing else."""
    row = (await session.execute(NEXT_DUE, {"names": list(producers)})).one()
    return Due(*(_utc(value) for value in row))


def _utc(value: Any) -> datetime | None:
    """min() over a UTC column: SQLite returns its naive text, read back as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


async def ensure(session: AsyncSession, names: Iterable[str]) -> None:
    """A mark for each producer, due at once when new (a fresh database, a new producer)."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for name in names:
        await session.execute(
            insert(ProducerMark)
            .values(name=name, due_at=ASAP, generation=0)
            .on_conflict_do_nothing(index_elements=["name"])
        )


async def marks(session: AsyncSession, names: Iterable[str]) -> dict[str, ProducerMark]:
    found = await session.scalars(select(ProducerMark).where(ProducerMark.name.in_(list(names))))
    return {mark.name: mark for mark in found}


async def advance(
    session: AsyncSession, name: str, generation: int, due_at: datetime | None, ran_at: datetime
) -> bool:
    """After a run: next due at `due_at`, unless woken since the run read `generation` (then
    it stays due, and runs again at the next tick)."""
    result = await session.execute(
        update(ProducerMark)
        .where(ProducerMark.name == name, ProducerMark.generation == generation)
        .values(due_at=due_at, ran_at=ran_at)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


def _wake_statement(names: Sequence[str] | None = None) -> Update:
    marks = cast(Table, ProducerMark.__table__)
    statement = update(marks).values(due_at=ASAP, generation=marks.c.generation + 1)
    if names is not None:
        statement = statement.where(marks.c.name.in_(list(names)))
    return statement


async def wake(session: AsyncSession, names: Sequence[str] | None = None) -> None:
    """Something changed that may make work for the producers (all, or these): they run at
    the next tick of whichever process runs them. Call it in the change's transaction."""
    await session.execute(_wake_statement(names))


# -- the hook: changes that create work, seen at the flush ------------------------------


def _changed(row: object, *attributes: str) -> bool:
    state = inspect(row)
    return any(state.attrs[name].history.has_changes() for name in attributes)


def makes_work(session: Session) -> bool:
    """Whether this flush writes a change after which the producers must look again."""
    for row in session.new:
        if isinstance(row, CampaignDocument | CustomEvent | Membership):
            return True
    for row in session.deleted:
        if isinstance(row, CampaignDocument | CustomEvent):
            return True
    for row in session.dirty:
        if isinstance(row, CampaignDocument | CustomEvent) and session.is_modified(row):
            return True
        if isinstance(row, Chat) and _changed(row, "unit_id", "unit", "active"):
            return True
    return False


def _on_flush(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    for row in session.new:
        if isinstance(row, Pledge) and row.person_id is not None and row.campaign_id is not None:
            outbox = cast(Table, Outbox.__table__)
            session.execute(
                delete(outbox).where(
                    outbox.c.dedupe_key == nudge_key(row.campaign_id, row.person_id),
                    outbox.c.status == "pending",
                )
            )
    transaction = session.get_transaction()
    if session.info.get(_WOKEN) is transaction or not makes_work(session):
        return
    session.execute(_wake_statement())
    session.info[_WOKEN] = transaction


def install() -> None:
    """Watch every session's flushes (once per process)."""
    if not event.contains(Session, "before_flush", _on_flush):
        event.listen(Session, "before_flush", _on_flush)
