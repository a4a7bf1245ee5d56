"""Answering a question from the documents a person can ask about: the active campaigns and
the agency's library of regulations.

An answer reads like a person who knows the documents: the passage that answers, under its
heading path, with the list it introduces and the footnotes it refers to; facts the model knows
exactly (who signed, the number and date, the period, deadlines, theme, who does what, the
commemorations) stated and quoted. Every quote is a document's own text. Below the coverage
threshold the answer is an honest "the documents do not say", with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from campaign import calendar
from campaign.calendar import Observance, Occurrence
from campaign.docdates import find_dates
from campaign.document import KIND_WORDS, Document, Kind, Passage, Zone
from campaign.facts import Facts, owner, owner_in
from campaign.inputs import is_number
from campaign.search import Hit, Index, Query, content_words, syllables
from campaign.synonyms import SYNONYMS
from campaign.text import fold

MAX_QUESTION = 500
"""Longer texts are not questions; the user is asked for a shorter one."""
MIN_COVERAGE = 0.5
MIN_SHARE = 0.4
"""Calibrated on the dev sets: on-topic questions reach coverage ≥ 0.5 (the share of their
words the documents attest) and their best passage speaks of ≥ 0.4 of what they ask, weighed
by rarity; off-topic ones share only the field's common words and fall below."""
QUOTE_WHOLE = 700
QUOTE_ROW = 1500
"""A table row is one answer (a criterion with its points and how they are counted): it is
quoted whole unless it is very long."""
QUOTE_WINDOW = 480
MAX_ITEMS = 14
MAX_ITEMS_CHARS = 1800
SECOND_HIT_RATIO = 0.8
SIBLING_HIT_RATIO = 0.6
SPECIFIC_RATIO = 0.85
"""How close a heading's own list item must score to answer in its place."""


@dataclass(frozen=True)
class Entry:
    """One document a question may be answered from."""

    key: int
    """Its id where it is stored."""
    document: Document
    facts: Facts
    campaign: bool = True
    """A campaign (yearly or a drive), not a regulation of the library."""
    ended: date | None = None
    """Set when the campaign's period ended before today: the answer says so."""


@dataclass(frozen=True)
class Quote:
    entry: int
    """Position of the document in Knowledge.entries."""
    passage: int | None
    """Index of the passage in its document; None for a fact gathered from several."""
    text: str
    items: tuple[str, ...] = ()
    """The list the passage introduces ("… như sau:" and its items)."""
    notes: tuple[str, ...] = ()
    """The footnotes the passage refers to."""
    header: str | None = None
    """The header row of the table a quoted row belongs to."""


@dataclass
class Answer:
    found: bool
    kind: str
    quotes: list[Quote] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    """What the answer found, by `kind` ("occurrence" for an event, "parts" for an overview …):
    the view reads each kind's own keys."""
    entry: int | None = None
    """The document that answers, when one does."""


class Knowledge:
    """The documents searched together, with their index and calendar, built once per set of
    document versions."""

    def __init__(self, entries: Sequence[Entry], observances: Sequence[Observance] = ()) -> None:
        self.entries = list(entries)
        self.index = Index([e.document for e in self.entries])
        self.observances = list(observances)
        self._folded = [fold(" ".join(p.text for p in e.document.passages)) for e in self.entries]

    def with_observances(self, observances: Sequence[Observance]) -> Knowledge:
        """The same documents with another calendar, sharing the index."""
        clone = Knowledge.__new__(Knowledge)
        clone.entries, clone.index, clone._folded = self.entries, self.index, self._folded
        clone.observances = list(observances)
        return clone

    def context_of(self, quotes: Sequence[Quote]) -> Iterator[str]:
        """What the quotes say with the headings they sit under ("Mục tiêu đến năm 2030")."""
        for quote in quotes:
            yield from (quote.text, *quote.items, *quote.notes)
            if quote.passage is not None:
                document = self.entries[quote.entry].document
                yield from (p.text for p in document.ancestors(quote.passage))

    def years(self, positions: Iterable[int | None]) -> set[int]:
        """The years these documents are of: a campaign's year, a regulation's year of issue."""
        found = set()
        for entry in (self.entries[p] for p in positions if p is not None):
            issued = entry.document.issued_on
            year = entry.facts.year if entry.campaign else (issued.year if issued else None)
            if year is not None:
                found.add(year)
        return found

    def mentions(self, folded_words: str) -> bool:
        return any(folded_words in text for text in self._folded)

    def owners(self) -> list[set[str]]:
        """For each searched passage, the words of the body that owes it (see facts.owner)."""
        cached = getattr(self, "_owners", None)
        if cached is None:
            cached = []
            for unit in self.index.units:
                document = self.entries[unit.document].document
                found = owner(document, unit.passage)
                cached.append(set(fold(found).split()) if found else set())
            self._owners = cached
        return cached

    @property
    def primary(self) -> int | None:
        """The document a question about "the campaign" means: the first campaign."""
        for position, entry in enumerate(self.entries):
            if entry.campaign:
                return position
        return 0 if self.entries else None


def mentioned_years(question: str) -> list[int]:
    return [int(y) for y in re.findall(r"\b((?:19|20)[0-9][0-9])\b", question)]


def _has(folded: str, *phrases: str) -> bool:
    padded = f" {folded} "
    return any(f" {p} " in padded for p in phrases)


# -- small talk ---------------------------------------------------------------------------

_SMALLTALK = (
    ("greeting", ("xin chao", "chao", "chao ban", "chao bot", "hello", "hi", "hey", "alo",
                  "chao buoi sang", "chao em", "chao anh", "chao chi", "good morning")),
    ("thanks", ("cam on", "cam on ban", "cam on bot", "cam on nhieu", "thanks", "thank you",
                "thank", "tks", "thanks a lot", "cam on nhe", "cam on a")),
    ("ack", ("ok", "oke", "okay", "okie", "uh", "u", "vang", "da", "duoc", "duoc roi", "roi",
             "da ro", "ro roi", "hieu roi", "tot", "tuyet", "great", "good", "fine", "nice")),
    ("bye", ("tam biet", "bye", "goodbye", "hen gap lai", "chao tam biet")),
)  # fmt: skip


