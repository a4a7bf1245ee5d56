"""Which process runs the scheduler's producers when several share one database.

Dispatchers may run in every process (they claim outbox rows, storage/outbox.py), but the
producers (due reminders, commemorations, nudges) should run in one: two at once would only
race for the same dedupe keys and double the work. The leader is whoever holds a lock that
dies with its process (storage/locks.py: a session-level advisory lock on PostgreSQL, a file
lock beside a SQLite database). Every process asks at each scheduler tick: the leader checks
it still holds the lock, the others try to take it, so when the leader dies another process
takes over at its next tick (a second later; within about half a minute when the leader's
machine vanished from the network, by TCP keepalives).

Correctness never depends on there being exactly one leader: producers write with dedupe keys
in the transaction that advances what produced them, so a brief overlap (a leader cut off from
the database that has not noticed yet) can cost work, never a doubled message.
"""

from __future__ import annotations

import asyncio
import logging
import os

from storage.db import Database
from storage.locks import LeaderLock, leader_lock

log = logging.getLogger(__name__)

PRODUCERS = "producers"
"""The name of the scheduler producers' lock."""
CHECK_TIMEOUT = 10.0
"""Seconds a check may take before this process stops counting itself leader: a leader that
cannot reach the database must not go on believing it leads."""


class Leader:
    """Asked at each tick: does this process lead now?"""

    def __init__(self, lock: LeaderLock, name: str = PRODUCERS, *, announce: bool = True) -> None:
        """`announce`: say in the log (as a warning, which `run` shows) when this process
        starts or stops leading; a cron `dispatch` keeps quiet (info)."""
        self.lock = lock
        self.name = name
        self.level = logging.WARNING if announce else logging.INFO
        self.leading = False

    async def check(self) -> bool:
        """Take the lock or confirm it is still held; any failure means "not leader"."""
        try:
            async with asyncio.timeout(CHECK_TIMEOUT):
                leading = await self.lock.take()
        except Exception as error:
            log.warning("could not check the %s leader lock: %s", self.name, error)
            await self.lock.release()
            leading = False
        if leading != self.leading:
            change = "now runs" if leading else "no longer runs"
            log.log(self.level, "this process (pid %d) %s the scheduler's %s",
                    os.getpid(), change, self.name)  # fmt: skip
        self.leading = leading
        return leading

    async def release(self) -> None:
        """Step down (on shutdown), so that another process takes over at once."""
        await self.lock.release()
        self.leading = False


def leader_for(db: Database, name: str = PRODUCERS, *, announce: bool = True) -> Leader:
    return Leader(leader_lock(db.engine, name), name, announce=announce)
