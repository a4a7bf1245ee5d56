"""Text and numbers as they come in, made safe once at the edge.

Whatever a person types (on any platform, in the console, on the command line) is cleaned by
`clean_text` before anything reads or stores it: Unicode NFC, so that "ệ" typed as "e" plus
two combining marks meets the "ệ" of the documents, and no control characters (PostgreSQL
refuses a NUL in text; the others only hide words from matching). Newline and tab stay.

Numbers are read by `read_int` alone. `str.isdigit()` is true for "²", "¹" and for digits of
other scripts, which `int()` then refuses or reads as a number nobody typed; a number here is
ASCII digits and nothing else, within bounds the caller names, so that a huge value never
reaches `timedelta`, a database integer or `int()`'s own digit limit.
"""

from __future__ import annotations

import re
import unicodedata

MAX_ID = 2_147_483_647
"""The largest row id: an INTEGER column of PostgreSQL (and of SQLite, as the schema says)."""

MAX_DAYS = 3660
"""The longest span of days anyone asks for (a window, a validity, an offset): ten years."""

_DIGITS = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"[+-]?[0-9]+")
_KEEP = frozenset("\n\t")


def _dropped(ch: str) -> bool:
    """Control characters (Cc, NUL among them) and lone surrogates (what Python makes of
    bytes that are not UTF-8 in a command-line argument: no database can store them).
    Format characters such as the zero-width joiner stay: some scripts need them."""
    return ch not in _KEEP and unicodedata.category(ch) in ("Cc", "Cs")


def clean_text(text: str) -> str:
    """`text` in NFC with its control characters removed (newline and tab kept; a carriage
    return is a newline)."""
    if text.isascii() and text.isprintable():
        return text  # the common case, in one pass of C code
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line ends
    return "".join(ch for ch in unicodedata.normalize("NFC", text) if not _dropped(ch))


def is_number(text: str) -> bool:
    """Whether `text` is ASCII digits only ("12"; not "", "²", "١٢", "+1", "1_0")."""
    return _DIGITS.fullmatch(text) is not None


def read_int(text: str, lo: int, hi: int, *, signed: bool = False) -> int | None:
    """The integer `text` writes in ASCII digits (a sign too when `signed`), surrounding
    spaces allowed, if it lies in [lo, hi]; None for anything else: not a number, or out of
    bounds. Leading zeros are read ("007" is 7); a number longer than `hi` could be is refused
    without converting it."""
    text = text.strip()
    if (_SIGNED if signed else _DIGITS).fullmatch(text) is None:
        return None
    digits = text.lstrip("+-").lstrip("0") or "0"
    if len(digits) > len(str(max(abs(lo), abs(hi)))):
        return None
    value = int(text)
    return value if lo <= value <= hi else None
