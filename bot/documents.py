"""Reading a campaign document from a file: .txt, .docx (python-docx) or .pdf (pypdf).

The output is what the parser in campaign/ reads. For .txt and .docx: paragraphs separated by
one blank line, in document order; a data table gives one paragraph per row ("cell | cell"), a
layout table (the letterhead, the signature block) one paragraph per line of each cell; footnote
marks stay in the text as "[n]" and the footnotes follow at the very end as "[n] text". For
.pdf: the lines of each page, one "\\n" apart, pages too, with running page numbers and repeated
headers and footers taken out; the parser re-joins wrapped lines itself.

Every refusal is a DocumentError whose key names the message for the user. Reading is
synchronous (callers run it in a thread) and linear in the size of the file; it stops as soon as
the text grows past MAX_TEXT_CHARS.
"""

from __future__ import annotations

import codecs
import re
import stat
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from campaign.document import DocumentError
from campaign.text import fold, squeeze

SUPPORTED = (".txt", ".docx", ".pdf")
LEGACY_WORD = (".doc", ".dot", ".odt", ".rtf", ".wpd")
"""Word processor formats we do not read; the user is asked to save the file as .docx."""

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000
MAX_DOCX_XML_BYTES = 256 * 1024 * 1024
"""The XML of a .docx, unpacked: a 50 MB zip of repetitive XML could expand to gigabytes."""

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The start of a legacy Word (.doc) file, or of a password-protected .docx."""


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
            text = _read_docx(path, max_chars)
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


class _Budget:
    """Counts characters as they are produced, so a huge document stops early."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def take(self, count: int) -> None:
        self.used += count
        if self.used > self.limit:
            raise DocumentError("document.too_large")


# ---------------------------------------------------------------------------------------- .txt


def _read_txt(path: Path, limit: int) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM, decoded piece by piece; CRLF → LF."""
    budget = _Budget(limit)
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


def _txt_piece(text: str, budget: _Budget) -> str:
    if "\x00" in text:
        raise DocumentError("document.unreadable")  # UTF-16 without BOM, or a binary file
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    budget.take(len(text))
    return text


# --------------------------------------------------------------------------------------- .docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"

_P, _TBL, _TR, _TC = _W + "p", _W + "tbl", _W + "tr", _W + "tc"
_TR_PR, _TC_PR, _VAL = _W + "trPr", _W + "tcPr", _W + "val"
_GRID_BEFORE, _GRID_SPAN, _V_MERGE = _W + "gridBefore", _W + "gridSpan", _W + "vMerge"
_SDT, _SDT_CONTENT, _ALTERNATE = _W + "sdt", _W + "sdtContent", _MC + "AlternateContent"
_TEXT_TAGS = {_W + "t", _M + "t"}
_NOTE_REFERENCE, _FRACTION, _TEXT_BOX = _W + "footnoteReference", _M + "f", _W + "txbxContent"
_SPACE_TAGS = {_W + "tab", _W + "ptab"}
_BREAK_TAGS = {_W + "br", _W + "cr"}
_SKIPPED_TAGS = {
    _W + "pPr",
    _W + "rPr",
    _W + "del",  # tracked deletion: not in the document any more
    _W + "moveFrom",  # tracked move: the text is read where it moved to
    _W + "instrText",  # field codes ("PAGE", "TOC \\o"); their results are ordinary runs
    _W + "delInstrText",
    _M + "ctrlPr",
    _MC + "Fallback",
}
_CUSTOM_XML = _W + "customXml"
_BLOCK_WRAPPERS = {_CUSTOM_XML, _W + "ins", _W + "moveTo", _W + "smartTag"}
_SEPARATOR_NOTES = {"separator", "continuationSeparator", "continuationNotice"}


@dataclass
class _Para:
    lines: list[str]
    """The paragraph's text split at its line breaks, spaces squeezed, empty lines dropped."""
    floating: list[_Block] = field(default_factory=list)
    """Text boxes anchored in the paragraph, read after it."""


@dataclass(eq=False)
class _Cell:
    blocks: list[_Block]


@dataclass
class _Table:
    rows: list[list[_Cell]]
    """A vertically merged cell is the same _Cell object in each row it covers."""


_Block = _Para | _Table


