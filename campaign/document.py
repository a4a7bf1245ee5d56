"""A Vietnamese administrative document, read into a model: the whole genre, not one file.

Launch plans (Kế hoạch, Phát động), decisions with the regulation they issue (Quyết định +
Quy định/Quy chế), guidance, directives, cables (Công điện, Chỉ thị) and letters (Công văn)
share one skeleton, set by the state's rules for official documents: a letterhead (the body
above the issuer, the issuer, "Số: 86/2025/QĐ-UBND", place and date), the kind and the title,
a preamble ("Căn cứ …", "Thực hiện …"), a body numbered in whatever scheme the author chose
(Phần/Chương/Mục/Điều, I., 1., 1.1, a), -, +), "Nơi nhận", the signature (TM./KT./Q./TL., the
position, the name), and after it attachments: the regulation a decision issues, appendices
(Phụ lục, Mẫu số) with their tables, footnotes.

The parser keeps every paragraph as a Passage with the passage it hangs under, so an answer
can quote a passage under its heading path together with the list it introduces. Nothing is
invented: a field the text does not give stays None.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import cached_property

from campaign.layout import TABLE_CELL, paragraphs
from campaign.text import case_habits, fold, is_caps, recase

MAX_TEXT_CHARS = 2_000_000
"""About 500 pages: longer is not one administrative document (the readers stop there)."""


class DocumentError(ValueError):
    """The text cannot be read as a document; `key` names the message for the user."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class Kind(StrEnum):
    """What a document is, by the word that heads it."""

    KE_HOACH = "ke_hoach"
    PHAT_DONG = "phat_dong"
    QUYET_DINH = "quyet_dinh"
    QUY_DINH = "quy_dinh"
    QUY_CHE = "quy_che"
    HUONG_DAN = "huong_dan"
    CONG_DIEN = "cong_dien"
    CHI_THI = "chi_thi"
    CONG_VAN = "cong_van"
    THONG_BAO = "thong_bao"
    NGHI_QUYET = "nghi_quyet"
    CHUONG_TRINH = "chuong_trinh"
    KEU_GOI = "keu_goi"
    LUAT = "luat"
    NGHI_DINH = "nghi_dinh"
    THONG_TU = "thong_tu"
    BAO_CAO = "bao_cao"
    VAN_BAN = "van_ban"
    """Anything else: a letter, an article, a text without a recognisable heading."""


KIND_WORDS: tuple[tuple[str, Kind], ...] = (
    ("ke hoach", Kind.KE_HOACH),
    ("phat dong", Kind.PHAT_DONG),
    ("quyet dinh", Kind.QUYET_DINH),
    ("quy dinh", Kind.QUY_DINH),
    ("quy che", Kind.QUY_CHE),
    ("huong dan", Kind.HUONG_DAN),
    ("cong dien", Kind.CONG_DIEN),
    ("chi thi", Kind.CHI_THI),
    ("cong van", Kind.CONG_VAN),
    ("thong bao", Kind.THONG_BAO),
    ("nghi quyet", Kind.NGHI_QUYET),
    ("chuong trinh", Kind.CHUONG_TRINH),
    ("loi keu goi", Kind.KEU_GOI),
    ("thu keu goi", Kind.KEU_GOI),
    ("luat", Kind.LUAT),
    ("nghi dinh", Kind.NGHI_DINH),
    ("thong tu", Kind.THONG_TU),
    ("bao cao", Kind.BAO_CAO),
)
"""Folded heading words, longest meaning first where one starts another."""

REGULATION_KINDS = frozenset(
    {Kind.QUY_DINH, Kind.QUY_CHE, Kind.HUONG_DAN, Kind.LUAT, Kind.NGHI_DINH, Kind.THONG_TU}
)


class Zone(StrEnum):
    """Where in the document's skeleton a passage stands."""

    LETTERHEAD = "letterhead"
    TITLE = "title"
    PREAMBLE = "preamble"
    ADDRESSEES = "addressees"
    BODY = "body"
    RECIPIENTS = "recipients"
    SIGNATURE = "signature"
    ATTACHMENT = "attachment"
    FOOTNOTE = "footnote"


_PROSE = frozenset({"preamble", "addressees", "body", "recipients", "attachment", "footnote"})
"""Zones written in sentences: where a document's own way of writing a word is seen (the
letterhead, title and signature are in capitals)."""

