"""SQLite reads run where they are asked for, on the event loop, instead of in aiosqlite's thread.

aiosqlite runs each call (cursor, execute, fetch, close) in a worker thread and wakes the event
loop when it is done: about 100 µs of hand-off per call, four or more calls per statement, for
an indexed read that SQLite itself answers in 10 µs. A message that only reads (most of them:
/trogiup, a question, /sukien) spent more time in those hand-offs than in anything else.

Reads in WAL mode never wait for a writer, so they can run in the loop's own thread without
holding it up: this module gives SQLAlchemy's aiosqlite dialect a connection whose "queue to
the worker thread" runs each call at once, here. Writes keep aiosqlite's thread: a write may
have to wait for another process's lock (the CLI, a backup), and that wait must not stop the
loop. A read that finds the database busy does not wait either (`BUSY_MS`): it fails at once
with `OperationalError`, and the caller does the work again in a write session, in the thread.

It relies on two details of aiosqlite 0.22 (`Connection._tx`, the worker started in
`__await__`), checked by tests/test_inline_sqlite.py; pyproject.toml pins the minor version.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Generator
from functools import partial
from typing import Any

import aiosqlite

BUSY_MS = 50
"""How long an inline read waits on a busy database (WAL recovery, another process's
exclusive lock) before it gives up, so that the loop is never stopped for longer."""


class _RunHere:
    """Stands in for aiosqlite's queue to its worker thread: each call runs when queued."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as error:  # handed to the awaiting caller, as the worker does
            if future is not None and not future.done():
                future.set_exception(error)
        else:
            if future is not None and not future.done():
                future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection without a worker thread."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._tx = _RunHere()  # type: ignore[assignment]  # the queue's one method we use

    def __await__(self) -> Generator[Any, None, aiosqlite.Connection]:
        return self._connect().__await__()  # no thread to start


def _connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, check_same_thread=False)
    connection.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    return connection


def inline_creator(path: str) -> Callable[[], InlineConnection]:
    """An `async_creator` for create_async_engine: connections to the file `path`."""
    return lambda: InlineConnection(partial(_connect, path))