def _read_docx(path: Path, limit: int) -> str:
    """Body paragraphs and tables in document order, then the footnotes."""
    import docx  # python-docx; imported here so the bot starts without reading any file

    _check_package(path)
    document = docx.Document(str(path))
    walker = _DocxWalker(_footnotes(document.part), _Budget(limit))
    out = _Output(limit)
    _render(walker.blocks(document.element.body), out)
    for number, text in walker.footnote_texts():
        out.add(f"[{number}] {text}".rstrip())
    return "\n\n".join(out.paragraphs)


def _check_package(path: Path) -> None:
    """A legacy .doc renamed to .docx, or a zip whose XML would unpack to gigabytes, is refused."""
    with path.open("rb") as file:
        if file.read(len(_OLE_MAGIC)) == _OLE_MAGIC:
            raise DocumentError("document.legacy_word")
    with zipfile.ZipFile(path) as package:
        unpacked = sum(
            info.file_size
            for info in package.infolist()
            if info.filename.endswith((".xml", ".rels"))
        )
    if unpacked > MAX_DOCX_XML_BYTES:
        raise DocumentError("document.too_large")


def _footnotes(document_part: Any) -> dict[str, Any]:
    """The document's footnotes by id, read from word/footnotes.xml (python-docx has no API)."""
    from lxml import etree

    for relationship in document_part.rels.values():
        if relationship.reltype == _FOOTNOTES and not relationship.is_external:
            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            root = etree.fromstring(relationship.target_part.blob, parser)
            return {
                note.get(_W + "id"): note
                for note in root.iterchildren(_W + "footnote")
                if note.get(_W + "type") not in _SEPARATOR_NOTES
            }
    return {}


class _DocxWalker:
    """Turns WordprocessingML into blocks, numbering footnote marks in order of appearance."""

    def __init__(self, notes: Mapping[str, Any], budget: _Budget) -> None:
        self.notes = notes
        self.numbers: dict[str, int] = {}
        self.budget = budget

    def blocks(self, parent: Any) -> list[_Block]:
        """The paragraphs and tables directly in `parent`, looking through content controls."""
        result: list[_Block] = []
        for child in parent:
            tag = child.tag
            if tag == _P:
                result.append(self.paragraph(child))
            elif tag == _TBL:
                result.append(self.table(child))
            elif tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    result.extend(self.blocks(content))
            elif tag in _BLOCK_WRAPPERS:
                result.extend(self.blocks(child))
            elif tag == _ALTERNATE and len(child):
                result.extend(self.blocks(child[0]))
        return result

    def paragraph(self, p: Any) -> _Para:
        lines: list[list[str]] = [[]]
        floating: list[_Block] = []
        self._inline(p, lines, floating)
        texts = [text for text in (squeeze("".join(line)) for line in lines) if text]
        self.budget.take(sum(len(text) for text in texts))
        return _Para(texts, floating)

    def _inline(self, element: Any, lines: list[list[str]], floating: list[_Block]) -> None:
        """The text of runs in reading order; a line break starts a new line."""
        for child in element:
            tag = child.tag
            if tag in _TEXT_TAGS:
                lines[-1].append(child.text or "")
            elif tag in _SPACE_TAGS:
                lines[-1].append(" ")
            elif tag in _BREAK_TAGS:
                lines.append([])
            elif tag == _W + "noBreakHyphen":
                lines[-1].append("-")
            elif tag == _NOTE_REFERENCE:
                lines[-1].append(self._mark(child.get(_W + "id")))
            elif tag == _FRACTION:
                lines[-1].append(self._fraction(child))
            elif tag == _TEXT_BOX:
                floating.extend(self.blocks(child))
            elif tag == _ALTERNATE:
                if len(child):
                    self._inline(child[0], lines, floating)  # mc:Choice; mc:Fallback repeats it
            elif tag not in _SKIPPED_TAGS and len(child):
                self._inline(child, lines, floating)

    def _fraction(self, fraction: Any) -> str:
        """An equation's fraction on one line, "numerator / denominator"."""
        parts = []
        for name in ("num", "den"):
            lines: list[list[str]] = [[]]
            part = fraction.find(_M + name)
            if part is not None:
                self._inline(part, lines, [])
            parts.append(squeeze(" ".join("".join(line) for line in lines)))
        return " / ".join(parts)

    def _mark(self, note_id: str | None) -> str:
        if note_id not in self.notes:
            return ""
        number = self.numbers.setdefault(note_id, len(self.numbers) + 1)
        return f"[{number}]"

    def table(self, tbl: Any) -> _Table:
        """Rows of cells; a cell spanning columns comes once, one spanning rows in each row."""
        rows: list[list[_Cell]] = []
        above: dict[int, _Cell] = {}
        for tr in _children(tbl, _TR):
            row: list[_Cell] = []
            here: dict[int, _Cell] = {}
            column = _int_property(tr, _TR_PR, _GRID_BEFORE, 0)
            for tc in _children(tr, _TC):
                span = max(1, _int_property(tc, _TC_PR, _GRID_SPAN, 1))
                if _continues_above(tc) and column in above:
                    cell = above[column]
                else:
                    cell = _Cell(self.blocks(tc))
                for offset in range(span):
                    here[column + offset] = cell
                row.append(cell)
                column += span
            rows.append(row)
            above = here
        return _Table(rows)

    def footnote_texts(self) -> list[tuple[int, str]]:
        """(number, text) of every footnote that was referenced, in the order of its number."""
        result = []
        for note_id, number in list(self.numbers.items()):
            lines = _flat_lines(self.blocks(self.notes[note_id]))
            result.append((number, " ".join(lines)))
        return result


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Children with this tag (w:tr, w:tc), looking through content controls and custom XML."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == _CUSTOM_XML:
            yield from _children(child, tag)