RANKS = {
    "attachment": 0,
    "caps": 1,
    "part": 1,
    "chapter": 2,
    "section": 3,
    "article": 4,
    "roman": 4,
    "upper": 5,
    "arabic": 6,
    "dotted": 7,
    "letter": 8,
    "dash": 9,
    "plus": 10,
    "bullet": 10,
}
"""Nesting order of the numbering schemes: a marker closes every open one of its rank or
deeper. Roman parts and articles are both the body's top level."""
BULLETS = frozenset({"dash", "plus", "bullet"})


@dataclass(frozen=True)
class Marker:
    """The numbering a paragraph starts with: kind ("article", "letter", …) and label."""

    kind: str
    label: str

    @property
    def rank(self) -> int:
        return RANKS[self.kind]


@dataclass(frozen=True)
class Passage:
    """One paragraph (or table row) of the document, where it stands and what it hangs under."""

    index: int
    text: str
    """As written, with its own numbering ("a) Tập thể: …")."""
    zone: Zone
    marker: Marker | None = None
    parent: int | None = None
    """The passage it belongs to: its heading, or the lead-in of the list it is an item of."""
    heading: bool = False
    """A title-like heading ("Điều 4. Tiêu chí chung (20 điểm)"), not a sentence."""
    cells: tuple[str, ...] = ()
    """A table row's cells; `header` is the table's first row."""
    header: int | None = None

    @property
    def body(self) -> str:
        """The text without its numbering."""
        return strip_marker(self.text) if self.marker else self.text


@dataclass(frozen=True)
class Letterhead:
    bodies: tuple[str, ...] = ()
    """Issuing bodies from the top: ("UBND tỉnh Lạng Sơn", "Sở Giao thông vận tải")."""
    number: str | None = None
    """ "86/2025/QĐ-UBND"; None when the copy leaves the number blank."""
    place: str | None = None
    issued_on: date | None = None
    issued_month: tuple[int, int] | None = None
    """(year, month) when the day is left blank ("ngày tháng 01 năm 2025")."""
    source: int | None = None
    """When the copy has no letterhead, the passage the number and date were read from
    instead ("(Kèm theo Nghị quyết số 394/NQ-CP ngày 03 tháng 12 năm 2025 …)")."""

    @property
    def issuer(self) -> str | None:
        return self.bodies[-1] if self.bodies else None

    @property
    def parent(self) -> str | None:
        return self.bodies[-2] if len(self.bodies) > 1 else None


@dataclass(frozen=True)
class Signature:
    lines: tuple[str, ...]
    """The capitalised lines as written: ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")."""
    name: str

    @property
    def position(self) -> str:
        """The signer's own position: the last line, without TM./KT./Q./TL."""
        return _SIGNING_MODE.sub("", self.lines[-1]).strip() if self.lines else ""

    @property
    def text(self) -> str:
        return " / ".join((*self.lines, self.name))