def smalltalk(text: str) -> str | None:
    """ "chào bạn", "cảm ơn nhé", "ok": a short friendly reply, not a search."""
    folded = re.sub(r"[^\w\s]", " ", fold(text))
    words = [w for w in folded.split() if w not in ("a", "nhe", "nha", "nhieu", "ban", "bot", "ad")]
    phrase = " ".join(words) if words else folded.strip()
    for kind, phrases in _SMALLTALK:
        if phrase in phrases or folded.strip() in phrases:
            return kind
    return None


# -- the question ---------------------------------------------------------------------------


_CALENDAR_KINDS = frozenset({"event", "events", "campaign_days"})


def answer(knowledge: Knowledge, question: str, today: date) -> Answer:
    """The answer to one question from `knowledge`'s documents, on the day `today`.

    A question that names a year no document is of ("hạn chót năm 2025" when only the 2026
    plan is here) is answered from the documents only when what is quoted speaks of that
    year; otherwise the bot says it has no document of that year rather than answer with
    another year's dates."""
    result = _answer(knowledge, question, today)
    if not result.found or result.kind in _CALENDAR_KINDS:
        return result
    answering = {q.entry for q in result.quotes} | ({result.entry} - {None})
    for year in mentioned_years(question):
        if year in knowledge.years(answering):
            continue
        if not any(str(year) in text for text in knowledge.context_of(result.quotes)):
            return Answer(False, "other_year", facts={"year": year})
    return result


def _answer(knowledge: Knowledge, question: str, today: date) -> Answer:
    text = question.strip()
    if len(text) > MAX_QUESTION:
        return Answer(False, "too_long", facts={"limit": MAX_QUESTION, "length": len(text)})
    if not syllables(text):
        return Answer(False, "empty")
    chat = smalltalk(text)
    if chat is not None:
        return Answer(False, "smalltalk", facts={"kind": chat})
    if not knowledge.entries:
        return Answer(False, "no_campaign")
    folded = fold(re.sub(r"[^\w%/\-\s]", " ", text))
    for year in mentioned_years(text):
        if not knowledge.mentions(str(year)):
            return Answer(False, "other_year", facts={"year": year})

    index = knowledge.index
    query = index.query(text)
    content = content_words(text)
    if all(is_number(word) for word in content):
        return _refusal(text)  # "1", "2025": a number alone asks nothing
    named = _documents_named(knowledge, folded)

    found = _commemoration(knowledge, folded, content, today)
    if found is not None:
        return found
    for intent, words in _INTENTS:
        result = intent(knowledge, named, folded, content)
        if result is not None and index.coverage(query, words | DOCUMENT_WORDS) >= MIN_COVERAGE:
            return result
    if index.coverage(query, DOCUMENT_WORDS) < MIN_COVERAGE:
        return _refusal(text)
    if _has(folded, "ky niem", "ngay le", "le ky niem") and not _asks(folded, "count"):
        days = _campaign_days(knowledge, today)
        if days is not None:
            return days
    wants = _wants(folded)
    hits = index.search(query, boost=_boosts(knowledge, folded, wants), documents=named, limit=16)
    hits = _informative(knowledge, _typed(hits, folded, wants), set(query.weights))
    hits = _complete(knowledge, hits, query)
    hits = _definitions(knowledge, _named_as_asked(hits, folded), folded)
    hits = _specific(knowledge, hits)
    if _asks_list(folded):
        hits = _prefer_lists(knowledge, hits)
    if not hits or _answered_share(knowledge, hits[0], query) < MIN_SHARE:
        return _refusal(text)
    quotes = _quotes(knowledge, hits)
    return Answer(True, "passages", quotes=quotes, entry=quotes[0].entry)


DOCUMENT_WORDS = frozenset(
    {"van ban", "phat dong", "tai lieu", "cong dien", "quyet dinh", "ke hoach", "quy dinh",
     "quy che", "huong dan", "chi thi", "nay"}
)  # fmt: skip
"""Words that name a document itself ("văn bản phát động", "công điện này"): understood."""


def _refusal(text: str) -> Answer:
    words = set(fold(text).split())
    english = text.isascii() and bool(
        words & {"what", "when", "who", "how", "which", "why", "is", "the"}
    )
    return Answer(False, "english" if english else "not_covered")


_KIND_NAMES = {
    "cong dien": (Kind.CONG_DIEN,),
    "quyet dinh": (Kind.QUYET_DINH,),
    "ke hoach": (Kind.KE_HOACH,),
    "quy dinh": (Kind.QUY_DINH, Kind.QUYET_DINH),
    "quy che": (Kind.QUY_CHE, Kind.QUYET_DINH),
    "huong dan": (Kind.HUONG_DAN,),
    "chi thi": (Kind.CHI_THI,),
    "thong bao": (Kind.THONG_BAO,),
    "phat dong": (Kind.PHAT_DONG, Kind.KE_HOACH),
}


def _documents_named(knowledge: Knowledge, folded: str) -> list[int] | None:
    """The documents a question names by kind ("công điện") or number ("86/2025"), when the
    set holds several; None for all."""
    if len(knowledge.entries) < 2:
        return None
    chosen = []
    for position, entry in enumerate(knowledge.entries):
        document = entry.document
        number = fold(document.number or "")
        head = number.split("/")[0] if number else ""
        kinds = {document.kind, *document.attachments}
        by_kind = any(_has(folded, words) and kinds & set(k) for words, k in _KIND_NAMES.items())
        by_number = bool(head) and re.search(rf"\b{re.escape(head)}\b", folded) is not None
        if by_kind or by_number:
            chosen.append(position)
    return chosen or None


def _targets_of(knowledge: Knowledge, named: list[int] | None) -> list[int]:
    if named:
        return named
    primary = knowledge.primary
    return [primary] if primary is not None else []


# -- kinds of answer ------------------------------------------------------------------------

