"""Naming a member in a command: exactly, never by a piece of a name.

"/danhgia lan tot" used to rate whoever's name contained "lan" (Lan, Lanh, Hoàng Lan…). A
member is now named by their @handle or account id, or by their full name, which may be typed
without diacritics or capitals ("nguyen thi lan") but not shortened.
"""

from __future__ import annotations

from collections.abc import Callable

from campaign.text import fold

MAX_NAME_WORDS = 8
"""Longest full name looked for at the start of a command's arguments."""


def same_name(typed: str, name: str) -> bool:
    """Whether `typed` is the full name `name`, diacritics, capitals and spaces aside."""
    wanted = fold(typed)
    return bool(wanted) and wanted == fold(name)


def split_name(words: list[str], is_name: Callable[[str], bool]) -> int:
    """How many leading words of `words` are a full name (`is_name` says which strings are),
    the longest first, leaving at least one word for the rest of the command; 0 when none."""
    for size in range(min(MAX_NAME_WORDS, len(words) - 1), 0, -1):
        if is_name(" ".join(words[:size])):
            return size
    return 0
