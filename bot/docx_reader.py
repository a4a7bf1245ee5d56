"""Reading a .docx as the text the parser in campaign/ reads (bot.documents.read_text's part).

Paragraphs come one each, in document order, each with the number Word's automatic numbering
shows before it (bot.docx_numbering); a data table gives one paragraph per row ("cell | cell"), a
layout table (the letterhead, the signature block) one paragraph per line of each cell; footnote
marks stay in the text as "[n]" and the footnotes follow at the very end as "[n] text".

The body XML is walked once, on python-docx's parsed tree: python-docx opens the package and
finds the parts; its paragraph and table lists lose the order of the two and look merged cells
up quadratically.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.docx_numbering import ListNumbering, with_marker
from bot.reading_budget import MAX_DOCX_XML_BYTES, Budget
from campaign.document import DocumentError
from campaign.inputs import read_int
from campaign.text import fold, squeeze

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The start of a legacy Word (.doc) file, or of a password-protected .docx."""

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_TWIPS = 999_999_999
"""Bigger than any page measure in twentieths of a point; a larger value is damage."""
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_FOOTNOTES, _NUMBERING, _STYLES = (
    _RELATIONSHIPS + name for name in ("footnotes", "numbering", "styles")
)

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


def read_docx(path: Path, limit: int) -> str:
    """Body paragraphs and tables in document order, then the footnotes.

    Raises DocumentError for a legacy Word file, or one too large to read (see read_text).
    """
    import docx  # python-docx; imported here so the bot starts without reading any file

    _check_package(path)
    document = docx.Document(str(path))
    part = document.part
    numbering = ListNumbering(_related_root(part, _NUMBERING), _related_root(part, _STYLES))
    walker = _DocxWalker(_footnotes(part), numbering, Budget(limit))
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
    """The document's footnotes by id, from word/footnotes.xml (python-docx has no API)."""
    root = _related_root(document_part, _FOOTNOTES)
    if root is None:
        return {}
    return {
        note.get(_W + "id"): note
        for note in root.iterchildren(_W + "footnote")
        if note.get(_W + "type") not in _SEPARATOR_NOTES
    }


def _related_root(document_part: Any, reltype: str) -> Any | None:
    """The root element of the document's part of this type (footnotes, numbering, styles).

    python-docx has parsed the parts it knows (numbering, styles); a part it does not know is
    parsed here, with lxml, without entity resolution or network access.
    """
    from lxml import etree

    for relationship in document_part.rels.values():
        if relationship.reltype == reltype and not relationship.is_external:
            part = relationship.target_part
            root = getattr(part, "element", None)
            if root is None:
                parser = etree.XMLParser(resolve_entities=False, no_network=True)
                root = etree.fromstring(part.blob, parser)
            return root
    return None


class _DocxWalker:
    """Turns WordprocessingML into blocks, in document order: footnote marks are numbered in
    order of appearance, and list paragraphs counted, the body's and the tables' alike."""

    def __init__(self, notes: Mapping[str, Any], numbering: ListNumbering, budget: Budget) -> None:
        self.notes = notes
        self.numbers: dict[str, int] = {}
        self.numbering = numbering
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
        """The paragraph's lines, the first one after the number Word shows before it."""
        marker = self.numbering.marker(p)  # counted before the text boxes anchored in it
        lines: list[list[str]] = [[]]
        floating: list[_Block] = []
        self._inline(p, lines, floating)
        texts = [text for text in (squeeze("".join(line)) for line in lines) if text]
        if marker:
            texts[:1] = [with_marker(marker, texts[0] if texts else "")]
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
        if note_id is None or note_id not in self.notes:
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
    number = None if value is None else read_int(value, -_MAX_TWIPS, _MAX_TWIPS, signed=True)
    return default if number is None else number


def _continues_above(tc: Any) -> bool:
    """Whether the cell is the second or a later row of a vertical merge (w:vMerge continue)."""
    merge = _property(tc, _TC_PR, _V_MERGE)
    return merge is not None and merge.get(_VAL, "continue") == "continue"


class _Output:
    """The paragraphs of the result, with their total size kept under the limit."""

    def __init__(self, limit: int) -> None:
        self.paragraphs: list[str] = []
        self.budget = Budget(limit)

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