_WANTS: dict[str, tuple[str, ...]] = {
    "date": ("ngay nao", "khi nao", "bao gio", "luc nao", "thoi gian", "thoi diem", "han chot",
             "thoi han", "truoc ngay", "dip nao", "thang may", "ngay may", "nam nao", "may gio",
             "hieu luc", "han", "when", "deadline", "date", "tu ngay nao", "den ngay nao",
             "hang tuan", "luc may"),
    "percent": ("phan tram", "ty le", "ti le", "%", "percent", "bao nhieu phan tram"),
    "points": ("bao nhieu diem", "may diem", "diem toi da", "diem thuong", "diem tru",
               "chiem bao nhieu", "bao nhieu diem thi", "can bao nhieu diem"),
    "count": ("bao nhieu", "may", "toi da", "it nhat", "so luong", "how many", "how much",
              "toi thieu", "khong qua"),
    "docref": ("quyet dinh nao", "van ban nao", "nghi quyet nao", "thay the", "chi thi nao",
               "nghi dinh nao", "thong tu nao", "cong van nao", "theo nghi quyet", "mau so",
               "mau nao"),
    "place": ("ve dau", "o dau", "gui den dau", "noi nao", "den dau", "where", "gui dau",
              "phan mem nao", "qua dau"),
    "duration": ("bao lau", "may ngay", "may thang", "trong bao lau", "bao nhieu ngay",
                 "bao nhieu thang", "how long", "may nam", "bao nhieu nam"),
    "who": ("ai", "co quan nao", "don vi nao", "bo nao", "so nao", "who", "ben nao"),
}  # fmt: skip

_FEATURES = {
    "percent": re.compile(r"[0-9]\s*%"),
    "points": re.compile(r"[0-9]+(?:,[0-9]+)?\s*điểm"),
    "count": re.compile(r"(?<![/\-.])\b[0-9]{1,4}\b(?![/\-][0-9])|\b(?:một|hai|ba|bốn|năm|mười)\b"),
    "docref": re.compile(r"[0-9]+/[0-9]*/?[A-ZĐ][\w\-]*|[Mm]ẫu số\s*[0-9]+"),
    "place": re.compile(
        r"\b(?:về|đến|tại|qua|trên)\s+(?:[A-ZĐÀ-Ỹ]|cổng|hệ thống|phần mềm)|\b[Nn]ơi\b"
    ),
    "duration": re.compile(r"\b[0-9]{1,3}\s*(?:ngày|tháng|năm|tuần|giờ)\b"),
    "time": re.compile(
        r"\b[0-9]{1,2}(?::[0-9]{2}|h[0-9]{0,2})\b|\b(?:hằng|hàng) (?:tuần|tháng|quý)\b"
    ),
}


_BODY_NAME = re.compile(
    r"\b(?:Sở|Bộ|Ủy ban|Uỷ ban|UBND|Ban|Văn phòng|Phòng|Hội đồng|Cục|Tổng cục|Công an|Đài"
    r"|Tập đoàn|Chủ tịch|Giám đốc|Thủ trưởng|Trưởng)\s+[A-ZĐÀ-Ỹ]"
)


def _asks(folded: str, want: str) -> bool:
    return _has(folded, *_WANTS[want])


def _cues(folded: str, want: str) -> list[str]:
    """The words of the question that ask for `want` ("tỷ lệ" for a percentage)."""
    return [p for p in _WANTS[want] if _has(folded, p) and len(p) > 3]


def _wants(folded: str) -> frozenset[str]:
    wants = {w for w in _WANTS if _asks(folded, w)}
    if _asks_list(folded):
        wants.discard("who")  # "gồm những đơn vị nào": the list, not one body
    if "points" in wants or "percent" in wants or "duration" in wants:
        wants.discard("count")
    if _has(folded, "diem") and "count" in wants:
        wants.add("points")
    return frozenset(wants)


def _has_feature(text: str, want: str) -> bool:
    if want == "date":
        return bool(find_dates(text)) or bool(_FEATURES["time"].search(text))
    if want == "who":
        return owner_in(text) is not None or bool(_BODY_NAME.search(text))
    pattern = _FEATURES.get(want)
    return bool(pattern and pattern.search(text))


def _counted(folded: str) -> str | None:
    """What a "how many" question counts: "bộ" of "nộp mấy bộ", "người" of "bao nhiêu người"."""
    match = re.search(
        r"\b(?:bao nhieu|may|toi da|it nhat|khong qua)\s+([a-z]+(?: [a-z]+)?)", folded
    )
    if not match:
        return None
    noun = match.group(1).split()
    if noun[0] in ("phan", "diem", "la", "thi", "nam") or len(noun[0]) < 2:
        return None  # percentages and points have their own kinds; "là" asks for the number
    return " ".join(
        noun[:2] if len(noun) > 1 and f"{noun[0]} {noun[1]}" in _UNIT_PAIRS else noun[:1]
    )


_UNIT_PAIRS = {"ca nhan", "tap the", "truong hop", "don vi", "sang kien", "ngay lam", "ho gia"}


def _typed(hits: list[Hit], folded: str, wants: frozenset[str]) -> list[Hit]:
    """Rank up the sentences that hold what the question asks for (a date for "khi nào", a
    percentage for "tỷ lệ", points for "bao nhiêu điểm"), and down those that do not, unless
    they answer in words ("không quá tỷ lệ đảng viên")."""
    counted = _counted(folded) if "count" in wants else None
    unit = re.compile(rf"\b[0-9]+(?:[.,][0-9]+)?\s*{counted}\b") if counted else None
    if not wants:
        return hits
    rescored = []
    for hit in hits:
        factor = 1.0
        if unit is not None and unit.search(fold(hit.segment.text)):
            factor *= 1.8  # "nộp mấy bộ": "01 bộ"
        for want in wants:
            if _has_feature(hit.segment.text, want):
                factor *= 1.6
            elif _has_feature(_sentence_of(hit), want):
                factor *= 1.5  # "Đối với khen thưởng tổng kết năm: …; gửi … trước ngày 10/12"
            elif _has_feature(hit.unit.passage.text, want) or _has_feature(hit.unit.context, want):
                factor *= 1.2
            elif any(f" {c} " in f" {fold(hit.segment.text)} " for c in _cues(folded, want)):
                factor *= 1.5  # it speaks of the rate asked, in words
            else:
                factor *= 0.7
        rescored.append(Hit(hit.segment, hit.unit, hit.score * factor))
    rescored.sort(key=lambda h: -h.score)
    return rescored


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^\W\d_])")


def _sentence_of(hit: Hit) -> str:
    """The whole sentence of the passage a hit's segment (a clause cut at ";") belongs to."""
    text = hit.unit.passage.text
    start = text.find(hit.segment.text[:40])
    if start < 0:
        return hit.segment.text
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start + 1)), default=0)
    end = _SENTENCE_END.search(text, start + len(hit.segment.text) - 1)
    return text[begin : end.start() if end else len(text)]


