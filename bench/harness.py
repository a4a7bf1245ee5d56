"""What the channel benchmarks share: the messages users send, the fake Bot API server in a
process of its own, waiting for every answer, and checking that none was lost or doubled."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.managers import BaseManager
from typing import Any

from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

MESSAGES = ("/start", "/trogiup", "hạn chót là khi nào", "/sukien 3", "chỉ tiêu là gì")
"""Commands and questions, each answered by one message."""


def push_all(send: Callable[[int, str], Any], users: int, per_user: int) -> int:
    """Each of `users` sends `per_user` messages, round by round; how many were sent."""
    for round_ in range(per_user):
        for user in range(users):
            send(user, MESSAGES[(round_ + user) % len(MESSAGES)])
    return users * per_user


class _Counting:
    """What a benchmark asks of a fake in another process: small answers, no Call objects."""

    token: str
    base_url: str
    start: Callable[[], Any]
    sent: Callable[..., list[Any]]

    def begin(self, **settings: Any) -> tuple[str, str]:
        """Set attributes (replay_all=True…), start serving; the token and the base address
        to give the bot."""
        for name, value in settings.items():
            setattr(self, name, value)
        self.start()
        return self.token, self.base_url

    def sent_count(self) -> int:
        return len(self.sent())

    def answers_per_chat(self) -> dict[str, int]:
        return dict(Counter(str(call.params["chat_id"]) for call in self.sent()))


class TelegramApi(_Counting, FakeTelegram):
    pass


class ZaloApi(_Counting, FakeZalo):
    pass


class _Apis(BaseManager):
    pass


_EXPOSED = ("begin", "message", "sent_count", "answers_per_chat", "stop")
_Apis.register("TelegramApi", TelegramApi, exposed=_EXPOSED)
_Apis.register("ZaloApi", ZaloApi, exposed=_EXPOSED)


@contextmanager
def api_elsewhere(kind: type[_Counting], **settings: Any) -> Iterator[Any]:
    """The fake API server (`TelegramApi` or `ZaloApi`) in a process of its own, as the real
    one is on another machine: its work (HTTP, JSON, bookkeeping) is not counted as the bot's,
    and its threads do not take turns with the bot's event loop for the interpreter lock,
    which in one process slowed a bot with concurrent sends far more than one sending one
    message at a time. Yields a proxy: `message`, `sent_count`, `answers_per_chat`, `token`
    and `base_url` (attributes set by keyword first, e.g. replay_all=True for Zalo)."""
    apis = _Apis(ctx=multiprocessing.get_context("spawn"))
    apis.start()
    try:
        fake = getattr(apis, kind.__name__)()
        token, base_url = fake.begin(**settings)
        yield _Remote(fake, token, base_url)
        fake.stop()
    finally:
        apis.shutdown()


class _Remote:
    def __init__(self, proxy: Any, token: str, base_url: str) -> None:
        self._proxy, self.token, self.base_url = proxy, token, base_url

    def __getattr__(self, name: str) -> Any:
        return getattr(self._proxy, name)


async def wait_answers(fake: Any, expected: int, timeout: float = 600) -> float:
    """Seconds until `expected` answers were sent; then a pause lets a late duplicate show
    (check() finds it), outside the time measured."""
    started = time.perf_counter()
    while (count := fake.sent_count()) < expected:
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"only {count} of {expected} answers after {timeout}s")
        await asyncio.sleep(0.01)
    seconds = time.perf_counter() - started
    await asyncio.sleep(0.5)  # would a duplicate still come?
    return seconds


def check(fake: Any, users: int, per_user: int) -> None:
    """Every user got exactly one answer per message."""
    answers = fake.answers_per_chat()
    wrong = {user: n for user, n in answers.items() if n != per_user}
    if len(answers) != users or wrong:
        raise SystemExit(f"lost or doubled answers: {wrong or len(answers)}")
