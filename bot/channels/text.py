"""Text helpers every channel shares: plain text from safe HTML, and splitting long texts."""

from __future__ import annotations

from collections.abc import Iterable

from handlers.messages import plain as to_plain

__all__ = ["numbered", "split_text", "to_plain"]


def numbered(labels: Iterable[str], indent: str = "") -> list[str]:
    """Option labels (safe HTML) as "1. …" lines, for channels without buttons: the router
    maps a number typed back to that option."""
    return [f"{indent}{n}. {to_plain(label)}" for n, label in enumerate(labels, start=1)]


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraph breaks, else line breaks, else
    spaces, so that a long answer reads as several whole messages rather than torn ones."""
    if len(text) <= limit:
        return [text]
    for separator in ("\n\n", "\n", " "):
        parts = text.split(separator)
        if len(parts) == 1:
            continue
        pieces: list[str] = []
        current = ""
        for part in parts:
            candidate = f"{current}{separator}{part}" if current else part
            if len(candidate) <= limit:
                current = candidate
                continue
            if current:
                pieces.append(current)
            current = part
        if current:
            pieces.append(current)
        if all(len(p) <= limit for p in pieces):
            return pieces
        return [q for p in pieces for q in split_text(p, limit)]
    return [text[i : i + limit] for i in range(0, len(text), limit)]
