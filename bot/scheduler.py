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

Work only when there is work (storage/schedule.py): a tick first reads, in one indexed query,
when the earliest reminder, outbox row and producer run are due; with nothing due by now it
stops there, writing nothing. Producers run on their timer (the next 08:00 in the bot's zone,
kept in the database so a restart neither skips nor repeats a day) and when a change that
creates work wakes them (a document imported, a group linked, a member joined), and they
remember what they made (outbox dedupe keys: a nudged member is not selected again).

The tick is split so that a leader check can wrap the producing part: `produce(now)` (due
reminders, then the due producers) and `dispatch_due(now)` (every process may dispatch).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import secrets
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from sqlalchemy.ext.asyncio import AsyncSession

from bot import activity_reminders
from bot.app import App
from bot.delivery import (
    ChatGone,
    ChatMoved,
    Permanent,
    QuotaExceeded,
    RetryLater,
    Sender,
    TopicGone,
    Transient,
    log_topic_gone,
)
from campaign import calendar
from campaign.calendar import Occurrence
from campaign.dates import format_date, weekday_key
from handlers.context import Translate
from handlers.messages import Option, Reply
from handlers.poll_view import announce_results
from storage import (
    audience,
    chats,
    dialogs,
    downloads,
    failures,
    notices,
    outbox,
    polls,
    reminders,
    schedule,
    seen,
)
from storage.models import Outbox, ProducerMark, Reminder

log = logging.getLogger(__name__)

LATE_GRACE = timedelta(minutes=2)
"""A reminder sent later than this after its time says it is late."""
MAX_ATTEMPTS = 8
EVENT_HOUR = 8
NUDGE_HOUR = 8
"""Nudges go out from this hour on the days before the deadline, never in the night."""
NOTICE_SCOPES = ("document", "province", "sector", "custom")
"""Groups hear of the days their agency chose (its document, its packs, its admins' days);
the national days are in every calendar and every newspaper, so they are not pushed."""
SEEN_WINDOW = timedelta(days=7)
"""How long handled update ids are remembered: Telegram keeps updates a day, and Zalo's
replays come within minutes; a week is ample and keeps the table small."""
HOUSEKEEPING_EVERY = timedelta(hours=1)

Producer = Callable[[AsyncSession, datetime], Awaitable[datetime | None]]
"""Writes, in the session given, the outbox rows due by a time, and says when it must run next
(None: only when woken). Its mark is advanced in the same transaction."""


def _by(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and moment <= now


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(600, 5 * 2**attempts))


