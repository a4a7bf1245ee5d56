"""Taking the bot's @mention off a message, however the phone typed it.

A group message that mentions the bot carries its name ("@Bot Thi Đua /lienket KT"), and the
router must see "/lienket KT". Phones differ in what they send for the same name: composed
or decomposed accents (NFC "ứ" or NFD "u" + two marks), a non-breaking or narrow space
between the words, zero-width characters, another case, no accents at all. So the text and
the names are compared folded (lower case, no accents, "đ" as "d", any run of white space as
one space, invisible characters dropped), keeping for each folded character the position of
the original one it came from, and the mention is cut out of the original text: the rest of
the message reaches the router exactly as typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from campaign.text import fold

_INVISIBLE = frozenset({"Mn", "Me", "Cf"})
"""Combining marks (decomposed accents) and format characters (zero-width space, joiners,
direction marks): nothing a name is matched on."""
_LEADING = re.compile(r"^[\s,:;.\-–]+")


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index in `text` it came from."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                where.append(index)
            continue
        if unicodedata.category(char) in _INVISIBLE:
            continue
        for piece in fold(char) or char.lower():
            out.append(piece)
            where.append(index)
    return "".join(out), where


def _end(text: str, index: int) -> int:
    """The index after character `index` and the accents and invisible characters after it."""
    index += 1
    while index < len(text) and unicodedata.category(text[index]) in _INVISIBLE:
        index += 1
    return index


def _find(text: str, name: str) -> tuple[int, int] | None:
    """The span of `text` holding "@" + `name` as a whole word, or None."""
    wanted = "@" + _folded(name)[0].strip()
    if len(wanted) < 2:
        return None
    folded, where = _folded(text)
    start = folded.find(wanted)
    while start >= 0:
        after = start + len(wanted)
        if after >= len(folded) or not folded[after].isalnum():
            return where[start], _end(text, where[after - 1])
        start = folded.find(wanted, start + 1)
    return None


def strip_mention(text: str, names: Iterable[str]) -> str:
    """The text without the mentions of the bot (any of its `names`), wherever they stand:
    "@Bot Thi Đua chỉ tiêu là gì", "/lienket KT @bot thi dua" → "chỉ tiêu là gì", "/lienket KT".
    A mention of someone else stays."""
    ordered = sorted({n for n in names if n and n.strip()}, key=len, reverse=True)
    for name in ordered:  # the longest first: "@Bot Thi Đua" before "@Bot"
        for _ in range(8):  # a name typed several times, within reason
            span = _find(text, name)
            if span is None:
                break
            before, after = text[: span[0]].rstrip(), _LEADING.sub("", text[span[1] :])
            text = f"{before} {after}" if before and after else before or after
    return text.strip()
