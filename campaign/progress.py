"""Reading a progress update typed on a phone: "70", "70%", "2 80 xong dự thảo"."""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from campaign.inputs import read_int

K = TypeVar("K", bound=Hashable)
"""What identifies a commitment (its row id in the bot; anything in tests)."""

_NUMBER = re.compile(r"^([-+]?)([0-9]+)(?:[.,]([0-9]+))?%?$")
MAX_COMMITMENTS = 999
"""Far above any pledge; a larger "commitment number" is a typing slip, not a commitment."""


@dataclass(frozen=True)
class ProgressInput:
    percent: int
    commitment: int | None
    """1-based number of the commitment, when the user named one."""
    note: str


class ProgressError(ValueError):
    def __init__(self, key: str, value: str = "") -> None:
        super().__init__(key)
        self.key = key
        self.value = value


def parse_progress(text: str) -> ProgressInput:
    """ "70 note" → 70 overall; "2 80 note" → 80 for commitment 2. Raises ProgressError."""
    words = text.split()
    if not words:
        raise ProgressError("progress.missing")
    if not _NUMBER.match(words[0]):
        raise ProgressError("progress.not_number", words[0])
    commitment = None
    if len(words) > 1 and _NUMBER.match(words[1]) and not words[0].endswith("%"):
        commitment = read_int(words[0], 1, MAX_COMMITMENTS)
        if commitment is None:
            raise ProgressError("progress.no_commitment", words[0])
        words = words[1:]
    match = _NUMBER.match(words[0])
    assert match is not None
    sign, whole, fraction = match.groups()
    number = read_int(whole, 0, 100)
    if number is None or (sign == "-" and number) or (fraction or "0").strip("0"):
        raise ProgressError("progress.out_of_range", words[0])  # "120", "-5", "70,5"
    return ProgressInput(number, commitment, " ".join(words[1:]))


def latest_values(updates: Iterable[tuple[K | None, int]]) -> dict[K | None, int]:
    """The latest value of each commitment (its key), from the updates in the order they were
    made; key None is the value of a pledge without commitments."""
    latest: dict[K | None, int] = {}
    for key, percent in updates:
        latest[key] = percent
    return latest


def overall(commitments: Sequence[K], latest: Mapping[K | None, int]) -> int | None:
    """A pledge's overall progress: the mean of the latest value of each CURRENT commitment,
    one never updated counting 0. It is computed afresh from those values, never from a past
    overall, so the same update sent again gives the same figure.

    "/tiendo 60" without a commitment number means "all my commitments are at 60%": it is
    stored as 60 for each current commitment, so the overall reads 60 right after it, as the
    member typed. A pledge without commitments has only that overall value (key None). None
    when nothing was ever reported on the pledge."""
    if not commitments:
        return latest.get(None)
    if not latest:
        return None
    return round(sum(latest.get(key, 0) for key in commitments) / len(commitments))