def next_at_hour(now: datetime, zone: ZoneInfo, hour: int) -> datetime:
    """The next `hour`:00 in `zone` strictly after `now`: a daily producer's timer."""
    local = now.astimezone(zone)
    moment = datetime.combine(local.date(), time(hour), tzinfo=zone)
    if moment <= local:
        moment = datetime.combine(local.date() + timedelta(days=1), time(hour), tzinfo=zone)
    return moment.astimezone(UTC)


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
    """What makes outbox rows besides the reminders, by name, in order, each with its mark in
    `producer_mark`; the standard ones when none are given."""
    failing: set[str] = field(default_factory=set)
    """The parts failing now (logged when they started; counted in the database)."""
    should_produce: Callable[[], Awaitable[bool]] | None = None
    """Asked before the producers run (bot/leader.py: only the leader of several processes
    produces); None: always. Asked only when something is due, so an idle tick stays one
    query."""
    started: bool = False
    """Whether this process has produced yet: its first run as producer runs every producer
    (the settings, the packs or the code may have changed while the bot was down, or while
    another process led)."""

    def __post_init__(self) -> None:
        if not self.producers:
            self.producers = self.standard_producers()

    def standard_producers(self) -> dict[str, Producer]:
        return {
            "commemorations": self._commemorations,
            "nudges": self._nudges,
            "activities": self._activity_reminders,
            "polls": self._polls,
        }

    owner: str = field(default_factory=lambda: f"{os.getpid()}-{secrets.token_hex(6)}")
    """This dispatcher's name on the rows it claims (storage/outbox.py)."""

    def _t(self, language: str | None = None) -> Translate:
        services = self.app.services
        return services.catalog.translator(language or services.default_language)

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

    # -- producers -------------------------------------------------------------------------

    async def due(self, now: datetime) -> schedule.Due:
        """When each kind of work is due: the one query of an idle tick (no writer lock)."""
        async with self.app.db.read() as session:
            return await schedule.next_due(session, list(self.producers))

    async def produce(self, now: datetime, due: schedule.Due | None = None) -> None:
        """Due reminders into the outbox, then the producers whose mark is due (all of them
        when `due` is None, as at the first tick of a process); each fails alone."""
        if due is None or due.reminders_due(now):
            await self.guarded("producer:reminders", lambda: self._reminders(now), now)
        if due is not None and not due.producers_due(now):
            return
        if self.producers:
            library, db = self.app.services.library, self.app.db
            await self.guarded("library", lambda: library.prepare(db), now)
        marks: dict[str, ProducerMark] = {}

        async def read_marks() -> int:
            async with self.app.db.transaction() as session:
                if due is None:
                    await schedule.ensure(session, self.producers)
                marks.update(await schedule.marks(session, self.producers))
            return len(marks)

        await self.guarded("schedule", read_marks, now)
        for name, producer in self.producers.items():
            mark = marks.get(name)
            if mark is None or (due is not None and not _by(mark.due_at, now)):
                continue
            await self.guarded(
                f"producer:{name}",
                functools.partial(self._run, name, producer, mark.generation, now),
                now,
            )

    async def _run(self, name: str, producer: Producer, generation: int, now: datetime) -> int:
        """One producer in one transaction with the advance of its mark: its rows and its
        next run are written together, or neither is (a failure leaves it due)."""
        async with self.app.db.transaction() as session:
            following = await producer(session, now)
            await schedule.advance(session, name, generation, following, now)
        return 1

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

    async def _advance(self, session: AsyncSession, reminder: Reminder, now: datetime) -> int:
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

    async def _enqueue_reminder(
        self, session: AsyncSession, reminder: Reminder, *, late: bool
    ) -> int:
        made = 0
        for chat, language in await reminders.target_readers(session, reminder):
            t = self._t(language)
            text = t("push.reminder_late" if late else "push.reminder", text=reminder.text)
            options = (Option(t("push.snooze"), f"snooze:{reminder.id}"),)
            message = Reply(text, options if chat.kind == "private" else ()).to_json()
            key = f"reminder:{reminder.id}:{reminder.next_at.isoformat()}:{chat.id}"
            made += await outbox.enqueue(
                session, chat_id=chat.id, kind="reminder", message=message,
                dedupe_key=key, due_at=reminder.next_at, late=late,
            )  # fmt: skip
        return made

    async def _commemorations(self, session: AsyncSession, now: datetime) -> datetime:
        """Each linked group hears of a commemoration 7 and 1 days before, at 08:00, once (the
        dedupe keys: a run again the same day, when woken, only adds what is new — a group
        linked, a day added). Runs next at the next 08:00."""
        zone = self.app.services.zone
        local = now.astimezone(zone)
        following = next_at_hour(now, zone, EVENT_HOUR)
        if local.time() < time(EVENT_HOUR):
            return following
        reached = await audience.of_units(session, None)
        if not reached:
            return following
        readers = reached.readers
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
            texts = {language: self._event_text(occurrence, language) for _, language in readers}
            name = occurrence.observance.name[:60]
            await outbox.enqueue_many(
                session,
                [
                    {
                        "chat_id": chat.id,
                        "kind": "event",
                        "text": texts[language],
                        "dedupe_key": f"event:{occurrence.date.isoformat()}:{name}"
                        f":{occurrence.days_left}:{chat.id}",
                        "due_at": due_at,
                    }
                    for chat, language in readers
                ],
            )
        return following

    def _event_text(self, occurrence: Occurrence, language: str | None) -> str:
        """A commemoration's notice in the reader's language (groups: the bot's)."""
        t = self._t(language)
        anniversary = (
            t("events.anniversary", number=occurrence.anniversary) if occurrence.anniversary else ""
        )
        return t(
            "push.event",
            name=occurrence.observance.name,
            anniversary=anniversary,
            day=t("format.day", weekday=t(weekday_key(occurrence.date)),
                  date=format_date(occurrence.date)),
            count=occurrence.days_left,
        )  # fmt: skip

    async def _nudges(self, session: AsyncSession, now: datetime) -> datetime:
        """Members without a pledge hear once, in private, in the week before the deadline,
        from 08:00. Who was nudged is remembered by the nudge's outbox key (not selected
        again); a pledge saved takes a nudge not yet sent back (storage/schedule.py). Runs
        next at the next 08:00: the window opens on a date, and a member who joins during it
        wakes this producer."""
        zone = self.app.services.zone
        local = now.astimezone(zone)
        today = local.date()
        following = next_at_hour(now, zone, NUDGE_HOUR)
        if local.time() < time(NUDGE_HOUR):
            return following
        library = self.app.services.library
        row = await library.current(session, today)
        if row is None:
            return following  # no campaign on: nobody is "late" for a pledge
        deadline = await library.registration_deadline(session, row)
        if not (deadline - timedelta(days=7) <= today <= deadline):
            return following
        nudges: dict[int, dict[str, Any]] = {}
        for person_id, chat_id, language in await notices.nudge_targets(session, row.id):
            if person_id in nudges:  # one nudge per person, even with accounts on two apps
                continue
            t = self._t(language)
            text = t("push.nudge", year=row.year, deadline=format_date(deadline))
            nudges[person_id] = {
                **Reply(text, (Option(t("push.nudges_off"), "nudges:off"),)).to_json(),
                "chat_id": chat_id,
                "kind": "nudge",
                "dedupe_key": notices.nudge_key(row.id, person_id),
                "due_at": now,
            }
        await outbox.enqueue_many(session, list(nudges.values()))
        return following

    async def _activity_reminders(self, session: AsyncSession, now: datetime) -> datetime | None:
        """Those signed up for an activity hear a day and an hour before it starts."""
        return await activity_reminders.produce(session, now, self._t, self.app.services.zone)

    async def _polls(self, session: AsyncSession, now: datetime) -> datetime | None:
        """Polls whose closing time has come: each closed once (compare-and-set on its status,
        so another process or `/binhchon dong` cannot announce it twice) and its results
        queued with their chart, with dedupe keys, in this transaction (handlers/poll_view.py).
        Runs next when the next open poll closes; making a poll wakes it (usecases/polls.py)."""
        for poll in await polls.due(session, now):
            if await polls.close(session, poll, poll.closes_at):
                await announce_results(session, self.app.services, poll, now)
        return await polls.next_closing(session)

    # -- dispatcher ------------------------------------------------------------------------

    async def dispatch(
        self,
        now: datetime,
        gate: asyncio.Semaphore | None = None,
        drained: asyncio.Event | None = None,
        chat_turns: dict[int, asyncio.Lock] | None = None,
    ) -> tuple[int, int]:
        """Send one batch of what is due now: (rows taken, messages delivered). `gate` bounds
        the sends in flight (shared by overlapping batches: `_dispatch_all`); `drained` is set
        when every chat of the batch has its place in it, only sends in flight being left;
        `chat_turns` (shared too) keeps a chat's rows of a later batch behind those of an
        earlier one still being sent, so a chat hears its messages in the order they were due."""
        async with self.app.db.transaction() as session:
            at = self.app.services.clock()
            claimed = await outbox.claim(session, now, self.batch, owner=self.owner, at=at,
                                         lease=self.lease)  # fmt: skip
        if not claimed:
            return 0, 0
        by_chat: dict[int, list[Outbox]] = defaultdict(list)
        for row in claimed:
            by_chat[row.chat_id].append(row)
        gate = gate or asyncio.Semaphore(self.concurrency)
        waiting = len(by_chat)

        async def one_chat(rows: list[Outbox]) -> int:
            nonlocal waiting
            turn: contextlib.AbstractAsyncContextManager[object] = (
                contextlib.nullcontext()
                if chat_turns is None
                else chat_turns.setdefault(rows[0].chat_id, asyncio.Lock())
            )
            async with turn, gate:
                waiting -= 1
                if waiting == 0 and drained is not None:
                    drained.set()
                sent = 0
                for row in rows:  # a row that fails unexpectedly waits; the others go on
                    sent += await self.guarded(
                        f"outbox:{row.id}", functools.partial(self._send, row, now), now
                    )
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
            # into the chat's linked topic as it is now (a relinked or deleted one is followed)
            reply = replace(Reply.from_json(outbox.message_of(row)), thread=chat.thread_id)
            message_id = await sender.send(chat.platform_chat_id, reply, push=True)
        except RetryLater as error:
            async with self.app.db.transaction() as session:
                await outbox.retry_at(session, row.id, now + timedelta(seconds=error.seconds),
                                      str(error), count=False, owner=self.owner)  # fmt: skip
            return 0
        except QuotaExceeded as error:
            async with self.app.db.transaction() as session:
                await self._over_quota(session, row, error, now)
            return 0
        except ChatMoved as error:
            async with self.app.db.transaction() as session:
                moved = await chats.migrate(session, chat.platform, chat.platform_chat_id,
                                            error.new_chat_id)  # fmt: skip
                if moved is not None:
                    await outbox.move_chat(session, row.id, moved, owner=self.owner)
            return 0
        except TopicGone as error:  # to the main thread: the row goes again at once, counted
            assert chat.thread_id is not None  # a channel says so only of a topic it was given
            async with self.app.db.transaction() as session:
                linked = await chats.leave_topic(session, chat.platform, chat.platform_chat_id,
                                                 chat.thread_id)  # fmt: skip
                await outbox.retry_at(session, row.id, now, str(error), count=True,
                                      owner=self.owner)  # fmt: skip
            log_topic_gone(chat.platform, chat.platform_chat_id, chat.thread_id, error, linked)
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

    async def _over_quota(
        self, session: AsyncSession, row: Outbox, error: QuotaExceeded, now: datetime
    ) -> None:
        """The next of the outcome's growing delays, counted as an attempt; past the last, the
        row is dead and says why (how many refusals), so a spent quota ends in a dead letter
        that admins can count (storage/outbox.py: dead_letters) instead of a retry for ever."""
        if row.attempts >= len(error.delays):
            reason = f"{error} (gave up after {row.attempts + 1} attempts)"
            await outbox.give_up(session, row.id, "dead", reason, owner=self.owner)
            log.warning("outbox row %s given up: %s", row.id, reason)
            return
        wait = timedelta(seconds=error.delays[row.attempts])
        await outbox.retry_at(session, row.id, now + wait, str(error), count=True,
                              owner=self.owner)  # fmt: skip

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
        """Housekeeping (hourly), then what is due: one indexed query decides, and a tick with
        nothing due stops there. The first tick of a process runs every producer. Each part
        runs whatever the others did; returns the messages delivered."""
        if self.swept_at is None or now - self.swept_at >= HOUSEKEEPING_EVERY:
            self.swept_at = now  # failing or not, once an hour
            await self.guarded("sweep", lambda: self._sweep_count(now), now)
        if not self.started:
            if await self._may_produce():
                self.started = True
                await self.produce(now)
            return await self.dispatch_due(now)
        try:
            due = await self.due(now)
        except Exception as error:  # the database is away: try again at the next tick
            await self.record_failures([("schedule", error)], now)
            return 0
        await self.record_successes({"schedule"})
        produced = (due.reminders_due(now) or due.producers_due(now)) and await self._may_produce()
        if produced:
            await self.produce(now, due)
        if produced or due.outbox_due(now, self.lease):
            return await self.dispatch_due(now)
        return 0

    async def dispatch_due(self, now: datetime) -> int:
        """Send everything due (any process may: claims keep two from sending one row)."""
        return await self.guarded("dispatch", lambda: self._dispatch_all(now), now)

    async def _may_produce(self) -> bool:
        return self.should_produce is None or await self.should_produce()

    async def _sweep_count(self, now: datetime) -> int:
        await self.sweep(now)
        return 0

    async def _dispatch_all(self, now: datetime) -> int:
        """Rounds of batches until a round finds nothing due. A row can become due again while
        the round that sent it is still claiming (a chat that moved: its row goes back to
        pending with the new chat), so a round that took anything is followed by another; a
        batch reschedules its other failures into the future, so this ends."""
        delivered = 0
        while True:
            taken, sent = await self._dispatch_round(now)
            delivered += sent
            if taken == 0:
                return delivered

    async def _dispatch_round(self, now: datetime) -> tuple[int, int]:
        """Batch after batch until one finds nothing: (rows taken, messages delivered). The
        next batch is claimed as soon as the current one has only its last sends in flight,
        so that the pace never waits for a claim; one gate for all keeps at most
        `concurrency` sends in flight (and ambiguous after a crash), and a chat's rows of a
        later batch wait for its sends of an earlier one (`chat_turns`)."""
        gate = asyncio.Semaphore(self.concurrency)
        chat_turns: dict[int, asyncio.Lock] = {}
        running: list[asyncio.Task[tuple[int, int]]] = []
        try:
            while True:
                drained = asyncio.Event()
                batch = asyncio.create_task(self.dispatch(now, gate, drained, chat_turns))
                running.append(batch)
                signal = asyncio.create_task(drained.wait())
                await asyncio.wait({batch, signal}, return_when=asyncio.FIRST_COMPLETED)
                signal.cancel()
                if batch.done() and batch.result()[0] == 0:
                    break
        finally:
            results = await asyncio.gather(*running, return_exceptions=True)
        taken = delivered = 0
        for result in results:
            if isinstance(result, BaseException):
                raise result
            taken += result[0]
            delivered += result[1]
        return taken, delivered

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