@dataclass
class Document:
    kind: Kind
    title: str
    letterhead: Letterhead
    passages: list[Passage]
    addressees: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signature: Signature | None = None
    attachments: list[Kind] = field(default_factory=list)
    """The kinds of what is attached after the signature (a decision's Quy định, …)."""
    warnings: list[str] = field(default_factory=list)
    """Message keys of what the reader should know ("document.unstructured")."""
    year: int | None = None
    _children: dict[int, list[int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for passage in self.passages:
            if passage.parent is not None:
                self._children.setdefault(passage.parent, []).append(passage.index)

    @cached_property
    def habits(self) -> dict[str, str]:
        """How this document writes its words when not in capitals (see text.recase)."""
        return case_habits("\n".join(p.text for p in self.passages if p.zone in _PROSE))

    def recased(self, text: str) -> str:
        """A capitalised heading of this document in the case it writes those words."""
        return recase(text, self.habits)

    @property
    def issuer(self) -> str | None:
        return self.letterhead.issuer

    @property
    def number(self) -> str | None:
        return self.letterhead.number

    @property
    def issued_on(self) -> date | None:
        return self.letterhead.issued_on

    @property
    def structured(self) -> bool:
        return "document.unstructured" not in self.warnings

    @property
    def regulation(self) -> bool:
        """A standing rule (a regulation, guidance, or a decision that issues one)."""
        return self.kind in REGULATION_KINDS or any(k in REGULATION_KINDS for k in self.attachments)

    def children(self, index: int) -> list[Passage]:
        return [self.passages[i] for i in self._children.get(index, ())]

    def introduces(self, index: int) -> bool:
        """Whether a passage leads in the passages under it: a heading, or a sentence ending
        with ":" ("… đạt các tiêu chuẩn sau đây:")."""
        passage = self.passages[index]
        body = passage.body.rstrip()
        return bool(self._children.get(index)) and (
            passage.heading
            or body.endswith(":")
            or bool(re.search(r"(?:như sau|sau đây|gồm|bao gồm)\s*:?$", body))
        )

    def items(self, index: int) -> list[Passage]:
        """The list a passage introduces (its children), or nothing."""
        return self.children(index) if self.introduces(index) else []

    def ancestors(self, index: int) -> list[Passage]:
        """The passages `index` hangs under, outermost first."""
        chain = []
        parent = self.passages[index].parent
        while parent is not None:
            chain.append(self.passages[parent])
            parent = self.passages[parent].parent
        return chain[::-1]

    def headings(self) -> list[Passage]:
        return [p for p in self.passages if p.heading]

    def in_zones(self, *zones: Zone) -> Iterator[Passage]:
        return (p for p in self.passages if p.zone in zones)

    def footnotes_of(self, index: int) -> list[Passage]:
        """The footnotes a passage refers to ("[2]"): the first of that number after it, since
        appendices number their footnotes afresh."""
        marks = _FOOTNOTE_REF.findall(self.passages[index].text)
        found = []
        for mark in dict.fromkeys(marks):
            for passage in self.passages[index + 1 :]:
                if (
                    passage.zone == Zone.FOOTNOTE
                    and passage.marker
                    and passage.marker.label == mark
                ):
                    found.append(passage)
                    break
        return found


# -- markers ------------------------------------------------------------------------------

_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(r"^(?:Phần|PHẦN)\s+(thứ\s+\w+|THỨ\s+\w+|[IVXLC]+|[0-9]+)\b[.:]?\s*(.*)$")),
    ("chapter", re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLC]+|[0-9]+)\b[.:]?\s*(.*)$")),
    ("section", re.compile(r"^(?:Mục|MỤC)\s+([IVXLC]+|[0-9]+)\b[.:]?\s*(.*)$")),
    ("article", re.compile(r"^(?:Điều|ĐIỀU)\s+([0-9]+)\s*[.:]\s*(.*)$")),
    ("roman", re.compile(rf"^({_ROMAN})\s*[.)]\s+(\S.*)$")),
    ("upper", re.compile(r"^([A-H])[.)]\s+(\S.*)$")),
    ("dotted", re.compile(r"^([0-9]{1,2}(?:\.[0-9]{1,2})+)\.?\s+(\S.*)$")),
    ("arabic", re.compile(r"^([0-9]{1,2})\s*[.)]\s*(\S.*)$")),
    ("letter", re.compile(r"^([a-zđ])\s*[)]\s*(\S.*)$|^([a-zđ])\.\s+([A-ZĐÀ-Ỹ].*)$")),
    ("dash", re.compile(r"^([-–—])\s*(\S.*)$")),
    ("plus", re.compile(r"^(\+)\s*(\S.*)$")),
    ("bullet", re.compile(r"^([•·*▪●○◦])\s*(\S.*)$")),
)
_FOOTNOTE = re.compile(r"^\[([0-9]{1,3})\]\s*(\S.*)$")
_FOOTNOTE_REF = re.compile(r"(?<=\S)\[([0-9]{1,3})\]")
_SENTENCE_END = re.compile(r"[.;!?…]$")


def read_marker(text: str) -> tuple[Marker, str] | None:
    """The numbering a paragraph starts with and the rest of it, or None."""
    for kind, pattern in _MARKERS:
        match = pattern.match(text)
        if not match:
            continue
        groups = [g for g in match.groups() if g is not None]
        label, rest = groups[0], groups[1] if len(groups) > 1 else ""
        if kind == "roman" and not label:
            continue
        return Marker(kind, label), rest.strip()
    return None


def strip_marker(text: str) -> str:
    found = read_marker(text)
    return found[1] if found else text


# -- the skeleton ---------------------------------------------------------------------------

