"""Text helpers every channel shares: plain text from safe HTML, and splitting long texts."""

from __future__ import annotations

from handlers.messages import plain as to_plain

__all__ = ["split_text", "to_plain"]


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
