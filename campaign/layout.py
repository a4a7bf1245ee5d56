"""From a document's raw text to its paragraphs, as the author wrote them.

Word and PDF exports break sentences: a paragraph that starts in lower case continues the one
before ("phấn" / "đầu lập thành tích"), and a PDF page is a block of lines with no blank line
between paragraphs, where a line that fills the width runs on into the next. Everything here is
linear in the size of the text: a 20 MB file must not cost minutes.
"""

from __future__ import annotations

import re
import unicodedata

MARKER = re.compile(
    r"^(?:"
    r"(?:Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+[0-9IVXLC]+"
    r"|[IVX]{1,5}[.)]\s"
    r"|[0-9]{1,2}(?:\.[0-9]{1,2})*[.)]\s"
    r"|[0-9]{1,2}\.[0-9]{1,2}\s"
    r"|[a-zđA-H][.)]\s"
    r"|[-–—+•·*▪●○◦]\s?"
    r"|\[[0-9]{1,3}\]"
    r")"
)
"""The start of a numbered or bulleted paragraph: never a continuation of the one before."""

TABLE_CELL = " | "
_SENTENCE_END = re.compile(r"[.;:!?…”\"»)]$")
_EMPHASIS = re.compile(r"\*+([^*]+)\*+")
_BLOCKS = re.compile(r"\n[ \t\u00a0]*\n")
_RUNS_OF_DOTS = re.compile(r"[.…]{6,}")


def normalize(text: str) -> str:
    """NFC, one kind of line break and of space, no trailing blanks, no control characters."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\t", " ").replace("\u200b", "")
    text = "".join(ch for ch in text if ch == "\n" or ch >= " " or ch == "\t")
    return "\n".join(line.strip() for line in text.split("\n"))


def is_marker(line: str) -> bool:
    return bool(MARKER.match(line))


def paragraphs(text: str) -> list[str]:
    """Paragraphs of the document, with sentences broken across lines or paragraphs joined."""
    pieces: list[list[str]] = []
    for block in _BLOCKS.split(normalize(text)):
        lines = [_EMPHASIS.sub(r"\1", line).strip() for line in block.split("\n")]
        lines = [_RUNS_OF_DOTS.sub("......", line) for line in lines if line]
        full = _full_width(lines)
        for position, line in enumerate(lines):
            runs_on = position > 0 and _runs_on(lines[position - 1], line, full)
            continues = _starts_lower(line) or (runs_on and not is_marker(line))
            if pieces and continues and TABLE_CELL not in line:
                pieces[-1].append(line)
            else:
                pieces.append([line])
    return [" ".join(parts) for parts in pieces]


def _starts_lower(line: str) -> bool:
    return line[0].islower() and not is_marker(line)


def _full_width(lines: list[str]) -> int:
    """The length of a full line in this block (wrapped text), 0 when lines are not wrapped."""
    if len(lines) < 3:
        return 0
    lengths = sorted(len(line) for line in lines)
    return lengths[int(len(lengths) * 0.8)]


def _runs_on(previous: str, line: str, full: int) -> bool:
    """Whether `previous` was wrapped: the first word of `line` would not have fitted on it.

    A paragraph's last line has room to spare; a wrapped line does not. Widths are counted
    in characters, so a little slack is allowed for proportional fonts.
    """
    first_word = line.split(" ", 1)[0]
    return (
        full > 0
        and len(previous) + 1 + len(first_word) > 0.92 * full
        and not _SENTENCE_END.search(previous)
        and not previous.isupper()
    )