_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc", "doc lap tu do")
_NUMBER_LINE = re.compile(r"^(?:so|số|Số|SỐ)\s*[:.]\s*(.*)$")
_DATE_LINE = re.compile(r"^([^,]{2,40}),\s*ngay\b(.*)$")
_DATE_PARTS = re.compile(r"ngay\s*([0-9]{1,2})?\s*thang\s*([0-9]{1,2})?\s*nam\s*([0-9]{4})")
_PREAMBLE_STARTS = (
    "can cu",
    "thuc hien",
    "theo de nghi",
    "nham",
    "kinh gui",
    "de ",
    "trien khai",
    "qua ",
    "tiep theo",
    "thiet thuc",
    "xet de nghi",
    "tren co so",
    "huong ung",
)
_SIGNING_MODE = re.compile(r"^(?:TM|KT|Q|TL|TUQ|T/M|K/T|T/L)\s*\.?\s*", re.IGNORECASE)
_POSITION_WORDS = (
    "chu tich",
    "giam doc",
    "thu tuong",
    "bo truong",
    "truong ban",
    "truong phong",
    "bi thu",
    "chanh van phong",
    "tong giam doc",
    "hieu truong",
    "vien truong",
    "cuc truong",
    "thu truong",
    "pho ",
    "uy vien",
    "truong",
)
_BODY_WORDS = (
    "uy ban",
    "ubnd",
    "hdnd",
    "hoi dong",
    "so ",
    "bo ",
    "ban ",
    "tong cuc",
    "cuc ",
    "vien ",
    "truong ",
    "cong doan",
    "doan ",
    "hoi ",
    "thu tuong",
    "chinh phu",
    "van phong",
    "tinh uy",
    "thanh uy",
    "huyen uy",
    "dang uy",
    "ban chap hanh",
    "trung tam",
    "cong an",
    "bo chi huy",
    "chi cuc",
    "phong ",
    "toa an",
    "vien kiem sat",
    "kho bac",
    "benh vien",
    "quoc hoi",
    "mat tran",
    "tap doan",
    "tong cong ty",
    "cong ty",
)
_PLACE_WORDS = ("tinh ", "thanh pho ", "huyen ", "quan ", "xa ", "phuong ", "thi xa ", "dac khu ")
_APPENDIX = re.compile(r"^(?:phu luc|mau so|mau|bieu so|bieu mau|danh muc)\b")
_NAME = re.compile(r"^(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s+){1,5}[A-ZĐÀ-Ỹ][\wÀ-ỹ]*$")
_SIGNED_NOTE = re.compile(r"^[\[(]\s*(?:đã ký|da ky|ký|ky)\b.*[\])]$", re.IGNORECASE)

MAX_HEADING = 160


def _kind_of(line: str) -> tuple[Kind, str] | None:
    """A heading line naming the document's kind, and what follows the word on that line."""
    if not (is_caps(line) or fold(line) in {w for w, _ in KIND_WORDS}):
        return None
    folded = fold(line).rstrip(":")
    for words, kind in KIND_WORDS:
        if folded == words or folded.startswith(words + " "):
            rest = line.split(None, len(words.split()))
            return kind, (rest[-1] if len(rest) > len(words.split()) else "")
    return None


def _is_motto(folded: str) -> bool:
    return folded.startswith(_MOTTO) or folded.strip("-_ ") == ""


def _signature_at(paras: list[str], start: int) -> tuple[int, Signature] | None:
    """A signature block starting at `start`: capitalised position lines, maybe "(Đã ký)",
    then the signer's name. Returns the index after it and the block."""
    lines: list[str] = []
    index = start
    while index < len(paras) and len(lines) < 5:
        line = paras[index]
        if is_caps(line) and len(line) <= 80 and not read_marker(line):
            lines.append(line)
            index += 1
            continue
        break
    if not lines or not any(_is_position(line) for line in lines):
        return None
    while index < len(paras) and _SIGNED_NOTE.match(paras[index]):
        index += 1
    if index >= len(paras):
        return None
    name = paras[index].strip()
    if not _NAME.match(name) or len(name) > 40:
        return None
    return index + 1, Signature(tuple(lines), name)


def _is_position(line: str) -> bool:
    folded = fold(line)
    return bool(_SIGNING_MODE.match(line)) or any(
        folded.startswith(w) or f" {w}" in f" {folded}" for w in _POSITION_WORDS
    )


def _is_body_line(folded: str) -> bool:
    return folded.startswith(_BODY_WORDS) or folded.startswith(_PLACE_WORDS)


