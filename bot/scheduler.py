"""The push side: reminders, commemorations and nudges become outbox rows, and the dispatcher
sends due rows through each chat's channel.

Producers write outbox rows in the same transaction that advances what produced them (a
reminder's next run), with a dedupe key, so a crash can neither lose nor double a promise. The
dispatcher claims due rows, sends them, and records the outcome (see storage/outbox.py for the
delivery guarantee). Time is passed in, never read from the wall inside, so tests need no sleep.

Nothing one bad row or one broken producer does may stop the rest: each producer, each due
reminder and each outbox row fails alone. A failure is logged once when it starts (not at every
tick), counted in `scheduler_failure` for admins (`python -m bot status`), and forgotten when
that part works again; the rest of the tick, the dispatch of the outbox above all, goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from sqlalchemy import select

from bot.app import App
from bot.delivery import ChatGone, ChatMoved, Permanent, RetryLater, Sender, Transient
from campaign import calendar
from campaign.dates import format_date, weekday_key
from handlers.messages import Option, Reply
from storage import chats, dialogs, downloads, failures, outbox, reminders, seen
from storage.models import Account, Chat, Membership, Outbox, Person, Pledge, Reminder

log = logging.getLogger(__name__)

LATE_GRACE = timedelta(minutes=2)
"""A reminder sent later than this after its time says it is late."""
MAX_ATTEMPTS = 8
EVENT_HOUR = 8
NOTICE_SCOPES = ("document", "province", "sector", "custom")
"""Groups hear of the days their agency chose (its document, its packs, its admins' days);
the national days are in every calendar and every newspaper, so they are not pushed."""
SEEN_WINDOW = timedelta(days=7)
"""How long handled update ids are remembered: Telegram keeps updates a day, and Zalo's
replays come within minutes; a week is ample and keeps the table small."""
HOUSEKEEPING_EVERY = timedelta(hours=1)

Producer = Callable[[datetime], Awaitable[int]]
"""Writes the outbox rows due at a time; returns how many."""


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(600, 5 * 2**attempts))


def next_run(reminder: Reminder, after: datetime) -> datetime | None:
    """The first occurrence of a repeating reminder after `after` (in its own time zone)."""
    if not reminder.rrule:
        return None
    zone = ZoneInfo(reminder.timezone)
    start = reminder.next_at.astimezone(zone).replace(tzinfo=None)
    rule = rrulestr(reminder.rrule, dtstart=start)
    following = rule.after(after.astimezone(zone).replace(tzinfo=None))
    return following.replace(tzinfo=zone).astimezone(UTC) if following else None


@dataclass
class Scheduler:
    app: App
    senders: dict[str, Sender] = field(default_factory=dict)
    max_late: timedelta = timedelta(hours=6)
    notice_days: tuple[int, ...] = (7, 1)
    lease: timedelta = outbox.LEASE
    """After this, rows claimed by a process that died are taken again; a live one renews its
    claims every third of it."""
    batch: int = 50
    concurrency: int = 8
    """Sends in flight at once: enough for Telegram's 30 messages/s at ~0.1 s each, and the
    most that a crash can leave ambiguous."""
    swept_at: datetime | None = None
    producers: dict[str, Producer] = field(default_factory=dict)
    """What makes outbox rows, by name, in order; the standard ones when none are given."""
    failing: set[str] = field(default_factory=set)
    """The parts failing now (logged when they started; counted in the database)."""

    def __post_init__(self) -> None:
        if not self.producers:
            self.producers = self.standard_producers()

    def standard_producers(self) -> dict[str, Producer]:
        return {
            "reminders": self._reminders,
            "commemorations": self._commemorations,
            "nudges": self._nudges,
        }

    owner: str = field(default_factory=lambda: f"{os.getpid()}-{secrets.token_hex(6)}")
    """This dispatcher's name on the rows it claims (storage/outbox.py)."""

    def _t(self, language: str | None = None):  # type: ignore[no-untyped-def]
        services = self.app.services
        return services.catalog.translator(language or services.default_language)

    # -- producers -------------------------------------------------------------------------

    # -- failures --------------------------------------------------------------------------

    async def guarded(self, source: str, work: Callable[[], Awaitable[int]], now: datetime) -> int:
        """`work()`, or 0 when it fails: the failure is recorded and the caller goes on."""
        try:
            result = await work()
        except Exception as error:
            await self.record_failures([(source, error)], now)
            return 0
        await self.record_successes({source})
        return result

    async def record_failures(self, failed: list[tuple[str, BaseException]], now: datetime) -> None:
        """Count each failure; log it only when the part was working before."""
        if not failed:
            return
        for source, error in failed:
            if source not in self.failing:
                log.error("%s failed (logged once until it works again)", source, exc_info=error)
                self.failing.add(source)
        try:
            async with self.app.db.transaction() as session:
                for source, error in failed:
                    await failures.record(session, source, f"{type(error).__name__}: {error}", now)
        except Exception:
            log.warning("could not count the scheduler's failures", exc_info=True)

    async def record_successes(self, sources: set[str]) -> None:
        """Parts that failed before and work now are no longer counted."""
        recovered = sources & self.failing
        if not recovered:
            return
        async with self.app.db.transaction() as session:
            await failures.clear(session, recovered)
        self.failing -= recovered
        log.info("working again: %s", ", ".join(sorted(recovered)))

    async def produce(self, now: datetime) -> int:
        """Run every producer; a failing one costs only its own rows."""
        made = 0
        for name, producer in self.producers.items():
            made += await self.guarded(f"producer:{name}", lambda p=producer: p(now), now)  # type: ignore[misc]
        return made

    async def _reminders(self, now: datetime) -> int:
        """Due reminders into the outbox, each in a savepoint of its own: a reminder that
        fails stays due (and counted), the others go out."""
        made = 0
        failed: list[tuple[str, BaseException]] = []
        worked: set[str] = set()
        async with self.app.db.transaction() as session:
            for reminder in await reminders.due(session, now):
                source = f"reminder:{reminder.id}"
                try:
                    async with session.begin_nested():
                        made += await self._advance(session, reminder, now)
                except Exception as error:
                    failed.append((source, error))
                else:
                    worked.add(source)
        await self.record_failures(failed, now)
        await self.record_successes(worked)
        return made

    async def _advance(self, session, reminder: Reminder, now: datetime) -> int:  # type: ignore[no-untyped-def]
        """Enqueue one due reminder (unless too late) and move it to its next run."""
        made = 0
        lateness = now - reminder.next_at
        if lateness <= self.max_late:
            made = await self._enqueue_reminder(session, reminder, late=lateness > LATE_GRACE)
        else:
            log.warning("reminder %s skipped: %s late", reminder.id, lateness)
        following = next_run(reminder, now)
        if following is None:
            reminder.active = False
        else:
            reminder.next_at = following
        await session.flush()
        return made

    async def _enqueue_reminder(self, session, reminder: Reminder, *, late: bool) -> int:  # type: ignore[no-untyped-def]
        made = 0
        targets = await reminders.target_chats(session, reminder)
        languages = await chats.reader_languages(session, [chat.id for chat in targets])
        for chat in targets:
            t = self._t(languages.get(chat.id))
            text = t("push.reminder_late" if late else "push.reminder", text=reminder.text)
            options = (Option(t("push.snooze"), f"snooze:{reminder.id}"),)
            message = Reply(text, options if chat.kind == "private" else ()).to_json()
            key = f"reminder:{reminder.id}:{reminder.next_at.isoformat()}:{chat.id}"
            made += await outbox.enqueue(
                session, chat_id=chat.id, kind="reminder", message=message,
                dedupe_key=key, due_at=reminder.next_at, late=late,
            )  # fmt: skip
        return made

    async def _commemorations(self, now: datetime) -> int:
        """Each linked group hears of a commemoration 7 and 1 days before, at 08:00, once."""
        zone = self.app.services.zone
        local = now.astimezone(zone)
        if local.time() < time(EVENT_HOUR):
            return 0
        t = self._t()
        made = 0
        async with self.app.db.transaction() as session:
            groups = list(
                await session.scalars(
                    select(Chat).where(
                        Chat.active.is_(True), Chat.kind == "group", Chat.unit_id.is_not(None)
                    )
                )
            )
            if not groups:
                return 0
            observances = await self.app.services.library.observances(session, local.date())
            coming = calendar.upcoming(
                [o for o in observances if o.scope in NOTICE_SCOPES],
                local.date(),
                days=max(self.notice_days) + 1,
            )
            due_at = datetime.combine(local.date(), time(EVENT_HOUR), tzinfo=zone)
            for occurrence in coming:
                if occurrence.days_left not in self.notice_days:
                    continue
                anniversary = (
                    t("events.anniversary", number=occurrence.anniversary)
                    if occurrence.anniversary
                    else ""
                )
                text = t(
                    "push.event",
                    name=occurrence.observance.name,
                    anniversary=anniversary,
                    day=t("format.day", weekday=t(weekday_key(occurrence.date)),
                          date=format_date(occurrence.date)),
                    days=occurrence.days_left,
                )  # fmt: skip
                for chat in groups:
                    key = (
                        f"event:{occurrence.date.isoformat()}:{occurrence.observance.name[:60]}"
                        f":{occurrence.days_left}:{chat.id}"
                    )
                    made += await outbox.enqueue(
                        session, chat_id=chat.id, kind="event", text=text,
                        dedupe_key=key, due_at=due_at,
                    )  # fmt: skip
        return made

    async def _nudges(self, now: datetime) -> int:
        """Members without a pledge hear once, in private, in the week before the deadline."""
        zone = self.app.services.zone
        today = now.astimezone(zone).date()
        made = 0
        async with self.app.db.transaction() as session:
            library = self.app.services.library
            row = await library.current(session, today)
            if row is None:
                return 0  # no campaign on: nobody is "late" for a pledge
            deadline = await library.registration_deadline(session, row)
            if not (deadline - timedelta(days=7) <= today <= deadline):
                return 0
            pledged = select(Pledge.person_id).where(Pledge.campaign_id == row.id)
            targets = await session.execute(
                select(Person.id, Chat.id, Person.language)
                .join(Membership, Membership.person_id == Person.id)
                .join(Account, Account.person_id == Person.id)
                .join(Chat, chats.PRIVATE_CHAT_OF_ACCOUNT)
                .where(
                    Person.nudges_off.is_(False),
                    Person.id.not_in(pledged),
                    Chat.active.is_(True),
                    Chat.kind == "private",
                )
                .distinct()
                .order_by(Person.id, Chat.id)
            )
            nudged: set[int] = set()
            for person_id, chat_id, language in targets.all():
                if person_id in nudged:  # one nudge per person, even with accounts on two apps
                    continue
                nudged.add(person_id)
                t = self._t(language)
                text = t("push.nudge", year=row.year, deadline=format_date(deadline))
                message = Reply(text, (Option(t("push.nudges_off"), "nudges:off"),)).to_json()
                made += await outbox.enqueue(
                    session, chat_id=chat_id, kind="nudge", message=message,
                    dedupe_key=f"nudge:{row.id}:{person_id}", due_at=now,
                )  # fmt: skip
        return made

    # -- dispatcher ------------------------------------------------------------------------

    async def dispatch(self, now: datetime) -> tuple[int, int]:
        """Send one batch of what is due now: (rows taken, messages delivered)."""
        async with self.app.db.transaction() as session:
            at = self.app.services.clock()
            claimed = await outbox.claim(session, now, self.batch, owner=self.owner, at=at,
                                         lease=self.lease)  # fmt: skip
        if not claimed:
            return 0, 0
        by_chat: dict[int, list[Outbox]] = defaultdict(list)
        for row in claimed:
            by_chat[row.chat_id].append(row)
        gate = asyncio.Semaphore(self.concurrency)

        async def one_chat(rows: list[Outbox]) -> int:
            async with gate:
                sent = 0
                for row in rows:  # a row that fails unexpectedly waits; the others go on
                    sent += await self.guarded(
                        f"outbox:{row.id}", lambda r=row: self._send(r, now), now
                    )  # type: ignore[misc]
                return sent

        done = asyncio.Event()
        keeper = asyncio.create_task(self._keep_claims(done))
        try:
            delivered = sum(await asyncio.gather(*(one_chat(rows) for rows in by_chat.values())))
        finally:
            done.set()
            await keeper
        return len(claimed), delivered

    async def _keep_claims(self, done: asyncio.Event) -> None:
        """Renew this dispatcher's claims every third of the lease until the batch is done, so
        that a slow send (a 429 waited out, a slow network) never looks like a dead process."""
        while True:
            try:
                await asyncio.wait_for(done.wait(), timeout=self.lease.total_seconds() / 3)
                return
            except TimeoutError:
                pass
            try:
                async with self.app.db.transaction() as session:
                    await outbox.renew(session, self.owner, self.app.services.clock())
            except Exception:  # the next renewal may succeed; the sends go on meanwhile
                log.exception("could not renew the outbox claims")

    async def _send(self, row: Outbox, now: datetime) -> int:
        chat = row.chat
        sender = self.senders.get(chat.platform)
        if sender is None:
            async with self.app.db.transaction() as session:
                await outbox.retry_at(session, row.id, now + timedelta(minutes=1),
                                      f"no channel for {chat.platform}", count=False,
                                      owner=self.owner)  # fmt: skip
            return 0
        async with self.app.db.transaction() as session:
            mine = await outbox.mark_sending(session, row.id, owner=self.owner,
                                             at=self.app.services.clock())  # fmt: skip
        if not mine:  # another dispatcher took the row over: it sends it
            return 0
        try:
            reply = Reply.from_json(outbox.message_of(row))
            message_id = await sender.send(chat.platform_chat_id, reply, push=True)
        except RetryLater as error:
            async with self.app.db.transaction() as session:
                await outbox.retry_at(session, row.id, now + timedelta(seconds=error.seconds),
                                      str(error), count=False, owner=self.owner)  # fmt: skip
            return 0
        except ChatMoved as error:
            async with self.app.db.transaction() as session:
                moved = await chats.migrate(session, chat.platform, chat.platform_chat_id,
                                            error.new_chat_id)  # fmt: skip
                if moved is not None:
                    await outbox.move_chat(session, row.id, moved, owner=self.owner)
            return 0
        except ChatGone as error:
            async with self.app.db.transaction() as session:
                await chats.set_active(session, chat.platform, chat.platform_chat_id, False)
                await outbox.give_up(session, row.id, "failed", str(error), owner=self.owner)
            return 0
        except Transient as error:
            async with self.app.db.transaction() as session:
                if row.attempts + 1 >= MAX_ATTEMPTS:
                    await outbox.give_up(session, row.id, "dead", str(error), owner=self.owner)
                else:
                    await outbox.retry_at(session, row.id, now + backoff(row.attempts),
                                          str(error), count=True, owner=self.owner)  # fmt: skip
            return 0
        except Permanent as error:
            async with self.app.db.transaction() as session:
                await outbox.give_up(session, row.id, "failed", str(error), owner=self.owner)
            return 0
        async with self.app.db.transaction() as session:
            sent = await outbox.mark_sent(session, row.id, message_id, now, owner=self.owner)
            if sent and reply.options and chat.kind == "private" and not sender.buttons:
                payloads = [option.payload for option in reply.options]
                await dialogs.offer_pushed_choice(
                    session, chat.platform, chat.id, chat.platform_chat_id, payloads
                )
        return 1

    async def sweep(self, now: datetime) -> None:
        """Forget what is no longer needed: old update ids, expired download links, outbox
        rows sent (or given up) more than outbox.KEPT ago."""
        async with self.app.db.transaction() as session:
            forgotten = await seen.forget_before(session, now - SEEN_WINDOW)
            expired = await downloads.forget_expired(session, now)
            purged = await outbox.purge(session, now - outbox.KEPT)
        self.swept_at = now
        if forgotten or expired or purged:
            log.info("forgot %d old update ids, %d expired files and %d old outbox rows",
                     forgotten, expired, purged)  # fmt: skip

    async def tick(self, now: datetime) -> int:
        """Housekeeping, producers, then the dispatch of everything due: each part runs
        whatever the others did."""
        if self.swept_at is None or now - self.swept_at >= HOUSEKEEPING_EVERY:
            self.swept_at = now  # failing or not, once an hour
            await self.guarded("sweep", lambda: self._sweep_count(now), now)
        library, db = self.app.services.library, self.app.db
        await self.guarded("library", lambda: library.prepare(db), now)
        await self.produce(now)
        return await self.guarded("dispatch", lambda: self._dispatch_all(now), now)

    async def _sweep_count(self, now: datetime) -> int:
        await self.sweep(now)
        return 0

    async def _dispatch_all(self, now: datetime) -> int:
        delivered = 0
        while True:  # a batch reschedules its failures into the future, so this ends
            taken, sent = await self.dispatch(now)
            delivered += sent
            if taken == 0:
                return delivered

    async def run(self, stop: asyncio.Event, clock: Any, interval: float = 1.0) -> None:
        while not stop.is_set():
            try:
                await self.tick(clock())
            except Exception:
                log.exception("scheduler tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)


def scheduler_for(app: App) -> Scheduler:
    """The scheduler with the deployment's settings."""
    settings = app.settings
    return Scheduler(
        app,
        max_late=timedelta(hours=settings.reminder_max_late_hours),
        notice_days=settings.event_notice_days,
        lease=timedelta(seconds=settings.outbox_lease_seconds),
    )