def _boosts(knowledge: Knowledge, folded: str, wants: frozenset[str]) -> list[tuple[int, float]]:
    """Duties for "who does what" (the passages under "Tổ chức thực hiện" / "Trách nhiệm"),
    and the passages of the body a question starts with ("Bộ Tài chính … trước ngày nào?")."""
    factors: dict[int, float] = {}
    if _has(folded, "trach nhiem", "lam gi", "phan cong", "nhiem vu cua") or "who" in wants:
        for position, unit in enumerate(knowledge.index.units):
            context = fold(unit.context)
            if any(w in context for w in ("to chuc thuc hien", "trach nhiem", "phan cong")):
                factors[position] = 1.3
    asked = set() if _DEFINING.search(folded) else question_owner(knowledge, folded)
    if asked:
        owners = knowledge.owners()
        for position, owner in enumerate(owners):
            if owner and len(asked & owner) / len(asked) >= 0.99:
                factors[position] = factors.get(position, 1.0) * 1.35
    return list(factors.items())


_OWNER_HEAD = re.compile(
    r"^(?:bo|so|uy ban|ubnd|ban|van phong|dai|tap doan|phong|hoi dong|cong an|chu tich"
    r"|giam doc|thu truong|truong|bi thu|cong doan|doan|chi doan|thanh vien|nguoi dung dau"
    r"|co quan|tong cong ty|kho bac|thanh tra|trung tam|ngan hang|mat tran|ubmttq|cac)\b"
)


def question_owner(knowledge: Knowledge, folded: str) -> set[str]:
    """The body a question starts with ("bo tai chinh" of "bộ tài chính đề xuất … trước ngày
    nào"): the longest opening of the question that names a body the documents give work to.
    Typed without marks a verb may be part of a name ("xây dựng" of "Bộ Xây dựng"), so the
    documents decide where the name ends."""
    if not _OWNER_HEAD.match(folded):
        return set()
    words = folded.split()
    owners = [o for o in knowledge.owners() if o]
    best: set[str] = set()
    for size in range(2, min(9, len(words)) + 1):
        candidate = set(words[:size])
        if any(candidate <= o for o in owners):
            best = candidate
    return best


def _informative(knowledge: Knowledge, hits: list[Hit], query_terms: set[str]) -> list[Hit]:
    """Rank down sentences that only repeat the question ("Khối thi đua số 24;"): an answer
    must say something the question did not. A heading says what its list says."""
    rescored = []
    for hit in hits:
        words = list(hit.segment.words)
        document = knowledge.entries[hit.unit.document].document
        if document.items(hit.unit.passage.index):
            words = list(hit.unit.words)
        novel = sum(1 for w in words if w not in query_terms) / len(words) if words else 0.0
        rescored.append(Hit(hit.segment, hit.unit, hit.score * (0.4 + 0.6 * min(1.0, novel * 3))))
    rescored.sort(key=lambda h: -h.score)
    return rescored


_QUOTED = re.compile(r"[“\"]([^”\"]{3,80})[”\"]")


def _named_as_asked(hits: list[Hit], folded: str) -> list[Hit]:
    """Rank down a sentence that names only another title ending with the one asked: “Tập
    thể lao động tiên tiến” is not “Lao động tiên tiến”, though it holds all its words. A
    name that starts as asked and goes on (“Giải ngân vốn đầu tư công trên địa bàn …”) is
    the same thing, told in full."""
    asked = f" {folded} "
    rescored = []
    for hit in hits:
        names = [fold(name).split() for name in _QUOTED.findall(hit.segment.text)]
        exact = any(f" {' '.join(words)} " in asked for words in names)
        longer = any(
            f" {' '.join(words[i : i + 2])} " in asked and f" {' '.join(words[:2])} " not in asked
            for words in names
            for i in range(1, len(words) - 1)
        )
        factor = 0.75 if longer and not exact else 1.0
        rescored.append(Hit(hit.segment, hit.unit, hit.score * factor))
    rescored.sort(key=lambda h: -h.score)
    return rescored


def _specific(knowledge: Knowledge, hits: list[Hit]) -> list[Hit]:
    """A heading's own list item that answers almost as well, and has a list of its own, is
    the more precise answer ("a) Danh hiệu … đạt các tiêu chuẩn sau đây:" under "Điều 4.
    Đối tượng, tiêu chuẩn xét tặng …"): it goes first."""
    if len(hits) < 2:
        return hits
    top = hits[0]
    document = knowledge.entries[top.unit.document].document
    if not document.items(top.unit.passage.index):
        return hits
    for position, hit in enumerate(hits[1:4], start=1):
        if (
            hit.unit.document == top.unit.document
            and hit.score >= SPECIFIC_RATIO * top.score
            and top.unit.passage in document.ancestors(hit.unit.passage.index)
            and document.items(hit.unit.passage.index)
        ):
            return [hit, *hits[:position], *hits[position + 1 :]]
    return hits


def _asks_list(folded: str) -> bool:
    return _has(
        folded, "gom", "bao gom", "gom nhung", "thanh vien", "danh sach", "nhung don vi nao"
    ) or bool(re.search(r"\bnhung\b.*\bnao\b|\bco nhung\b|\bgom (?:gi|nhung)\b", folded))


_DEFINING = re.compile(
    r"\b(?:ai lam|ai la|la ai|la gi|la co quan nao|la don vi nao|la nguoi nao|la bo nao)\b"
)


def _definitions(knowledge: Knowledge, hits: list[Hit], folded: str) -> list[Hit]:
    """ "Ai làm Chủ tịch Hội đồng?", "cơ quan thường trực … là cơ quan nào?": a sentence
    "X là Y" whose X or Y starts with what the question names."""
    asked = _DEFINING.search(folded)
    if not asked:
        return hits
    named = folded[asked.end() :] if asked.start() == 0 else folded[: asked.start()]
    head = named.split()[:3]
    if len(head) < 2:
        return hits
    head_text = " ".join(head)
    rescored = []
    for hit in hits:
        document = knowledge.entries[hit.unit.document].document
        texts = [hit.segment.text, *(p.text for p in document.items(hit.unit.passage.index))]
        factor = 1.0
        for text in texts:
            for clause in re.split(r"[;.]", fold(text)):
                subject, is_, complement = f" {clause} ".partition(" la ")
                words = [w for w in subject.split() if w.isalpha()]
                if is_ and (
                    " ".join(words[-len(head) :]).startswith(head_text)
                    or " ".join(w for w in words if len(w) > 1).startswith(head_text)
                    or " ".join(complement.split()).startswith(head_text)
                ):
                    factor = 2.0
        rescored.append(Hit(hit.segment, hit.unit, hit.score * factor))
    rescored.sort(key=lambda h: -h.score)
    return rescored


