"""Which commitments of a re-registered pledge are the same as before (pure).

A commitment keeps its identity, and so its progress, when the member types it again: same
words after folding case, diacritics, spaces and trailing punctuation, in any order. What does
not match is new (or changed: a changed text is a new commitment) or dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from campaign.text import fold

_TRAILING = re.compile(r"[\s.;,:!…-]+$")


def normalise(text: str) -> str:
    """The form two texts of the same commitment share ("Hồ sơ đúng hạn." = "ho so  dung han")."""
    return _TRAILING.sub("", fold(text))


@dataclass(frozen=True)
class Matching:
    kept: dict[int, int]
    """Index in the new list → index in the old list of the same commitment."""
    added: tuple[int, ...]
    """Indexes in the new list with no match: new or changed commitments."""
    dropped: tuple[int, ...]
    """Indexes in the old list no new commitment matches."""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.dropped)


def match(old: Sequence[str], new: Sequence[str]) -> Matching:
    """Pair each new commitment with an unused old one of the same normalised text (the first
    such, so duplicates pair in order)."""
    free: dict[str, list[int]] = {}
    for index, text in enumerate(old):
        free.setdefault(normalise(text), []).append(index)
    kept: dict[int, int] = {}
    added: list[int] = []
    for index, text in enumerate(new):
        candidates = free.get(normalise(text))
        if candidates:
            kept[index] = candidates.pop(0)
        else:
            added.append(index)
    used = set(kept.values())
    dropped = tuple(i for i in range(len(old)) if i not in used)
    return Matching(kept, tuple(added), dropped)
