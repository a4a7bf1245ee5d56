"""Matching what a user typed to a command.

Commands have a short Vietnamese name ("/trogiup"), an English alias ("/help") and may be
typed as plain Vietnamese words with or without diacritics ("trợ giúp", "tro giup"). Unknown
commands get the closest real one suggested.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from campaign.text import fold, squeeze


@dataclass(frozen=True)
class ParsedCommand:
    name: str
    args: str


def parse_slash(text: str) -> ParsedCommand | None:
    """Split "/cmd@botname args" into its lowercase name (without bot suffix) and the rest."""
    text = text.strip()
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, rest = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    if not name:
        return None
    return ParsedCommand(name=name, args=squeeze(rest))


def match_phrase(text: str, phrases: dict[str, str]) -> ParsedCommand | None:
    """Find a command typed as words: `phrases` maps folded words ("tro giup") to a command.

    A phrase matches the whole text or its beginning followed by a space; the longest phrase
    wins so that "tu danh gia" is not read as "danh gia". The arguments keep the user's own
    spelling.
    """
    folded = fold(text)
    words = squeeze(text).split(" ")
    best: tuple[int, str] | None = None
    for phrase, command in phrases.items():
        if folded == phrase or folded.startswith(phrase + " "):
            size = phrase.count(" ") + 1
            if best is None or size > best[0]:
                best = (size, command)
    if best is None:
        return None
    size, command = best
    return ParsedCommand(name=command, args=" ".join(words[size:]))


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known command name closest to a mistyped one, if any is close enough."""
    matches = difflib.get_close_matches(fold(name), list(known), n=1, cutoff=0.6)
    return matches[0] if matches else None
