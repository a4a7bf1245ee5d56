"""What a document says, as facts a person can ask about, each with the passage it is read from.

The period of a campaign in every form it is written ("từ ngày phát động … đến hết ngày
31/12/2025", "từ tháng 10/2025 đến hết tháng 3/2026", "đến khi Đại hội … thành công", rounds),
every deadline with what is due and who owes it, targets and thresholds (percentages, 2/3,
point cut-offs, quotas), theme, slogan and motto, the titles and awards named, who does what,
and the anniversaries the text names. Nothing is invented: what the text does not write stays
None, and a period without an end has no end.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from campaign.docdates import When, find_dates
from campaign.document import Document, Passage, Zone
from campaign.text import fold, fold_aligned, is_caps

CONTENT_ZONES = (Zone.PREAMBLE, Zone.BODY, Zone.ATTACHMENT, Zone.FOOTNOTE)


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None
    text: str | None = None
    """The document's words for it, e.g. "Từ ngày phát động thi đua đến hết ngày 31 tháng 12
    năm 2025"; None when the document gives no period."""
    passage: int | None = None
    open_end: str | None = None
    """ "đến khi tổ chức thành công Đại hội …": an end named by an event, not a date."""
    rounds: tuple[tuple[date | None, date | None, str], ...] = ()
    from_issue: bool = False
    """It starts on the day the document is issued or the campaign launched."""


@dataclass(frozen=True)
class Deadline:
    date: datetime.date | None
    """The last day (the end of "từ ngày 10 đến ngày 15 tháng 12"); for a yearly deadline,
    the one in the document's year."""
    start: datetime.date | None  # `date` in this class is the field above
    when: str
    """The date words as written ("trước ngày 10/12 hằng năm")."""
    text: str
    """The sentence or clause it stands in: what is due."""
    who: str | None
    yearly: bool
    passage: int


@dataclass(frozen=True)
class Target:
    value: str
    """Normalised: "≥95%", "100%", ">8%", "2/3", "<75 điểm", "≤15 tập thể"."""
    number: float
    unit: str
    comparator: str
    metric: str | None
    """For a share of staff by rating: "done", "good", "excellent", or "key_tasks"."""
    text: str
    passage: int

    @property
    def percent(self) -> int:
        return round(self.number)


@dataclass(frozen=True)
class Motto:
    kind: str
    """ "theme" (chủ đề), "slogan" (khẩu hiệu), "motto" (phương châm)."""
    text: str
    passage: int


@dataclass(frozen=True)
class Award:
    name: str
    passage: int


@dataclass(frozen=True)
class Duty:
    body: str
    text: str
    passage: int


@dataclass(frozen=True)
class Commemoration:
    """An anniversary the document names: "Kỷ niệm 115 năm Ngày sinh … (17/8/1910 - 17/8/2025)"."""

    name: str
    anniversary: int
    first_year: int
    day: int | None
    month: int | None
    phrase: str
    section: str
    """The index of the passage it was read from."""
    year: int
    """The year of the anniversary the document celebrates."""


@dataclass
class Facts:
    period: Period = field(default_factory=Period)
    deadlines: list[Deadline] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    mottos: list[Motto] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    commemorations: list[Commemoration] = field(default_factory=list)
    year: int | None = None
    """The year the document is about: its title's, else its period's end, else its own."""

    def motto(self, kind: str) -> Motto | None:
        return next((m for m in self.mottos if m.kind == kind), None)

    @property
    def theme(self) -> str | None:
        found = self.motto("theme")
        return found.text if found else None


