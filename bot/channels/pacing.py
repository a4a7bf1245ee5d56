"""Telegram's flood limits, with the answers to people before the dispatcher's pushes.

Telegram allows about 30 messages a second for the whole bot, 20 a minute into one group, and
answers 429 past them, after which PTB pauses every request. The bot paces itself under them:
one message every 1/TELEGRAM_MAX_PER_SECOND seconds (an even pace, not a bucket of 30 that
lets bursts through a sliding second refuses), and 20 a minute per group.

The slots are a schedule: the next one is the previous slot plus the interval, not the moment
the previous one was handed out plus the interval, so the event loop waking a little late for
each slot does not slow the pace down by that much every time (it did: 5 % of the rate). A slot
handed out late therefore lets the next one follow sooner; so that this catching up can never
put more than the rate into any window (one second), the pace also remembers the last
rate-per-window slots and hands out none before the oldest of them is a window old.

Within the pace there are two priorities. A message to a person who just wrote takes the next
free slot, waiting only for other such answers; pushes (reminders, announcements) take the slots
answers leave. An announcement to 3,300 chats therefore never makes a person wait for it; it
only goes out a little slower while people write. The dispatcher keeps a few pushes in flight
(its concurrency), so pushes queue here, answers jump the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

PUSH = "push"
"""The `rate_limit_args` a push is sent with; answers are sent without."""
GROUP_PER_MINUTE = 20
MAX_RETRIES = 3
"""429s waited out before one is raised (the dispatcher then reschedules the push)."""


class Pace:
    """Evenly spaced slots, `per_second` of them, handed to answers first, then to pushes.

    The clock and the sleep are passed in so that a test can hold the pace still and watch the
    order in which slots are handed out, without measuring time on a loaded machine."""

    def __init__(
        self,
        per_second: float,
        *,
        window: float = 1.0,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 1 / per_second
        self.window = window
        self.burst = max(1, int(per_second * window + 1e-9))
        """The most slots any `window` of time may hold (29 in a second at 29 a second)."""
        self._clock = clock
        self._sleep = sleep
        self._next: float | None = None
        """When the next slot is scheduled (None before the first)."""
        self._handed: deque[float] = deque(maxlen=self.burst)
        """When the last `burst` slots were handed out."""
        self._queues: tuple[deque[asyncio.Future[None]], deque[asyncio.Future[None]]] = (
            deque(),
            deque(),
        )
        """Waiting answers, waiting pushes."""
        self._granter: asyncio.Task[None] | None = None

    def waiting(self, *, push: bool) -> int:
        """How many answers (or pushes) wait for a slot."""
        return sum(1 for future in self._queues[push] if not future.done())

    async def wait(self, *, push: bool = False) -> None:
        """Until this message may go."""
        now = self._now()
        if self._granter is None and self._free_at() <= now:  # a free slot, nobody waiting
            self._take(now)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queues[push].append(future)
        if self._granter is None:
            self._granter = asyncio.create_task(self._grant())
        await future  # cancelled while waiting: the granter skips it

    def _free_at(self) -> float:
        """When the next slot may be handed out: its time in the schedule, and no earlier than
        a window after the oldest of the last `burst` slots."""
        free = self._next if self._next is not None else float("-inf")
        if len(self._handed) == self.burst:
            free = max(free, self._handed[0] + self.window)
        return free

    def _take(self, now: float) -> None:
        """Hand out a slot at `now`: the next is one interval after this one's place in the
        schedule, but at least three quarters of an interval after `now`. A slot handed out a
        little late (the loop woke late) thus costs nothing; one very late lets the next follow
        sooner, never closer than three quarters of an interval (two requests may reach
        Telegram some milliseconds closer than they left: that margin keeps them under its
        sliding second; half an interval let a 429 through in the bench); a pace idle for a
        while lets no burst through."""
        self._handed.append(now)
        scheduled = self._next if self._next is not None else now
        self._next = max(scheduled + self.interval, now + self.interval * 3 / 4)

    async def _grant(self) -> None:
        """Hand out slots one by one while anybody waits: answers first."""
        try:
            while any(self._queues):
                delay = self._free_at() - self._now()
                if delay > 0:
                    await self._sleep(delay)
                queue = self._queues[0] or self._queues[1]
                future = queue.popleft()
                if future.done():
                    continue
                future.set_result(None)
                self._take(self._now())
        finally:
            self._granter = None

    def _now(self) -> float:
        return self._clock() if self._clock else asyncio.get_running_loop().time()


class PacedLimiter(BaseRateLimiter[str]):
    """PTB's rate limiter hook with the Pace above and Telegram's limit per group. Requests
    without a chat (getUpdates, setMyCommands, answerCallbackQuery) are not paced, as PTB's own
    limiter does; a 429 that comes anyway is waited out up to MAX_RETRIES times."""

    def __init__(
        self,
        per_second: float,
        *,
        group_period: float = 60.0,
        window: float = 1.0,
        pace: Pace | None = None,
        max_retries: int = MAX_RETRIES,
    ) -> None:
        self.pace = pace or Pace(per_second, window=window)
        self.group_period = group_period
        self.max_retries = max_retries
        self._groups: dict[int | str, AsyncLimiter] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        push = rate_limit_args == PUSH
        for attempt in range(self.max_retries + 1):
            try:
                if chat_id is None:
                    return await callback(*args, **kwargs)
                async with self._group(chat_id):
                    await self.pace.wait(push=push)
                    return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == self.max_retries:
                    raise
                seconds = _seconds(error.retry_after)
                log.info("Telegram asked to slow down; retrying after %.1f s", seconds)
                await asyncio.sleep(seconds + 0.1)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _group(self, chat_id: object) -> contextlib.AbstractAsyncContextManager[Any]:
        """The per-group limiter for a group (negative id or @name), else nothing."""
        key: int | str
        try:
            key = int(chat_id)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            key = str(chat_id)
        if isinstance(key, int) and key > 0:
            return contextlib.nullcontext()
        if len(self._groups) > 512:  # forget groups with nothing in flight
            for name, limiter in list(self._groups.items()):
                if limiter.has_capacity(limiter.max_rate):
                    del self._groups[name]
        if key not in self._groups:
            self._groups[key] = AsyncLimiter(GROUP_PER_MINUTE, self.group_period)
        return self._groups[key]


def paced_limiter(per_second: float, scale: float = 1.0) -> PacedLimiter | None:
    """The limiter for TELEGRAM_MAX_PER_SECOND (None for 0: no pacing at all). `scale` runs
    the clock faster (benchmarks against a fake that enforces the limits scaled alike)."""
    if not per_second:
        return None
    return PacedLimiter(per_second * scale, group_period=60 / scale, window=1 / scale)


def _seconds(value: object) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)  # type: ignore[arg-type]
