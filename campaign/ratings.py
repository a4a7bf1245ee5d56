"""The four ratings of a civil servant's year (Decrees 90/2020 and 48/2023), highest first."""

from __future__ import annotations

from enum import StrEnum

from campaign.text import fold


class Rating(StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    DONE = "done"
    FAILED = "failed"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: Rating) -> bool:
        return self.rank >= other.rank


_RANK = {Rating.EXCELLENT: 4, Rating.GOOD: 3, Rating.DONE: 2, Rating.FAILED: 1}

_WORDS = {
    Rating.EXCELLENT: (
        "hoan thanh xuat sac nhiem vu",
        "hoan thanh xuat sac",
        "xuat sac",
        "htxsnv",
        "htxs",
        "excellent",
    ),
    Rating.GOOD: ("hoan thanh tot nhiem vu", "hoan thanh tot", "tot", "httnv", "htt", "good"),
    Rating.FAILED: ("khong hoan thanh nhiem vu", "khong hoan thanh", "khtnv", "failed", "fail"),
    Rating.DONE: ("hoan thanh nhiem vu", "hoan thanh", "htnv", "done"),
}


def parse_rating(text: str) -> Rating | None:
    """A rating typed as its code, its Vietnamese name or short form, with or without accents."""
    folded = " ".join(fold(text).split())
    for rating, words in _WORDS.items():
        if folded in words:
            return rating
    return None


def split_rating(text: str) -> tuple[Rating | None, str]:
    """The rating at the start of `text` (longest words first) and the rest, a comment."""
    folded_words = fold(text).split()
    original = text.split()
    if len(folded_words) != len(original):
        return None, text
    for size in range(min(5, len(original)), 0, -1):
        rating = parse_rating(" ".join(folded_words[:size]))
        if rating is not None:
            return rating, " ".join(original[size:])
    return None, text