def _asked_type(question: str) -> set[str]:
    """The words a question asks with ("đối tượng nào", "tiêu chí gì", "cơ quan nào"): the
    kind of answer wanted, not something the answer must name."""
    words = re.sub(r"[^\w\s]", " ", fold(question)).split()
    asked: set[str] = set()
    for position, word in enumerate(words):
        if word in ("nao", "gi") and position >= 2:
            asked.update(words[position - 2 : position])
    return asked


def _complete(knowledge: Knowledge, hits: list[Hit], query: Query) -> list[Hit]:
    """Rank up the passages that speak of everything the question names, by themselves or
    through their headings ("d) Đối với các doanh nghiệp" under "Tiêu chí thi đua"), over
    those that repeat most of it and miss its point."""
    rescored = [
        Hit(
            h.segment,
            h.unit,
            h.score * (0.5 + 0.5 * _answered_share(knowledge, h, query, with_items=False)),
        )
        for h in hits
    ]
    rescored.sort(key=lambda h: -h.score)
    return rescored


def _answered_share(
    knowledge: Knowledge, hit: Hit, query: Query, *, with_items: bool = True
) -> float:
    """How much of the question the best passage (with its headings) speaks of, each word
    weighed by how rare it is: a passage that shares only the field's common words with an
    off-topic question ("thủ tục" of "thủ tục đăng ký xe máy") does not answer it."""
    asked = _asked_type(query.text)
    words = [w for w in query.content if not (is_number(w) and len(w) == 4) and w not in asked]
    if not words:
        return 1.0
    index = knowledge.index
    present = set(hit.unit.words)
    if not with_items:
        document = knowledge.entries[hit.unit.document].document
        if document.items(hit.unit.passage.index):  # the heading's own words, not its list's
            present = set(content_words(hit.unit.passage.text)) | set(
                content_words(hit.unit.context)
            )
    for token in query.expanded:
        present.add(token)
    for phrase in query.synonym_phrases:
        if any(set(content_words(e)) <= present for e in SYNONYMS[phrase]):
            present |= set(phrase.split())
    total = sum(index.weight(w) for w in words)
    return sum(index.weight(w) for w in words if w in present) / total if total else 1.0


_LIST_HEAD = re.compile(r"^[^:;]{3,80}:\s*\S[^:]*[,;]")


def _prefer_lists(knowledge: Knowledge, hits: list[Hit]) -> list[Hit]:
    """For "what does X consist of", a passage that defines X as a list ("X: A, B, C") or that
    introduces one first."""
    rescored = []
    for hit in hits:
        passage = hit.unit.passage
        document = knowledge.entries[hit.unit.document].document
        listing = _LIST_HEAD.match(passage.body) or document.children(passage.index)
        rescored.append(Hit(hit.segment, hit.unit, hit.score * (1.5 if listing else 1.0)))
    return sorted(rescored, key=lambda h: -h.score)


# -- quotes ---------------------------------------------------------------------------------


def _quotes(knowledge: Knowledge, hits: list[Hit]) -> list[Quote]:
    top = hits[0]
    chosen = [top]
    for hit in hits[1:]:
        if hit.unit == top.unit or _within(knowledge, hit, top):
            continue
        sibling = hit.unit.passage.parent == top.unit.passage.parent
        ratio = SIBLING_HIT_RATIO if sibling else SECOND_HIT_RATIO
        if hit.score >= ratio * top.score:
            chosen.append(hit)
        break
    return [quote_hit(knowledge, hit) for hit in chosen]


def _within(knowledge: Knowledge, hit: Hit, top: Hit) -> bool:
    """Whether `hit` is already shown with `top` (one of the items `top` introduces)."""
    if hit.unit.document != top.unit.document:
        return False
    document = knowledge.entries[top.unit.document].document
    return hit.unit.passage.parent == top.unit.passage.index and bool(
        _list_items(document, top.unit.passage)
    )


def quote_hit(knowledge: Knowledge, hit: Hit) -> Quote:
    return quote_passage(knowledge, hit.unit.document, hit.unit.passage, hit.segment.text)


def quote_passage(
    knowledge: Knowledge, entry: int, passage: Passage, segment: str | None = None
) -> Quote:
    """A passage as an answer shows it: whole when short, else the sentence that answers with
    its neighbours; with the list it introduces, its footnotes and its table's header."""
    document = knowledge.entries[entry].document
    text = passage.text
    if len(text) > (QUOTE_ROW if passage.cells else QUOTE_WHOLE) and segment:
        text = _window(text, segment)
    items = tuple(_list_items(document, passage) or _table_rows(document, passage))
    notes = tuple(p.text for p in document.footnotes_of(passage.index))
    header = None
    if passage.header is not None and passage.header != passage.index:
        header = document.passages[passage.header].text
    return Quote(entry, passage.index, text, items, notes, header)