def read_facts(document: Document) -> Facts:
    facts = Facts()
    facts.period = _period(document)
    facts.year = _campaign_year(document, facts.period)
    facts.deadlines = _deadlines(document, facts.year)
    facts.targets = _targets(document)
    facts.mottos = _mottos(document)
    facts.awards = _awards(document)
    facts.duties = _duties(document)
    facts.commemorations = _commemorations(document)
    return facts


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences and ";"-clauses of a passage."""
    spans = []
    start = 0
    for match in re.finditer(r"(?<=[.;!?])\s+(?=\S)|(?<=:)\s+(?=[-+•]|[A-ZĐÀ-Ỹ])", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def clause_around(text: str, start: int, end: int) -> str:
    """The sentence or clause of `text` that holds the span."""
    for s, e in sentences(text):
        if s <= start and end <= e + 1:
            return text[s:e].strip()
    return text.strip()


# -- period ------------------------------------------------------------------------------

_PERIOD_CUES = re.compile(
    r"thoi gian (?:thuc hien|to chuc|phat dong|thi dua|trien khai|dien ra)"
    r"|(?:duoc|se duoc)? ?(?:trien khai|to chuc|thuc hien|phat dong|dien ra) (?:thuc hien )?tu"
    r"|thoi gian\s*:\s*tu|thoi gian tu"
)
_FROM_LAUNCH = re.compile(r"\btu (?:ngay |khi )?(?:phat dong|ban hanh|ky|ky ban hanh|co hieu luc)")
_OPEN_END = re.compile(r"\b(?:den|cho den) khi\b[^.;]*")
_ROUND = re.compile(r"\b(?:dot|giai doan)\s+([0-9]+|[ivx]+|mot|hai|ba)\b")


def _period(document: Document) -> Period:
    """The first passage that says when the campaign runs ("Thời gian thực hiện: …"), read
    with the list it introduces when the dates are there ("chia thành 02 đợt:" / "- Đợt 01
    … từ ngày 20/11 đến ngày 03/12/2025")."""
    for passage in document.in_zones(Zone.BODY, Zone.PREAMBLE, Zone.ATTACHMENT):
        folded = fold_aligned(passage.text)
        cue = _PERIOD_CUES.search(folded)
        if cue is None:
            continue
        span = _sentence_span(passage.text, cue.start())
        words = passage.text[span[0] : span[1]].strip()
        found = _read_period(document, words)
        if found is None:
            listed = _listed(document, passage)
            found = _read_period(document, listed) if listed else None
            if found is not None:
                words = listed
        if found is None:
            continue
        start, end, open_end, rounds, from_issue = found
        text = "; ".join(r[2] for r in rounds) if rounds else _strip_label(words)
        return Period(start, end, text, passage.index, open_end, rounds, from_issue)
    return Period()


def _listed(document: Document, passage: Passage) -> str:
    """The items under a period heading, two levels down, as one text."""
    parts = []
    for item in document.items(passage.index):
        parts.append(item.text)
        parts.extend(sub.text for sub in document.items(item.index))
    return " ".join(parts)


def _read_period(
    document: Document, words: str
) -> (
    tuple[
        date | None, date | None, str | None, tuple[tuple[date | None, date | None, str], ...], bool
    ]
    | None
):
    folded_words = fold_aligned(words)
    dates = [w for w in find_dates(words) if not _is_citation(folded_words, w)]
    from_issue = bool(_FROM_LAUNCH.search(folded_words))
    start: date | None = document.issued_on if from_issue else None
    end: date | None = None
    rounds = _rounds(words)
    ranges = [w for w in dates if w.is_range and w.first and w.last]
    if rounds:
        start = start or rounds[0][0]
        end = rounds[-1][1]
    elif ranges:
        start = start or ranges[0].first
        end = ranges[0].last
    else:
        for when in dates:
            before = folded_words[max(0, when.start - 14) : when.start]
            if re.search(r"\bden(?: het)?(?: ngay)?\s*$", before) and when.last:
                end = when.last
            elif re.search(r"\btu(?: ngay)?\s*$", before) and when.first and start is None:
                start = when.first
    open_end = None
    if end is None:
        until = _OPEN_END.search(folded_words)
        if until:
            open_end = words[until.start() : until.end()].strip()
    if start is None and end is None and open_end is None and not from_issue:
        return None
    return start, end, open_end, rounds, from_issue


def _sentence_span(text: str, position: int) -> tuple[int, int]:
    for start, end in sentences(text):
        if start <= position <= end:
            # a cue ending a heading ("Thời gian thực hiện:") runs on into the next clause
            if text[start:end].rstrip().endswith(":"):
                following = [s for s in sentences(text) if s[0] > end]
                if following:
                    return start, following[0][1]
            return start, end
    return 0, len(text)


def _strip_label(text: str) -> str:
    """ "3. Thời gian thực hiện: Từ ngày …" → "Từ ngày …" (the label is the question)."""
    text = re.sub(r"^(?:[0-9]+[.)]|[a-zđ][)])\s*", "", text.strip())
    head, colon, rest = text.partition(":")
    if colon and len(head) < 60 and "thoi gian" in fold(head) and rest.strip():
        return rest.strip().rstrip(".")
    return text.rstrip(".")


def _rounds(text: str) -> tuple[tuple[date | None, date | None, str], ...]:
    """ "Đợt 01 … (từ ngày 20/11 đến ngày 03/12/2025); Đợt 02 … (từ ngày 08 đến ngày 10/12)":
    each round up to the end of its sentence, with its first and last day."""
    folded = fold_aligned(text)
    marks = list(_ROUND.finditer(folded))
    if len(marks) < 2:
        return ()
    result = []
    for position, mark in enumerate(marks):
        end = marks[position + 1].start() if position + 1 < len(marks) else len(text)
        stop = re.search(r"[;]|\.(?:\s|$)", text[mark.start() : end])
        piece = text[mark.start() : mark.start() + stop.end() if stop else end]
        found = [w for w in find_dates(piece) if w.first or w.last]
        if found:
            result.append((found[0].first, found[-1].last, piece.strip(" ;,.")))
    return tuple(result) if len(result) >= 2 else ()


_YEAR_IN_TITLE = re.compile(r"\bnam\s+(20[0-9]{2})\b")


def _campaign_year(document: Document, period: Period) -> int | None:
    found = _YEAR_IN_TITLE.search(fold(document.title))
    if found:
        return int(found.group(1))
    if period.end:
        return period.end.year
    if period.start:
        return period.start.year
    return document.year


# -- deadlines ---------------------------------------------------------------------------

_DEADLINE_CUE = re.compile(
    r"(?:truoc|cham nhat|han chot|thoi han|han cuoi|khong qua|khong muon hon|den het|xong truoc"
    r"|hoan thanh truoc|hoan thanh trong)\s*(?:ngay\s*|luc\s*)?$"
)
_ACTION = re.compile(
    r"\b(?:gui|nop|bao cao|hoan thanh|tong hop|cham diem|danh gia|xep loai|de nghi|trinh"
    r"|dang ky|thuc hien|to chuc|tu cham|binh xet|ra soat|ket thuc|tong ket|xong)\b"
)
_CITATION = re.compile(r"(?:so|so hieu)?\s*[0-9]+/[0-9a-z/\-]+\s*(?:ngay\s*)?$")


def _is_citation(folded: str, when: When) -> bool:
    """A date that dates another document ("Nghị quyết số 347/NQ-CP ngày 24/10/2025")."""
    return bool(_CITATION.search(folded[max(0, when.start - 40) : when.start]))


def _deadlines(document: Document, year: int | None) -> list[Deadline]:
    result = []
    for passage in document.in_zones(Zone.BODY, Zone.ATTACHMENT, Zone.PREAMBLE):
        if passage.zone == Zone.PREAMBLE and fold(passage.text).startswith(("can cu", "thuc hien")):
            continue
        folded = fold_aligned(passage.text)
        for when in find_dates(passage.text):
            if _is_citation(folded, when) or not (when.begin.day or when.finish.day):
                continue
            if when.begin.year and when.finish.year and when.finish.year - when.begin.year > 1:
                continue  # "19/12/1946-19/12/2025": an anniversary, not a time to act
            before = folded[max(0, when.start - 24) : when.start]
            clause = clause_around(passage.text, when.start, when.end)
            cued = bool(_DEADLINE_CUE.search(before))
            ranged = when.is_range and bool(_ACTION.search(fold(clause)))
            if not (cued or ranged):
                continue
            yearly = when.yearly or (
                not (when.begin.year or when.finish.year)
                and bool(re.search(r"\b(?:hang|moi) nam\b", fold(passage.text)))
            )
            placed = _first_after(when, document.issued_on, year) if yearly else when
            cue = _DEADLINE_CUE.search(before)
            words = passage.text[when.start - len(cue.group(0)) if cue else when.start : when.end]
            if when.yearly:
                tail = re.match(r"^\s*(?:hằng|hàng)\s*năm", passage.text[when.end :])
                if tail:
                    words += tail.group(0)
            result.append(
                Deadline(
                    date=placed.last,
                    start=placed.first if when.is_range else None,
                    when=words.strip(),
                    text=clause,
                    who=owner(document, passage),
                    yearly=yearly,
                    passage=passage.index,
                )
            )
    return result


def _first_after(when: When, issued: date | None, year: int | None) -> When:
    """A yearly deadline placed on its first day on or after the document is issued (the
    document's year when its date is not known)."""
    if issued is None:
        return when.in_year(year) if year else when
    placed = when.in_year(issued.year)
    if placed.last is not None and placed.last < issued:
        placed = when.in_year(issued.year + 1)
    return placed


# -- who -----------------------------------------------------------------------------------

_BODY_WORDS = (
    "bộ",
    "sở",
    "ủy ban",
    "uỷ ban",
    "ubnd",
    "ban",
    "văn phòng",
    "đài",
    "tập đoàn",
    "phòng",
    "hội đồng",
    "các",
    "chủ tịch",
    "giám đốc",
    "thủ trưởng",
    "trưởng",
    "bí thư",
    "công đoàn",
    "đoàn",
    "cơ quan",
    "người đứng đầu",
    "thành viên",
    "tổng công ty",
    "công an",
    "thanh tra",
    "kho bạc",
    "trung tâm",
    "chánh",
    "phó",
    "thủ tướng",
    "lãnh đạo",
    "mặt trận",
    "hội",
    "đơn vị",
    "địa phương",
    "ngân hàng",
    "ubmttq",
    "hđnd",
    "tỉnh đoàn",
    "thành đoàn",
    "chi đoàn",
    "cấp ủy",
)
"""How the name of a body or an office starts, as documents write it (with diacritics: "Sở"
is a body, "Số" a number)."""
_VERB = re.compile(
    r"\s+(?:chủ trì|phối hợp|có trách nhiệm|chịu trách nhiệm|gửi|nộp|báo cáo|hướng dẫn|tham mưu"
    r"|theo dõi|thực hiện|triển khai|xây dựng|rà soát|tổng hợp|chỉ đạo|căn cứ|tăng cường"
    r"|khẩn trương|tiếp tục|đề nghị|tiến hành|quan tâm|đảm bảo|bảo đảm|ban hành|là cơ|làm"
    r"|được|giúp|trực tiếp|xét|phê duyệt|quyết định|kiểm tra|đôn đốc|vận động|tổ chức)\b"
    r"|\s*:"
)
_RESPONSIBILITY = ("to chuc thuc hien", "trach nhiem", "phan cong", "nhiem vu cua")


def owner(document: Document, passage: Passage) -> str | None:
    """The body that owes what a passage asks: named at its start ("Bộ Tài chính chủ trì …"),
    or by the heading it stands under ("2. Bộ Xây dựng:", "Trách nhiệm của Sở Nội vụ")."""
    for candidate in (passage, *reversed(document.ancestors(passage.index))):
        found = owner_in(candidate.body)
        if found:
            return found
    return None


def owner_in(text: str) -> str | None:
    """The body a sentence starts with, up to its verb: "Bộ Tài chính" of "Bộ Tài chính chủ
    trì …", "Sở Nội vụ" of "Trách nhiệm của Sở Nội vụ", "Văn phòng" of "Giao Văn phòng chủ trì"."""
    if is_caps(text):
        return None
    lower = text.lower()
    lead = re.match(
        r"^(?:trách nhiệm (?:của|thực hiện của)\s+|giao\s+|đối với [^:]{3,80}:\s*"
        r"|(?:hằng|hàng) năm,\s*|định kỳ,?\s*)",
        lower,
    )
    offset = lead.end() if lead else 0
    rest = lower[offset:]
    if not any(rest.startswith(w + " ") or rest == w for w in _BODY_WORDS):
        return None
    if rest.startswith(("ban hành", "các nội dung", "các tiêu chí", "các trường hợp")):
        return None
    for verb in _VERB.finditer(text, offset):
        word = verb.group(0).strip()
        if word and word[0].isupper():
            continue  # "Bộ Xây dựng": a verb with a capital is part of the name
        name = text[offset : verb.start()].strip(" ,;")
        return name if 2 <= len(name) <= 160 else None
    name = text[offset:].strip(" ,;:.")
    return name if len(name) <= 80 else None


def _duties(document: Document) -> list[Duty]:
    result = []
    for passage in document.in_zones(Zone.BODY, Zone.ATTACHMENT):
        if not passage.marker or passage.cells:
            continue
        path = " ".join(fold(p.body) for p in document.ancestors(passage.index))
        under_duties = any(w in path for w in _RESPONSIBILITY)
        directive_item = passage.parent is None and passage.zone == Zone.BODY
        if not (under_duties or directive_item):
            continue
        body = owner_in(passage.body)
        if body:
            result.append(Duty(body, passage.text, passage.index))
    return result


# -- targets -------------------------------------------------------------------------------

_NUMBER = r"([0-9]{1,3}(?:[.,][0-9]+)?)"
_COMPARATOR = (
    r"(tu|it nhat|toi thieu|tren|duoi|khong qua|toi da|dat|dat tu|dat tren|khong duoi"
    r"|khong thap hon|den duoi|lon hon|nho hon|bang|phan dau)?\s*"
)
_PERCENT = re.compile(_COMPARATOR + _NUMBER + r"\s*%(\s*tro len|\s*tro xuong)?")
_FRACTION = re.compile(_COMPARATOR + r"\b([1-9])/([2-9])\b(?=\s*(?:so|tong|thanh vien|uy vien))")
_POINTS = re.compile(_COMPARATOR + r"\(?\s*" + _NUMBER + r"\s*diem\b(\s*tro len|\s*tro xuong)?")
_QUOTA = re.compile(
    r"(toi da|khong qua|it nhat|toi thieu)\s*(?:la\s*)?([0-9]{1,4})\s+"
    r"(tap the|ca nhan|truong hop|nguoi|don vi|ho gia dinh|sang kien|lan|de tai|cong trinh)\b"
)
_FORMULA = re.compile(r"(?:x|×|\*)\s*$")
_SYMBOL = {
    "tu": "≥",
    "it nhat": "≥",
    "toi thieu": "≥",
    "khong duoi": "≥",
    "khong thap hon": "≥",
    "dat tu": "≥",
    "tren": ">",
    "dat tren": ">",
    "lon hon": ">",
    "duoi": "<",
    "den duoi": "<",
    "nho hon": "<",
    "khong qua": "≤",
    "toi da": "≤",
}
_METRICS = (
    ("nhiem vu trong tam", "key_tasks"),
    ("xuat sac", "excellent"),
    ("hoan thanh tot", "good"),
    ("hoan thanh", "done"),
)


def _comparator(word: str | None, tail: str | None) -> str:
    if tail and "len" in tail:
        return "≥"
    if tail and "xuong" in tail:
        return "≤"
    return _SYMBOL.get((word or "").strip(), "")


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _written(number: str) -> str:
    """ "03" as a value is "3"; "0,4" and "2,5" stay as written."""
    whole, comma, rest = number.partition(",")
    return (whole.lstrip("0") or "0") + comma + rest


def _targets(document: Document) -> list[Target]:
    result: list[Target] = []
    for passage in document.in_zones(Zone.BODY, Zone.ATTACHMENT):
        text = passage.text
        folded = fold_aligned(text)
        for match in _PERCENT.finditer(folded):
            before = folded[max(0, match.start() - 6) : match.start()]
            after = folded[match.end() : match.end() + 4]
            if _FORMULA.search(before) or after.lstrip().startswith(("x", "×")):
                continue
            number = _number(match.group(2))
            sign = _comparator(match.group(1), match.group(3))
            clause = clause_around(text, match.start(), match.end())
            result.append(
                Target(
                    f"{sign}{_written(match.group(2))}%",
                    number,
                    "%",
                    sign or "=",
                    _metric(folded, match.end(), clause),
                    clause,
                    passage.index,
                )
            )
        for match in _FRACTION.finditer(folded):
            sign = _comparator(match.group(1), None)
            value = f"{sign}{match.group(2)}/{match.group(3)}"
            clause = clause_around(text, match.start(), match.end())
            number = int(match.group(2)) / int(match.group(3))
            result.append(Target(value, number, "/", sign or "=", None, clause, passage.index))
        for match in _POINTS.finditer(folded):
            sign = _comparator(match.group(1), match.group(3))
            if not sign and "(" not in folded[match.start() : match.end()]:
                continue  # a cut-off or a maximum ("(20 điểm)"), not any number of points
            clause = clause_around(text, match.start(), match.end())
            value = f"{sign}{_written(match.group(2))} điểm"
            result.append(
                Target(value, _number(match.group(2)), "điểm", sign or "=", None, clause,
                       passage.index)
            )  # fmt: skip
        for match in _QUOTA.finditer(folded):
            sign = _comparator(match.group(1), None)
            noun = text[match.start(3) : match.end(3)]
            clause = clause_around(text, match.start(), match.end())
            value = f"{sign}{int(match.group(2))} {noun}"
            result.append(
                Target(value, float(match.group(2)), noun, sign, None, clause, passage.index)
            )
    return result


def _metric(folded: str, end: int, clause: str) -> str | None:
    """What a percentage counts, read from the words right after it ("95% hoàn thành tốt")."""
    following = folded[end : end + 70]
    following = re.split(r"[0-9]+\s*%|;|, trong do", following)[0]
    for words, code in _METRICS:
        if words in following:
            return code
    if "nhiem vu trong tam" in fold(clause):
        return "key_tasks"
    return None


def rating_targets(document: Document, facts: Facts) -> list[Target]:
    """The targets a unit's standing is measured against: shares of staff by rating and of key
    tasks done, in the part that sets the targets ("chỉ tiêu", "mục tiêu") where there is one."""
    rated = [t for t in facts.targets if t.metric is not None and t.unit == "%"]
    in_part = [
        t
        for t in rated
        if any(
            w in fold(p.body)
            for p in document.ancestors(t.passage)
            for w in ("chi tieu", "muc tieu")
        )
    ]
    return in_part or rated


# -- mottos and awards ---------------------------------------------------------------------

_MOTTO = re.compile(
    r"\b(chu de|khau hieu|phuong cham)(?:\s+(?:la|cua)\b)?[^“\"”.;:]{0,30}:?\s*"
    r"[“\"]([^”\"]{3,300})[”\"]"
)
_MOTTO_KINDS = {"chu de": "theme", "khau hieu": "slogan", "phuong cham": "motto"}


_MOTTO_HEADING = re.compile(r"^(chu de|khau hieu|phuong cham)\b[^:]{0,30}:?\s*(.*)$")


def _mottos(document: Document) -> list[Motto]:
    """ "với chủ đề “…”" anywhere, or a heading "Chủ đề thi đua" (or "Chủ đề: …") whose text
    or first paragraph is the theme."""
    result = []
    seen = set()

    def keep(kind: str, text: str, passage: int) -> None:
        text = text.strip().strip('“”"').rstrip(".").strip('“”"').strip()
        if 3 <= len(text) <= 300 and (kind, fold(text)) not in seen:
            seen.add((kind, fold(text)))
            result.append(Motto(kind, text, passage))

    for passage in document.in_zones(Zone.TITLE, Zone.PREAMBLE, Zone.BODY, Zone.ATTACHMENT):
        folded = fold_aligned(passage.text)
        for match in _MOTTO.finditer(folded):
            keep(
                _MOTTO_KINDS[match.group(1)],
                passage.text[match.start(2) : match.end(2)],
                passage.index,
            )
        heading = _MOTTO_HEADING.match(fold_aligned(passage.body))
        if heading is None or len(passage.body) > 300:
            continue
        kind = _MOTTO_KINDS[heading.group(1)]
        rest = passage.body[heading.start(2) :].strip()
        if rest and not _MOTTO.search(folded):
            keep(kind, rest, passage.index)
        elif not rest:
            children = document.children(passage.index)
            if children:
                keep(kind, children[0].body, children[0].index)
    return result


_AWARD = re.compile(
    r"danh hieu\s*[“\"]([^”\"]{3,80})[”\"]"
    r"|\b(bang khen(?: cua [^,;.()“\"]{3,80})?)"
    r"|\b(giay khen(?: cua [^,;.()“\"]{3,80})?)"
    r"|\b(co thi dua(?: cua [^,;.()“\"]{3,80})?)"
    r"|\b(huan chuong [^,;.()“\"]{3,40})"
    r"|\b(chien si thi dua (?:co so|cap tinh|cap bo|toan quoc))"
    r"|\b(tap the lao dong (?:xuat sac|tien tien))"
    r"|\b(lao dong tien tien)"
)
_AWARD_STOP = re.compile(
    r"\s+(?:de|cho|doi voi|va|duoc|tang|theo|tai|ve|khi|neu|o|thuoc|phai|co|xet|trong|nam"
    r"|hang|ma|con|can|gom)\b.*$"
)


def _awards(document: Document) -> list[Award]:
    result = []
    seen: set[str] = set()
    for passage in document.in_zones(Zone.BODY, Zone.ATTACHMENT, Zone.TITLE):
        folded = fold_aligned(passage.text)
        for match in _AWARD.finditer(folded):
            group = next(i for i, g in enumerate(match.groups(), start=1) if g)
            start, end = match.span(group)
            cut = _AWARD_STOP.search(folded[start:end])
            if cut and group != 1:
                end = start + cut.start()
            name = passage.text[start:end].strip(" ,;.")
            key = fold(name)
            if key in seen or len(name) < 4:
                continue
            seen.add(key)
            result.append(Award(name[0].upper() + name[1:], passage.index))
    return result


# -- anniversaries -------------------------------------------------------------------------

_YEARS = re.compile(r"(?<![0-9/])([0-9]{1,3})\s+(?:năm|nam)\s+")
_NAME_END = re.compile(r"\s*[(;:]|\s+[0-9]{1,2}/[0-9]{1,2}/|,\s*(?:gắn|góp|nhằm|và\s+[0-9])|\.\s|$")


def _commemorations(document: Document) -> list[Commemoration]:
    """ "Kỷ niệm 95 năm ngày thành lập Đảng (03/02/1930 - 03/02/2025)", "80 năm Ngày Tổng tuyển
    cử 06/01/1946 – 06/01/2026": the number must agree with the dates when they are given;
    without dates, "kỷ niệm N năm ngày …" is kept and dated from the calendar."""
    result: list[Commemoration] = []
    seen: set[tuple[str, int]] = set()
    for passage in document.in_zones(Zone.TITLE, Zone.PREAMBLE, Zone.BODY, Zone.ATTACHMENT):
        text = passage.text
        for match in _YEARS.finditer(text):
            number = int(match.group(1))
            if number < 1:
                continue
            rest = text[match.end() :]
            end = _NAME_END.search(rest)
            name = rest[: end.start() if end else len(rest)].strip(" ,")
            if len(name) < 4 or len(name) > 160 or unicodedata.category(name[0])[0] == "N":
                continue
            window = rest[len(name) : len(name) + 60]
            dates = [w for w in find_dates(window) if w.begin.year or w.finish.year]
            day = month = None
            year = None
            when = dates[0] if dates else None
            if when and when.is_range and when.begin.year and when.finish.year:
                if when.finish.year - when.begin.year != number:
                    continue
                day, month, year = when.begin.day, when.begin.month, when.finish.year
            elif when and when.finish.year and when.finish.month:
                written = when.finish.year
                reference = document.year or written
                if abs(written - reference) <= 1:
                    year = written  # "(dịp 30 tháng 4 năm 2025)": the day of the anniversary
                elif abs(written + number - reference) <= 1:
                    year = written + number  # "(28/8/1945-128/8/2025)": the first day
                else:
                    continue
                day, month = when.finish.day, when.finish.month
            else:
                before = fold(text[max(0, match.start() - 12) : match.start()])
                if not before.endswith("ky niem") or not fold(name).startswith("ngay"):
                    continue
                year = document.year
            if year is None or year - number < 1000:
                continue
            name = re.sub(r"\s+", " ", name).strip(' .,;“”"')
            name = name[0].upper() + name[1:]
            key = (fold(name), number)
            if key in seen:
                continue
            seen.add(key)
            phrase_start = match.start()
            prefix = re.search(r"[Kk]ỷ niệm\s*$", text[max(0, phrase_start - 12) : phrase_start])
            if prefix:
                phrase_start -= len(prefix.group(0))
            phrase_end = match.end() + len(name) + (dates[0].end if dates else 0)
            closing = text.find(")", phrase_end)
            if "(" in window[:3] and 0 <= closing - phrase_end < 24:
                phrase_end = closing
            phrase = text[phrase_start : min(len(text), phrase_end + 1)].strip(" ;,(")
            if phrase.count("(") > phrase.count(")"):
                phrase += ")"
            result.append(
                Commemoration(
                    name, number, year - number, day, month, phrase, str(passage.index), year
                )
            )
    return result