def _property(element: Any, properties: str, name: str) -> Any:
    """The `name` child of the element's `properties` child (its first child, when present)."""
    if len(element) and element[0].tag == properties:
        for child in element[0]:
            if child.tag == name:
                return child
    return None


def _int_property(element: Any, properties: str, name: str, default: int) -> int:
    node = _property(element, properties, name)
    value = node.get(_VAL) if node is not None else None
    return int(value) if value is not None and value.lstrip("-").isdigit() else default


def _continues_above(tc: Any) -> bool:
    """Whether the cell is the second or a later row of a vertical merge (w:vMerge continue)."""
    merge = _property(tc, _TC_PR, _V_MERGE)
    return merge is not None and merge.get(_VAL, "continue") == "continue"


class _Output:
    """The paragraphs of the result, with their total size kept under the limit."""

    def __init__(self, limit: int) -> None:
        self.paragraphs: list[str] = []
        self.budget = _Budget(limit)

    def add(self, text: str) -> None:
        if text:
            self.budget.take(len(text) + (2 if self.paragraphs else 0))
            self.paragraphs.append(text)


def _render(blocks: Iterable[_Block], out: _Output) -> None:
    """Body paragraphs: one each, line breaks as spaces; a paragraph of no word is decoration."""
    for block in blocks:
        if isinstance(block, _Para):
            text = " ".join(block.lines)
            if _has_word(text):
                out.add(text)
            _render(block.floating, out)
        else:
            _render_table(block, out)


def _render_table(table: _Table, out: _Output) -> None:
    rows = [_distinct(row) for row in table.rows]
    if _is_layout(rows):
        seen: set[int] = set()
        for cell in (cell for row in rows for cell in row):
            if id(cell) not in seen:
                seen.add(id(cell))
                _render_layout_cell(cell.blocks, out)
        return
    for row in rows:
        texts = (" ".join(_flat_lines(cell.blocks)) for cell in row)
        out.add(" | ".join(text for text in texts if text))


def _render_layout_cell(blocks: Iterable[_Block], out: _Output) -> None:
    """A letterhead or signature cell: each line its own paragraph, as it stands on the page."""
    for block in blocks:
        if isinstance(block, _Para):
            for line in block.lines:
                if _has_word(line):
                    out.add(line)
            _render_layout_cell(block.floating, out)
        else:
            _render_table(block, out)


def _is_layout(rows: Sequence[Sequence[_Cell]]) -> bool:
    if all(len(row) <= 1 for row in rows):
        return bool(rows)  # a frame around text
    if len(rows) > LAYOUT_MAX_ROWS or any(len(row) > LAYOUT_MAX_COLUMNS for row in rows):
        return False  # decided without reading the cells of a big table
    return looks_like_layout_table([[_flat_lines(cell.blocks) for cell in row] for row in rows])