def _window(text: str, segment: str) -> str:
    """The sentence `segment` of a long passage with the sentences around it, up to about
    QUOTE_WINDOW characters, marked with "…" where text is left out."""
    start = text.find(segment)
    if start < 0:
        return segment
    end = start + len(segment)
    pieces = [(m.start(), m.end()) for m in re.finditer(r"[^.;!?…]+[.;!?…]*\s*", text)]
    while end - start < QUOTE_WINDOW:
        before = [
            p for p in pieces if p[1] <= start and start - p[0] + (end - start) <= QUOTE_WINDOW
        ]
        after = [p for p in pieces if p[0] >= end and p[1] - start <= QUOTE_WINDOW]
        if after:
            end = after[0][1]
        elif before:
            start = before[-1][0]
        else:
            break
    return ("…" if start > 0 else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def _table_rows(document: Document, passage: Passage) -> list[str]:
    """A table's header row answers with the rows under it."""
    if not passage.cells or passage.header != passage.index:
        return []
    rows: list[str] = []
    size = 0
    for row in document.passages[passage.index + 1 :]:
        if row.header != passage.index:
            break
        if size + len(row.text) > MAX_ITEMS_CHARS or len(rows) >= MAX_ITEMS:
            rows.append("…")
            break
        rows.append(row.text)
        size += len(row.text)
    return rows


def _list_items(document: Document, passage: Passage) -> list[str]:
    """The items a passage introduces, as an answer lists them (nested items indented)."""
    items: list[str] = []
    size = 0
    for child in document.items(passage.index):
        if child.cells:
            continue
        line = child.text
        if size + len(line) > MAX_ITEMS_CHARS or len(items) >= MAX_ITEMS:
            items.append("…")
            break
        items.append(line)
        size += len(line)
        for grandchild in document.items(child.index):
            if size + len(grandchild.text) <= MAX_ITEMS_CHARS:
                items.append("  " + grandchild.text)
                size += len(grandchild.text)
    return items


# -- answers from the facts ------------------------------------------------------------------


def _letterhead_quotes(knowledge: Knowledge, position: int, *patterns: str) -> list[Quote]:
    document = knowledge.entries[position].document
    quotes = []
    for passage in document.in_zones(Zone.LETTERHEAD):
        if any(re.match(p, fold(passage.text)) for p in patterns):
            quotes.append(Quote(position, passage.index, passage.text))
    return quotes


def _signature_quote(knowledge: Knowledge, position: int) -> Quote | None:
    document = knowledge.entries[position].document
    passage = next(document.in_zones(Zone.SIGNATURE), None)
    if passage is None or document.signature is None:
        return None
    return Quote(position, passage.index, passage.text)


_KIND_ALTERNATIVES = "|".join(words for words, kind in KIND_WORDS if kind != Kind.LUAT)
"""Who signed "the plan", "the decision" …: not "Luật", which would read "kỷ luật"."""


def _signer(
    knowledge: Knowledge, named: list[int] | None, folded: str, content: list[str]
) -> Answer | None:
    asks = re.search(
        r"\b(ai|nguoi)\b.*\bky(?:$| (?:van ban|ten|boi|nay|vay|a|vb|" + _KIND_ALTERNATIVES + r"))",
        folded,
    ) or _has(folded, "ky ten", "ky boi", "nguoi ky", "who signed", "signed by", "signer")
    if not asks or "dang ky" in folded:
        return None
    targets = named or list(range(len(knowledge.entries)))
    quotes = [q for q in (_signature_quote(knowledge, p) for p in targets) if q]
    if not quotes:
        return None
    first = knowledge.entries[quotes[0].entry].document.signature
    assert first is not None
    return Answer(
        True,
        "signer",
        quotes=quotes[:3],
        facts={"position": first.position, "name": first.name, "lines": first.lines},
        entry=quotes[0].entry,
    )


def _number(
    knowledge: Knowledge, named: list[int] | None, folded: str, content: list[str]
) -> Answer | None:
    asks_number = _has(folded, "so may", "so hieu", "so bao nhieu", "ky hieu", "van ban so")
    asks_date = _has(
        folded, "ban hanh ngay nao", "ban hanh khi nao", "ngay ban hanh", "ky ngay nao",
        "ngay ky", "ban hanh vao ngay nao", "ra ngay nao", "ky khi nao", "ban hanh luc nao",
    )  # fmt: skip
    if not (asks_number or asks_date) or _has(folded, "mau so"):
        return None
    asked = {"so", "hieu", "ban", "hanh", "ngay", "ky", "ra", "luc", "vao", "bao", "nhieu", "may"}
    targets = _targets_of(knowledge, named)
    quotes = []
    for position in targets:
        document = knowledge.entries[position].document
        described = asked | set(content_words(f"{document.title} {document.issuer or ''}"))
        other = [w for w in content if w not in _GENERIC and w not in asked]
        if other and sum(w in described for w in other) / len(other) < 0.7:
            continue  # the question is about something else that has a number or a date
        patterns = (r"^so\s*[:.]", r"^[^,]{2,40},\s*ngay\b")
        found = _letterhead_quotes(knowledge, position, *patterns)
        if not found and document.letterhead.source is not None:
            passage = document.passages[document.letterhead.source]
            found = [Quote(position, passage.index, passage.text)]
        quotes.extend(found)
    if not quotes:
        return None
    return Answer(True, "number", quotes=quotes, entry=quotes[0].entry)


def _issuer(
    knowledge: Knowledge, named: list[int] | None, folded: str, content: list[str]
) -> Answer | None:
    if not _has(
        folded, "co quan nao ban hanh", "ai ban hanh", "don vi nao ban hanh", "issued by",
        "cua co quan nao", "noi ban hanh", "ban hanh boi",
    ):  # fmt: skip
        return None
    position = _targets_of(knowledge, named)
    if not position:
        return None
    document = knowledge.entries[position[0]].document
    if not document.letterhead.bodies:
        return None
    return Answer(
        True,
        "issuer",
        quotes=_letterhead_quotes(knowledge, position[0], r"^(?!cong hoa|doc lap|so\b)[a-z]"),
        facts={"issuer": document.issuer, "parent": document.letterhead.parent},
        entry=position[0],
    )


_GENERIC = frozenset(
    """
    van ban nay phong trao thi dua dot cao diem campaign drive nhung ai ca the chung chinh
    noi dung nam so co quan toan bo
    """.split()
) | {w for words, _ in KIND_WORDS for w in words.split()}
"""Words that name a document or a campaign, not what is asked of it."""


def _generic(content: list[str], allowed: set[str]) -> bool:
    return all(w in _GENERIC or w in allowed or mentioned_years(w) for w in content)


def _recipients(
    knowledge: Knowledge, named: list[int] | None, folded: str, content: list[str]
) -> Answer | None:
    if not _has(folded, "noi nhan", "gui cho", "gui den", "gui toi", "gui nhung", "dien cho"):
        return None
    if not _generic(content, {"noi", "nhan", "gui", "dien", "den", "toi", "cho"}):
        return None
    quotes = []
    for position in _targets_of(knowledge, named):
        document = knowledge.entries[position].document
        for zone in (Zone.ADDRESSEES, Zone.RECIPIENTS):
            passages = [p for p in document.in_zones(zone) if p.marker]
            if passages:
                head = next(document.in_zones(zone))
                quotes.append(
                    Quote(position, head.index, head.text, tuple(p.text for p in passages))
                )
    if not quotes:
        return None
    return Answer(True, "recipients", quotes=quotes[:2], entry=quotes[0].entry)


_PERIOD_ASKS = (
    "thoi gian thuc hien", "thoi gian to chuc", "keo dai", "ket thuc", "den khi nao",
    "den bao gio", "den ngay nao", "han chot", "thoi han", "bat dau", "dien ra", "bao lau",
    "until when", "how long", "deadline", "khi nao ket thuc", "thoi gian thi dua",
)  # fmt: skip
_PERIOD_WORDS = {
    "thoi", "gian", "thuc", "hien", "keo", "dai", "ket", "den", "khi", "bao", "gio",
    "ngay", "han", "chot", "bat", "dau", "dien", "ra", "lau", "until", "how", "long",
    "deadline", "to", "chuc", "cua", "trien", "khai", "thang", "tuan", "luc", "tu", "start",
}  # fmt: skip


def _period(
    knowledge: Knowledge, named: list[int] | None, folded: str, content: list[str]
) -> Answer | None:
    if not _has(folded, *_PERIOD_ASKS) or not _generic(content, _PERIOD_WORDS):
        return None
    targets = named or [i for i, e in enumerate(knowledge.entries) if e.campaign]
    for position in targets:
        entry = knowledge.entries[position]
        period = entry.facts.period
        if period.passage is None:
            continue
        document = entry.document
        quote = quote_passage(knowledge, position, document.passages[period.passage])
        return Answer(
            True,
            "period",
            quotes=[quote],
            facts={
                "start": period.start,
                "end": period.end,
                "open_end": period.open_end,
                "from_issue": period.from_issue,
                "text": period.text,
            },
            entry=position,
        )
    if not targets:
        return None
    position = targets[0]
    document = knowledge.entries[position].document
    title = next(document.in_zones(Zone.TITLE), None)
    quotes = [Quote(position, title.index, title.text)] if title else []
    return Answer(True, "no_period", quotes=quotes, entry=position)


_MOTTO_ASKS = {
    "theme": ("chu de", "theme"),
    "slogan": ("khau hieu", "slogan"),
    "motto": ("phuong cham", "motto"),
}


def _motto(
    knowledge: Knowledge, named: list[int] | None, folded: str, content: list[str]
) -> Answer | None:
    asked = [kind for kind, words in _MOTTO_ASKS.items() if _has(folded, *words)]
    if not asked:
        return None
    targets = named or list(range(len(knowledge.entries)))
    for kinds in (asked, [k for k in _MOTTO_ASKS if k not in asked]):
        for position in targets:
            facts = knowledge.entries[position].facts
            for kind in kinds:
                motto = facts.motto(kind)
                if motto is None:
                    continue
                document = knowledge.entries[position].document
                quote = quote_passage(
                    knowledge, position, document.passages[motto.passage], _around(motto.text)
                )
                return Answer(
                    True,
                    "motto",
                    quotes=[quote],
                    facts={"kind": kind, "text": motto.text, "year": facts.year},
                    entry=position,
                )
    return None


def _around(text: str) -> str:
    return text


_TARGET_WORDS = {
    "chi", "tieu", "muc", "phan", "dau", "cua", "co", "quan", "phong", "trao", "target",
    "targets", "gom", "the", "what", "are", "nhung", "cac",
}  # fmt: skip


def _targets(
    knowledge: Knowledge, named: list[int] | None, folded: str, content: list[str]
) -> Answer | None:
    if not _has(folded, "chi tieu", "muc tieu", "target", "targets"):
        return None
    if not _generic(content, _TARGET_WORDS):
        return None
    for position in named or [i for i, e in enumerate(knowledge.entries) if e.campaign]:
        entry = knowledge.entries[position]
        document = entry.document
        heads = [
            p
            for p in document.headings()
            if p.zone == Zone.BODY
            and p.parent is None
            and any(w in fold(p.body) for w in ("chi tieu", "muc tieu"))
        ]
        if not heads:
            continue
        passages = [
            p
            for p in document.passages
            if p.zone == Zone.BODY
            and heads[0].index in {a.index for a in document.ancestors(p.index)}
            and not p.heading
        ]
        if not passages:
            continue
        quotes = [quote_passage(knowledge, position, p) for p in passages]
        return Answer(
            True, "targets", quotes=quotes, facts={"year": entry.facts.year}, entry=position
        )
    return None


def _duties(
    knowledge: Knowledge, named: list[int] | None, folded: str, content: list[str]
) -> Answer | None:
    match = re.match(
        r"^(?:(?:trach nhiem|nhiem vu) cua )?(.+?) (?:co trach nhiem gi|co nhiem vu gi|lam gi"
        r"|can lam gi|phai lam gi|phu trach gi|co vai tro gi|chiu trach nhiem gi)\b",
        folded,
    ) or re.match(r"^(?:trach nhiem|nhiem vu|vai tro) cua (.+?)(?: la gi| trong|$)", folded)
    if match is None:
        return None
    asked = {w for w in content_words(match.group(1)) if w not in _GENERIC}
    if not asked:
        return None
    best: tuple[float, int, int] | None = None
    for position, entry in enumerate(knowledge.entries):
        if named and position not in named:
            continue
        for duty in entry.facts.duties:
            body = set(content_words(duty.body))
            expanded = set(body)
            for word in body:
                for phrase, expansions in SYNONYMS.items():
                    if phrase == word:
                        for expansion in expansions:
                            expanded.update(expansion.split())
            share = len(asked & expanded) / len(asked)
            if share >= 0.99 and (best is None or share > best[0]):
                best = (share, position, duty.passage)
    if best is None:
        return None
    _, position, passage = best
    document = knowledge.entries[position].document
    quote = quote_passage(knowledge, position, document.passages[passage])
    return Answer(True, "duty", quotes=[quote], entry=position)


def _basis(
    knowledge: Knowledge, named: list[int] | None, folded: str, content: list[str]
) -> Answer | None:
    asks = _has(folded, "can cu", "co so phap ly", "theo chi thi", "chi thi nao", "basis") or (
        re.search(r"(?<!thi )\bdua (?:tren|vao)\b", folded) is not None  # not "thi đua trên"
    )
    if not asks or _has(folded, "thay the"):
        return None
    for position in _targets_of(knowledge, named):
        document = knowledge.entries[position].document
        grounds = [
            p
            for p in document.in_zones(Zone.PREAMBLE)
            if fold(p.text).startswith(("thuc hien", "can cu"))
        ]
        if grounds:
            return Answer(
                True,
                "basis",
                quotes=[quote_passage(knowledge, position, p) for p in grounds],
                entry=position,
            )
    return None


_OVERVIEW_WORDS = {
    "thi", "dua", "phong", "trao", "phat", "dong", "van", "ban", "noi", "dung", "chinh", "nam",
    "tom", "tat", "gioi", "thieu", "nay", "chung", "campaign", "about", "ve", "gi",
}  # fmt: skip


def _overview(
    knowledge: Knowledge, named: list[int] | None, folded: str, content: list[str]
) -> Answer | None:
    if not content or not all(w in _OVERVIEW_WORDS or mentioned_years(w) for w in content):
        return None
    targets = _targets_of(knowledge, named)
    if not targets:
        return None
    position = targets[0]
    document = knowledge.entries[position].document
    parts = [p.text for p in document.headings() if p.parent is None and p.zone == Zone.BODY]
    parts += [p.text for p in document.headings() if p.zone == Zone.ATTACHMENT and p.parent is None]
    return Answer(
        True,
        "overview",
        facts={
            "title": document.title,
            "issuer": document.issuer or "",
            "year": knowledge.entries[position].facts.year,
            "parts": parts,
        },
        entry=position,
    )


_Intent = Callable[[Knowledge, list[int] | None, str, list[str]], Answer | None]
_INTENTS: tuple[tuple[_Intent, frozenset[str]], ...] = (
    (_signer, frozenset({"ky", "ten", "boi", "nguoi", "van ban"})),
    (_number, frozenset({"so", "hieu", "ban", "hanh", "ngay", "ky", "ra"})),
    (_issuer, frozenset({"co", "quan", "ban", "hanh", "don", "vi", "boi"})),
    (_basis, frozenset({"can", "cu", "co", "so", "phap", "ly", "dua", "tren", "vao", "nao"})),
    (_period, frozenset(_PERIOD_WORDS)),
    (_motto, frozenset({"chu", "de", "khau", "hieu", "phuong", "cham", "theme"})),
    (_recipients, frozenset({"noi", "nhan", "gui", "dien"})),
    (_targets, frozenset({"chi", "tieu", "muc", "target", "targets"})),
    (_duties, frozenset({"trach", "nhiem", "lam", "vai", "tro", "phu"})),
    (_overview, frozenset()),
)
"""Kinds of question answered from the model, each with the words that make it recognisable
(counted as understood when deciding whether the documents cover the question)."""


# -- the calendar -----------------------------------------------------------------------------

_UPCOMING = (
    "sap toi", "sap den", "tiep theo", "sap dien ra", "upcoming", "next", "thang nay",
    "thang toi", "tuan nay", "tuan toi", "gan nhat", "sap",
)  # fmt: skip
_DATE_ASKS = (
    "ngay nao", "khi nao", "bao gio", "bao nhieu nam", "ky niem", "con bao nhieu ngay",
    "may ngay", "ngay may", "hom nao", "thang may", "when", "date",
)  # fmt: skip


def _commemoration(
    knowledge: Knowledge, folded: str, content: list[str], today: date
) -> Answer | None:
    """A question naming a commemoration (or asking which are coming) is answered from the
    calendar: its date, weekday, anniversary and days left, with the document's words."""
    words = {w for w in content if w not in calendar.GENERIC_WORDS}
    for phrase, expansions in SYNONYMS.items():
        if _has(folded, phrase) and phrase in ("bac ho", "quoc khanh"):
            for expansion in expansions:
                words |= calendar.name_words(expansion)
    best: tuple[int, float, Observance] | None = None
    for observance in knowledge.observances:
        name = calendar.name_words(observance.name)
        matched = len(words & name)
        if not matched or not words:
            continue
        share_of_question = matched / len(words)
        share_of_name = matched / len(name)
        strong = (matched >= 2 and share_of_question >= 0.6) or (
            share_of_name >= 0.99 and share_of_question >= 0.5
        )
        if strong and (best is None or (matched, share_of_name) > (best[0], best[1])):
            best = (matched, share_of_name, observance)
    if best is not None:
        asks_date = _has(folded, *_DATE_ASKS) or (best[1] >= 0.6 and best[0] / len(words) >= 0.8)
        if asks_date:
            occurrence = calendar.next_of(best[2], today)
            if occurrence is not None:
                return _event_answer(knowledge, occurrence, best[2])
    if _has(folded, *_UPCOMING) and _has(folded, "ngay le", "ky niem", "su kien", "le", "events"):
        upcoming = calendar.upcoming(knowledge.observances, today, limit=5)
        return Answer(True, "events", facts={"occurrences": upcoming})
    return None


def _source_of(knowledge: Knowledge, observance: Observance) -> tuple[int, int] | None:
    """The document and passage a commemoration was read from ("3:17": entry 3, passage 17)."""
    if not observance.source or ":" not in observance.source:
        return None
    entry, _, passage = observance.source.partition(":")
    if not (is_number(entry) and is_number(passage)):
        return None
    for position, candidate in enumerate(knowledge.entries):
        if candidate.key == int(entry) and int(passage) < len(candidate.document.passages):
            return position, int(passage)
    return None


def _event_answer(knowledge: Knowledge, occurrence: Occurrence, observance: Observance) -> Answer:
    quotes = []
    found = _source_of(knowledge, observance)
    if found and observance.phrase:
        quotes.append(Quote(found[0], found[1], observance.phrase))
    return Answer(
        True,
        "event",
        quotes=quotes,
        facts={"occurrence": occurrence, "in_document": bool(quotes)},
        entry=found[0] if found else None,
    )


def _campaign_days(knowledge: Knowledge, today: date) -> Answer | None:
    days = [o for o in knowledge.observances if o.scope == "document" and o.phrase]
    if not days:
        return None
    quotes = []
    for observance in days:
        found = _source_of(knowledge, observance)
        if found:
            quotes.append(Quote(found[0], found[1], observance.phrase or ""))
    occurrences = [o for o in (calendar.next_of(d, today) for d in days) if o is not None]
    occurrences.sort(key=lambda o: o.date)
    entry = quotes[0].entry if quotes else None
    return Answer(
        True, "campaign_days", quotes=quotes, facts={"occurrences": occurrences}, entry=entry
    )