class _Reader:
    """One pass over the paragraphs, building passages with their parents."""

    def __init__(self, paras: list[str]) -> None:
        self.paras = paras
        self.passages: list[Passage] = []
        self.stack: list[tuple[Passage, float]] = []
        """Open headings, items and lead-ins with their rank, outermost first."""
        self.table_header: int | None = None

    def add(
        self,
        text: str,
        zone: Zone,
        *,
        marker: Marker | None = None,
        parent: int | None = None,
        heading: bool = False,
    ) -> Passage:
        cells: tuple[str, ...] = ()
        header = None
        if TABLE_CELL in text:
            cells = tuple(c.strip() for c in text.split(TABLE_CELL) if c.strip())
            if self.table_header is None:
                self.table_header = len(self.passages)
            header = self.table_header
        else:
            self.table_header = None
        passage = Passage(len(self.passages), text, zone, marker, parent, heading, cells, header)
        self.passages.append(passage)
        return passage

    def open_root(self, passage: Passage) -> None:
        self.stack = [(passage, RANKS["attachment"])]

    @property
    def parent(self) -> int | None:
        return self.stack[-1][0].index if self.stack else None

    def place(self, text: str, zone: Zone, *, min_rank: int = 0) -> Passage:
        """Add a body paragraph under the right parent, by its numbering. An unnumbered
        paragraph ending with ":" leads in a list: the items after it hang under it."""
        found = None if TABLE_CELL in text else read_marker(text)
        if found is None:
            while (
                self.stack and self.stack[-1][0].marker and self.stack[-1][0].marker.kind in BULLETS
            ):
                self.stack.pop()
            if is_caps(text) and len(text) <= MAX_HEADING and zone == Zone.ATTACHMENT:
                return self._push(text, zone, Marker("caps", ""), heading=True, min_rank=min_rank)
            passage = self.add(text, zone, parent=self.parent)
            if text.rstrip().endswith(":") and TABLE_CELL not in text:
                rank = self.stack[-1][1] + 0.5 if self.stack else 0.5
                self.stack.append((passage, rank))
            return passage
        marker, rest = found
        heading = marker.kind in ("part", "chapter", "section", "roman", "upper") or (
            len(rest) <= MAX_HEADING
            and not _SENTENCE_END.search(rest)
            and marker.kind not in BULLETS
        )
        return self._push(text, zone, marker, heading=heading, min_rank=min_rank)

    def _push(
        self, text: str, zone: Zone, marker: Marker, *, heading: bool, min_rank: int
    ) -> Passage:
        rank = max(marker.rank, min_rank)
        while self.stack and self.stack[-1][1] >= rank:
            if self.stack[-1][0].marker and self.stack[-1][0].marker.kind == "attachment":
                break
            self.stack.pop()
        passage = self.add(text, zone, marker=marker, parent=self.parent, heading=heading)
        self.stack.append((passage, rank))
        return passage


