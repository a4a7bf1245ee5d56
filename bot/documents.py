"""Reading a campaign document from a file: .txt, .docx (python-docx) or .pdf (pypdf).

The output is what the parser in campaign/ reads. For .txt and .docx: paragraphs separated by
one blank line, in document order (bot.docx_reader says how a .docx's tables, footnotes and
automatic numbering are written). For .pdf: the lines of each page, one "\\n" apart, pages too,
with running page numbers and repeated headers and footers taken out; the parser re-joins
wrapped lines itself.

Every refusal is a DocumentError whose key names the message for the user. Reading is
synchronous (callers run it in a thread) and linear in the size of the file; it stops as soon as
the text grows past MAX_TEXT_CHARS.
"""

from __future__ import annotations

import codecs
import re
import stat
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bot.reading_budget import Budget
from campaign.document import MAX_TEXT_CHARS, DocumentError
from campaign.text import fold, squeeze

SUPPORTED = (".txt", ".docx", ".pdf")
LEGACY_WORD = (".doc", ".dot", ".odt", ".rtf", ".wpd")
"""Word processor formats we do not read; the user is asked to save the file as .docx."""

MAX_FILE_BYTES = 50 * 1024 * 1024


def read_text(path: Path | str, *, max_chars: int = MAX_TEXT_CHARS) -> str:
    """The text of the document, in the shape described in the module's docstring.

    Raises DocumentError with the key of the message to show: "document.unsupported_type",
    "document.legacy_word", "document.missing", "document.too_large", "document.unreadable",
    "document.scanned" or "document.empty".
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in LEGACY_WORD:
        raise DocumentError("document.legacy_word")
    if suffix not in SUPPORTED:
        raise DocumentError("document.unsupported_type")
    _check_file(path)
    try:
        if suffix == ".txt":
            text = _read_txt(path, max_chars)
        elif suffix == ".docx":
            # imported here, not at the top: the bot starts without the .docx machinery
            from bot.docx_reader import read_docx

            text = read_docx(path, max_chars)
        else:
            text = _read_pdf(path, max_chars)
    except DocumentError:
        raise
    except Exception as error:  # a corrupt file fails deep inside the reader libraries
        raise DocumentError("document.unreadable") from error
    if not text.strip():
        raise DocumentError("document.empty")
    return text


def _check_file(path: Path) -> None:
    """Refuse a missing file, or one too big to read, before reading a byte of it."""
    try:
        info = path.stat()
    except OSError:
        raise DocumentError("document.missing") from None
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError("document.missing")
    if info.st_size > MAX_FILE_BYTES:
        raise DocumentError("document.too_large")


# ---------------------------------------------------------------------------------------- .txt


def _read_txt(path: Path, limit: int) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM, decoded piece by piece; CRLF → LF."""
    budget = Budget(limit)
    pieces: list[str] = []
    with path.open("rb") as file:
        utf16 = file.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        file.seek(0)
        decoder = codecs.getincrementaldecoder("utf-16" if utf16 else "utf-8-sig")()
        pending = ""  # a "\r" at the end of a piece may be the first half of "\r\n"
        while chunk := file.read(1 << 20):
            text = pending + decoder.decode(chunk)
            text, pending = (text[:-1], "\r") if text.endswith("\r") else (text, "")
            pieces.append(_txt_piece(text, budget))
        pieces.append(_txt_piece(pending + decoder.decode(b"", final=True), budget))
    return "".join(pieces)


def _txt_piece(text: str, budget: Budget) -> str:
    if "\x00" in text:
        raise DocumentError("document.unreadable")  # UTF-16 without BOM, or a binary file
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    budget.take(len(text))
    return text


# ---------------------------------------------------------------------------------------- .pdf

_EDGE_LINES = 2
"""How many lines at the top and at the bottom of a page may be running headers or numbers."""

_BARE_NUMBER = re.compile(r"^(\d{1,4})$")
_STYLED_NUMBER = re.compile(
    r"^(?:[-–—]\s*(?P<dashed>\d{1,4})\s*[-–—]"
    r"|(?:(?:trang|page)\s*)?(?P<number>\d{1,4})\s*(?:/|tren|of)\s*(?P<total>\d{1,4})"
    r"|(?:trang|page)\s*(?P<named>\d{1,4}))$"
)