def _distinct(row: Sequence[_Cell]) -> list[_Cell]:
    seen: set[int] = set()
    result = []
    for cell in row:
        if id(cell) not in seen:
            seen.add(id(cell))
            result.append(cell)
    return result


def _flat_lines(blocks: Iterable[_Block]) -> list[str]:
    """Every line of text in the blocks, nested tables and text boxes included, in order."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, _Para):
            lines.extend(block.lines)
            lines.extend(_flat_lines(block.floating))
        else:
            for row in block.rows:
                for cell in _distinct(row):
                    lines.extend(_flat_lines(cell.blocks))
    return lines


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


# ----------------------------------------------------------------- letterhead and signature

LAYOUT_MAX_ROWS = 12
LAYOUT_MAX_COLUMNS = 3
_SMALL_TABLE_ROWS = 3

_AUTHORITY = re.compile(r"^(?:TM|T/M|KT|K/T|Q|TL|T/L|TUQ)(?:\.\s*|\s+)\S")
_DATELINE = re.compile(r"^[^,]{2,60}, ngay\b.*\bthang\b.*\bnam\b")
_NUMBER_LINE = re.compile(r"^so\s*:")
_SIGN_HINT = re.compile(r"^\(\s*ky\b.*\)$")
_POSITION = re.compile(
    r"^(?:pho |quyen )?(?:chu tich|giam doc|tong giam doc|bo truong|thu truong|thu tuong"
    r"|truong ban|chanh van phong|bi thu|hieu truong|(?:tong |chi )?cuc truong|vu truong"
    r"|truong phong|chu nhiem|chanh thanh tra|vien truong|truong khoa|chanh an"
    r"|nguoi lap bieu|nguoi ke khai)"
    r"(?: [a-z ]{1,40})?$"
)


def letterhead_marker(line: str) -> str | None:
    """The kind of letterhead or signature line `line` is, or None for any other line.

    Kinds: "national" (CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM, Độc lập - Tự do - Hạnh phúc, ĐẢNG
    CỘNG SẢN VIỆT NAM), "number" (Số: 12/KH-UBND), "dateline" (X, ngày … tháng … năm …),
    "recipients" (Nơi nhận), "authority" (TM./KT./Q./TL./TUQ. …), "position" (CHỦ TỊCH, PHÓ
    GIÁM ĐỐC … in capitals), "signature" ((Ký, ghi rõ họ tên)).
    """
    folded = fold(line)
    if folded.startswith(("cong hoa xa hoi chu nghia viet nam", "dang cong san viet nam")) or (
        "doc lap" in folded and "tu do" in folded and "hanh phuc" in folded
    ):
        return "national"
    checks = (
        ("number", _NUMBER_LINE.match(folded)),
        ("dateline", _DATELINE.match(folded)),
        ("recipients", folded.startswith("noi nhan")),
        ("authority", line.isupper() and _AUTHORITY.match(line.strip())),
        ("position", line.isupper() and _POSITION.match(folded)),
        ("signature", _SIGN_HINT.match(folded)),
    )
    return next((kind for kind, matched in checks if matched), None)


def looks_like_layout_table(rows: Sequence[Sequence[Sequence[str]]]) -> bool:
    """Whether a table is page layout (letterhead, signature block) rather than data.

    `rows` holds, for each row, each distinct cell's lines. A table of one column is a frame
    around text. Otherwise a layout table is narrow (at most 3 cells a row) and says what only a
    letterhead or signature says: a small one (at most 3 rows) needs one such line, a taller one
    (up to 12 rows: a signature laid out a line per row) two different kinds, so that a short
    list that happens to hold "Số:" stays data.
    """
    if not rows:
        return False
    if all(len(row) <= 1 for row in rows):
        return True
    if len(rows) > LAYOUT_MAX_ROWS or any(len(row) > LAYOUT_MAX_COLUMNS for row in rows):
        return False
    kinds = {letterhead_marker(line) for row in rows for cell in row for line in cell}
    kinds.discard(None)
    return bool(kinds) if len(rows) <= _SMALL_TABLE_ROWS else len(kinds) >= 2


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
    budget = _Budget(limit)
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