def parse(text: str, *, year: int | None = None) -> Document:
    """Read a document. Raises DocumentError("document.empty") when there is no text, and
    ("document.no_year") when no year can be found and none is given."""
    paras = paragraphs(text)
    if not paras:
        raise DocumentError("document.empty")
    reader = _Reader(paras)
    index, letterhead_lines = _letterhead(paras)
    kind, title_lines, index = _kind_and_title(paras, index)
    for line in letterhead_lines:
        reader.add(line, Zone.LETTERHEAD)
    if title_lines:
        reader.add(" ".join(title_lines), Zone.TITLE, heading=True)

    addressees: list[str] = []
    recipients: list[str] = []
    signature: Signature | None = None
    attachments: list[Kind] = []
    zone = Zone.PREAMBLE
    body_started = False
    while index < len(paras):
        para = paras[index]
        folded = fold(para)
        if zone in (Zone.PREAMBLE, Zone.BODY, Zone.ADDRESSEES) and folded.startswith("noi nhan"):
            zone = Zone.RECIPIENTS
            rest = para.split(":", 1)[1].strip() if ":" in para else ""
            if rest:
                recipients.append(rest.rstrip(";.,"))
            reader.add(para, Zone.RECIPIENTS)
            index += 1
            continue
        if zone in (Zone.PREAMBLE, Zone.BODY, Zone.RECIPIENTS, Zone.ADDRESSEES) and (
            signature is None and (found := _signature_at(paras, index))
        ):
            index, signature = found
            reader.add(signature.text, Zone.SIGNATURE)
            zone = Zone.ATTACHMENT
            reader.stack = []
            continue
        if zone == Zone.RECIPIENTS:
            marker = read_marker(para)
            if marker and marker[0].kind in BULLETS | {"arabic"}:
                recipients.append(marker[1].rstrip(";.,").strip())
                reader.add(para, Zone.RECIPIENTS, marker=marker[0])
                index += 1
                continue
            if folded.startswith("luu"):
                recipients.append(para.rstrip(";.,"))
                reader.add(para, Zone.RECIPIENTS)
                index += 1
                continue
            zone = Zone.ATTACHMENT
            reader.stack = []
        if zone == Zone.ATTACHMENT:
            index = _after_signature(reader, paras, index, attachments)
            continue
        # letterhead-like lines, the addressees and the preamble, then the body
        if zone in (Zone.PREAMBLE, Zone.ADDRESSEES) and not body_started:
            marker = read_marker(para)
            if folded.startswith("kinh gui") or re.search(r"\bdien\s*:$", folded):
                rest = para.split(":", 1)[1].strip() if ":" in para else ""
                if rest:
                    addressees.append(rest.rstrip(";.,"))
                reader.add(para, Zone.ADDRESSEES)
                zone = Zone.ADDRESSEES
                index += 1
                continue
            if zone == Zone.ADDRESSEES and marker and marker[0].kind in BULLETS:
                addressees.append(marker[1].rstrip(";.,").strip())
                reader.add(para, Zone.ADDRESSEES, marker=marker[0])
                index += 1
                continue
            zone = Zone.PREAMBLE
            if (marker and marker[0].kind not in BULLETS) or _kind_of(para):
                body_started = True
                zone = Zone.BODY
                if _kind_of(para) and not marker:  # "QUYẾT ĐỊNH:" before the articles
                    reader.add(para, Zone.PREAMBLE)
                    index += 1
                    continue
            else:
                reader.add(para, Zone.PREAMBLE)
                index += 1
                continue
        text, index = _merge_title(paras, index)
        reader.place(text, Zone.BODY)

    passages = reader.passages
    habits = case_habits("\n".join(p.text for p in passages if p.zone in _PROSE))
    letterhead = _read_letterhead(letterhead_lines, habits, signature)
    if letterhead.number is None and kind is not None:
        letterhead = _number_from_caption(letterhead, passages, kind)
    if not letterhead.bodies:
        letterhead = replace(letterhead, bodies=_issuer_from_text(passages, habits))
    title = recase(" ".join(title_lines), habits) if title_lines else ""
    warnings = []
    structured = any(p.marker and p.zone in (Zone.BODY, Zone.ATTACHMENT) for p in passages)
    if not structured and not letterhead_lines and not title_lines:
        warnings.append("document.unstructured")
        kind = Kind.VAN_BAN
    document = Document(
        kind=kind or Kind.VAN_BAN,
        title=title or _first_sentence(passages),
        letterhead=letterhead,
        passages=passages,
        addressees=addressees,
        recipients=recipients,
        signature=signature,
        attachments=attachments,
        warnings=warnings,
    )
    document.__dict__["habits"] = habits  # the cached property, already computed
    document.year = year or _year(document)
    if document.year is None:
        raise DocumentError("document.no_year")
    return document


def _merge_title(paras: list[str], index: int) -> tuple[str, int]:
    """ "Chương I" alone on its line takes the line after it as its title. Returns the text
    and the index of the next paragraph to read."""
    para = paras[index]
    found = read_marker(para)
    if (
        found
        and found[0].kind in ("part", "chapter", "section")
        and not found[1]
        and index + 1 < len(paras)
        and (is_caps(paras[index + 1]) or len(paras[index + 1]) < 100)
        and not read_marker(paras[index + 1])
    ):
        return f"{para} {paras[index + 1]}", index + 2
    return para, index + 1


def _after_signature(reader: _Reader, paras: list[str], index: int, kinds: list[Kind]) -> int:
    """Footnotes, and attachments (the regulation a decision issues, appendices, forms, a
    list of units) each parsed as a body of its own. Returns the next index to read."""
    para = paras[index]
    footnote = _FOOTNOTE.match(para)
    if footnote:
        reader.add(para, Zone.FOOTNOTE, marker=Marker("footnote", footnote.group(1)))
        return index + 1
    folded = fold(para)
    opens = _APPENDIX.match(folded) is not None
    if not reader.stack:  # the first thing after the signature: a regulation, a list, …
        opens = opens or is_caps(para)
    if opens and not read_marker(para):
        title = [para]
        index += 1
        while index < len(paras) and len(title) < 4:
            line = paras[index]
            if _starts_title(line, title):
                title.append(line)
                index += 1
                continue
            break
        kind = _kind_of(para)
        if kind:
            kinds.append(kind[0])
        root = reader.add(
            " ".join(title), Zone.ATTACHMENT, marker=Marker("attachment", para), heading=True
        )
        reader.open_root(root)
        while index < len(paras) and paras[index].startswith("(") and paras[index].endswith(")"):
            reader.add(paras[index], Zone.ATTACHMENT, parent=root.index)
            index += 1
        return index
    text, index = _merge_title(paras, index)
    reader.place(text, Zone.ATTACHMENT, min_rank=1)
    return index