def _read_pdf(path: Path, limit: int) -> str:
    """The lines of every page, one newline apart; a PDF without a text layer is refused."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if reader.is_encrypted:
        reader.decrypt("")  # "protected" against editing only: opens with an empty password
    budget = Budget(limit)
    pages: list[list[str]] = []
    for page in reader.pages:
        lines = [squeeze(line) for line in (page.extract_text() or "").splitlines()]
        lines = [line for line in lines if line]
        budget.take(sum(len(line) + 1 for line in lines))
        pages.append(lines)
    if not pages:
        raise DocumentError("document.empty")
    if not any(pages):
        raise DocumentError("document.scanned")
    return "\n".join(line for page in strip_running_lines(pages) for line in page)


def strip_running_lines(pages: Sequence[Sequence[str]]) -> list[list[str]]:
    """The pages without their page numbers and the headers and footers repeated on most pages.

    Only the first and last two lines of a page are looked at. "- 3 -", "Trang 3" and "3/12"
    (12 being the number of pages) are page numbers there. A bare "3" is one at the top of page
    3 (the usual place: top centre, from page 2 on), or anywhere there when the numbers at
    the page edges follow the pages (page i says i + k, for one k, on at least half the pages
    and at least two): a number that ends a table on one page stays. A header or footer is a
    line at an edge of more than half of the pages (at least two), the page's own number at its
    end aside ("Kế hoạch 12/KH-UBND - Trang 3").
    """
    offset = _page_number_offset(pages)
    repeated = _repeated_edge_lines(pages)

    def running(line: str, index: int, top: bool) -> bool:
        styled = _STYLED_NUMBER.match(fold(line))
        if styled:
            return styled.group("total") is None or int(styled.group("total")) == len(pages)
        bare = _BARE_NUMBER.match(line)
        if bare:
            number = int(bare.group(1))
            return number - index == offset or (top and index > 0 and number == index + 1)
        return not repeated.isdisjoint(_edge_keys(line, index))

    result = []
    for index, lines in enumerate(pages):
        start, end = 0, len(lines)
        for _ in range(_EDGE_LINES):
            if start < end and running(lines[start], index, top=True):
                start += 1
        for _ in range(_EDGE_LINES):
            if start < end and running(lines[end - 1], index, top=False):
                end -= 1
        result.append(list(lines[start:end]))
    return result


def _edges(lines: Sequence[str]) -> set[str]:
    return {*lines[:_EDGE_LINES], *lines[-_EDGE_LINES:]}


def _page_number_offset(pages: Sequence[Sequence[str]]) -> int | None:
    """k such that page i (from 0) carries the bare number i + k on enough pages, else None."""
    offsets: Counter[int] = Counter()
    for index, lines in enumerate(pages):
        offsets.update(
            {int(m.group(1)) - index for line in _edges(lines) if (m := _BARE_NUMBER.match(line))}
        )
    if not offsets:
        return None
    offset, count = offsets.most_common(1)[0]
    return offset if count >= max(2, len(pages) / 2) else None


_TRAILING_NUMBER = re.compile(r"(\d{1,4})(?:\s*/\s*\d{1,4})?\s*[-–—]?$")


def _edge_keys(line: str, index: int) -> set[str]:
    """The line, and the line with the page's number (index + 1) at its end as "#"."""
    number = _TRAILING_NUMBER.search(line)
    if number and int(number.group(1)) == index + 1:
        return {line, line[: number.start()] + "#"}
    return {line}


def _repeated_edge_lines(pages: Sequence[Sequence[str]]) -> set[str]:
    counts: Counter[str] = Counter()
    for index, lines in enumerate(pages):
        keys = (_edge_keys(line, index) for line in _edges(lines) if _has_letters(line, 3))
        counts.update(set().union(*keys))
    return {key for key, count in counts.items() if count >= 2 and count > len(pages) / 2}


def _has_letters(text: str, least: int) -> bool:
    return sum(ch.isalpha() for ch in text) >= least
