"""Reading a progress update typed on a phone: "70", "70%", "2 80 xong dự thảo"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from campaign.inputs import read_int

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


def overall(latest_by_commitment: dict[int, int], commitments: int, previous: int) -> int:
    """The pledge's overall progress after a commitment update: the mean over commitments of
    their latest value, a commitment without one of its own counting at the previous overall."""
    if commitments <= 0:
        return previous
    values = [latest_by_commitment.get(n, previous) for n in range(1, commitments + 1)]
    return round(sum(values) / len(values))