def _starts_title(line: str, title: list[str]) -> bool:
    """A line that continues an attachment's title: capitalised, or the one short line that
    names a form ("Mẫu số 01" / "Mẫu báo cáo đề nghị …")."""
    if read_marker(line) or _is_motto(fold(line)) or line.endswith(","):
        return False
    if line.startswith("("):
        return False
    if is_caps(line):
        return True
    return len(title) == 1 and len(line) < 160 and not _SENTENCE_END.search(line)


def _letterhead(paras: list[str]) -> tuple[int, list[str]]:
    """The letterhead lines at the top and the index of the first paragraph after them."""
    lines = []
    index = 0
    while index < len(paras) and index < 24:
        para = paras[index]
        folded = fold(para)
        if _kind_of(para) or read_marker(para):
            break
        if (
            _is_motto(folded)
            or _NUMBER_LINE.match(para)
            or _DATE_LINE.match(folded)
            or (is_caps(para) and len(para) <= 100)
            or folded.startswith(("v/v", "ve viec"))
        ):
            lines.append(para)
            index += 1
            continue
        break
    if not any(_is_motto(fold(line)) or _NUMBER_LINE.match(line) for line in lines):
        # No letterhead markers: what looked like one is the start of the text itself.
        return 0, []
    return index, lines


def _kind_and_title(paras: list[str], index: int) -> tuple[Kind | None, list[str], int]:
    """The kind word ("KẾ HOẠCH") and the title lines after it (or on the same line)."""
    if index >= len(paras):
        return None, [], index
    found = _kind_of(paras[index])
    if found is None:
        return None, [], index
    kind, rest = found
    title = [rest] if rest else []
    index += 1
    while index < len(paras) and len(title) < 6:
        para = paras[index]
        folded = fold(para)
        kind_line = _kind_of(para)
        if read_marker(para) or folded.startswith(_PREAMBLE_STARTS):
            break
        if kind_line and (title or not kind_line[1]):
            break  # "QUYẾT ĐỊNH:" opens the articles; "PHÁT ĐỘNG PHONG TRÀO …" is a title
        if re.search(r"\bdien\s*:$", folded):
            break
        if is_caps(para) and title and _is_body_line(folded) and not folded.startswith("ve"):
            break  # "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ": the authority that decides
        if is_caps(para) or (para.startswith("(") and para.endswith(")")):
            title.append(para)
            index += 1
            continue
        if not title and len(para) < 300:
            title.append(para)
            index += 1
        break
    return kind, title, index


def _read_letterhead(
    lines: list[str], habits: dict[str, str], signature: Signature | None
) -> Letterhead:
    bodies: list[list[str]] = []
    number = place = None
    issued_on = None
    issued_month = None
    for line in lines:
        folded = fold(line)
        numbered = _NUMBER_LINE.match(line)
        if numbered:
            value = numbered.group(1).strip()
            number = value if re.match(r"^[0-9]+\S*/", value) else None
            continue
        dated = _DATE_LINE.match(folded)
        if dated:
            place = line.split(",", 1)[0].strip()
            parts = _DATE_PARTS.search(folded)
            if parts:
                day, month, year = (int(g) if g else None for g in parts.groups())
                if year and month:
                    issued_month = (year, month)
                    if day:
                        try:
                            issued_on = date(year, month, day)
                        except ValueError:
                            issued_on = None
            continue
        if _is_motto(folded) or not is_caps(line) or folded.startswith(("v/v", "ve viec")):
            continue
        if bodies and folded.startswith(_PLACE_WORDS):
            bodies[-1].append(line)
        else:
            bodies.append([line])
    names = tuple(recase(" ".join(body), habits) for body in bodies)
    return Letterhead(names, number, place, issued_on, issued_month)


_CAPTION = re.compile(
    r"\(\s*(?:ban hành )?kèm theo\s+(?P<kind>[^()]{3,40}?)\s+số\s*"
    r"(?P<number>[0-9]+/[^\s,;)]+)(?P<rest>[^)]*)\)",
    re.IGNORECASE,
)


