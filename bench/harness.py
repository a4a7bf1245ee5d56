"""What the channel benchmarks share: the messages users send, waiting for every answer, and
checking that none was lost or doubled. `fake` is a fake Bot API server of tests/fakes."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

MESSAGES = ("/start", "/trogiup", "hạn chót là khi nào", "/sukien 3", "chỉ tiêu là gì")
"""Commands and questions, each answered by one message."""


def push_all(send: Callable[[int, str], Any], users: int, per_user: int) -> int:
    """Each of `users` sends `per_user` messages, round by round; how many were sent."""
    for round_ in range(per_user):
        for user in range(users):
            send(user, MESSAGES[(round_ + user) % len(MESSAGES)])
    return users * per_user


async def wait_answers(fake: Any, expected: int, timeout: float = 600) -> float:
    """Seconds until `expected` answers were sent (plus a pause for late duplicates)."""
    started = time.perf_counter()
    while len(fake.sent()) < expected:
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"only {len(fake.sent())} of {expected} answers after {timeout}s")
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.5)  # would a duplicate still come?
    return time.perf_counter() - started


def check(fake: Any, users: int, per_user: int) -> None:
    """Every user got exactly one answer per message."""
    answers = Counter(str(call.params["chat_id"]) for call in fake.sent())
    wrong = {user: n for user, n in answers.items() if n != per_user}
    if len(answers) != users or wrong:
        raise SystemExit(f"lost or doubled answers: {wrong or len(answers)}")