def _number_from_caption(letterhead: Letterhead, passages: list[Passage], kind: Kind) -> Letterhead:
    """A copy without a letterhead still names itself in its appendices' captions."""
    for passage in passages:
        if passage.zone != Zone.ATTACHMENT:
            continue
        match = _CAPTION.search(passage.text)
        if match is None or _kind_of(match.group("kind").upper()) is None:
            continue
        named = _kind_of(match.group("kind").upper())
        if named is None or named[0] != kind:
            continue
        issued = None
        parts = _DATE_PARTS.search(fold(match.group("rest")))
        if parts and all(parts.groups()):
            day, month, year = (int(g) for g in parts.groups())
            try:
                issued = date(year, month, day)
            except ValueError:
                issued = None
        return replace(
            letterhead,
            number=match.group("number"),
            issued_on=letterhead.issued_on or issued,
            issued_month=letterhead.issued_month
            or ((issued.year, issued.month) if issued else None),
            source=passage.index,
        )
    return letterhead


_ISSUING = re.compile(
    r"\b(?:Giám đốc|Chủ tịch|Thủ trưởng|Trưởng|Bộ trưởng|Thủ tướng|Hiệu trưởng|Viện trưởng)\s+"
    r"((?:Sở|Ủy ban|UBND|Ban|Bộ|Trường|Viện|Cục|Công đoàn)\s+[^,.;:]{3,80}?)\s+"
    r"(?:phát động|ban hành|quyết định|kêu gọi)"
)


def _issuer_from_text(passages: list[Passage], habits: dict[str, str]) -> tuple[str, ...]:
    """A copy without its letterhead still says who issues it: the authority line before the
    preamble ("CHÍNH PHỦ"), or "Giám đốc Sở Giao thông vận tải phát động …"."""
    for passage in passages:
        short_caps = is_caps(passage.text) and len(passage.text) < 80
        named = _is_body_line(fold(passage.text)) or fold(passage.text) == "chinh phu"
        if passage.zone == Zone.PREAMBLE and short_caps and named:
            return (recase(passage.text, habits),)
    for passage in passages:
        if passage.zone not in (Zone.PREAMBLE, Zone.TITLE):
            continue
        match = _ISSUING.search(passage.text)
        if match:
            return (match.group(1).strip(),)
    return ()


_YEAR_IN_TITLE = re.compile(r"\bnam\s+(20[0-9]{2})\b")
_ANY_YEAR = re.compile(r"\b(20[0-9]{2})\b")


def _year(document: Document) -> int | None:
    """The year a document is about: its title's ("năm 2026"), else its date, else the first
    year the text names."""
    found = _YEAR_IN_TITLE.search(fold(document.title))
    if found:
        return int(found.group(1))
    if document.letterhead.issued_month:
        return document.letterhead.issued_month[0]
    for passage in document.passages:
        found = _YEAR_IN_TITLE.search(fold(passage.text)) or _ANY_YEAR.search(passage.text)
        if found:
            return int(found.group(1))
    return None


def _first_sentence(passages: list[Passage]) -> str:
    for passage in passages:
        if passage.zone in (Zone.PREAMBLE, Zone.BODY):
            words = passage.text.split()
            return " ".join(words[:16]) + ("…" if len(words) > 16 else "")
    return ""


Locator = tuple[tuple[str, str], ...]
"""Where a passage stands, as the field cites it: (("article", "6"), ("clause", "1"),
("point", "a")), (("item", "II.1"),) for a plan's numbering, (("attachment", "Quy định"), …)
inside what a decision issues, (("zone", "preamble"),) outside the body."""

_OUTSIDE = (
    Zone.LETTERHEAD,
    Zone.TITLE,
    Zone.PREAMBLE,
    Zone.ADDRESSEES,
    Zone.RECIPIENTS,
    Zone.SIGNATURE,
)


def locator(document: Document, index: int) -> Locator:
    passage = document.passages[index]
    if passage.zone in _OUTSIDE:
        return (("zone", passage.zone.value),)
    parts: list[tuple[str, str]] = []
    numbers: list[str] = []
    in_article = False
    for item in (*document.ancestors(index), passage):
        marker = item.marker
        if marker is None:
            continue
        kind, label = marker.kind, marker.label
        if kind == "attachment":
            parts.append(("attachment", recase(label, {}) if is_caps(label) else label))
        elif kind in ("part", "chapter", "section", "footnote"):
            parts.append((kind, label))
        elif kind == "article":
            parts.append(("article", label))
            in_article = True
        elif in_article and kind == "arabic":
            parts.append(("clause", label))
        elif in_article and kind == "letter":
            parts.append(("point", label))
        elif kind in ("roman", "upper", "arabic", "letter"):
            numbers.append(label)
        elif kind == "dotted":
            while numbers and label.startswith(numbers[-1] + "."):
                numbers.pop()
            numbers.append(label)
    if numbers:
        parts.append(("item", ".".join(numbers)))
    return tuple(parts) or (("zone", passage.zone.value),)
