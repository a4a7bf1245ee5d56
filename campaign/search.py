"""Finding the passages of a set of documents that answer a question.

Vietnamese words are mostly two syllables ("thi đua", "văn hóa"), so the index holds folded
syllables and syllable pairs: a pair found in a document is strong evidence, a lone syllable
weak ("thời" of "thời tiết" also starts "thời gian"). Each sentence of a passage is scored
with BM25 on its own words, plus a share of its passage's and of the headings it stands under
("Điều 4. Tiêu chí chung (20 điểm)" gives its items their meaning), so a short item inherits
the meaning of its context. Abbreviations are read from the documents themselves: "TĐKT" is
the initials of "thi đua, khen thưởng" written out elsewhere.

Whether the documents cover a question at all is measured apart from the ranking: the share
of the question's words the documents attest, counting a syllable only beside the same
neighbour as in the question, and weighing rare words more than the field's common ones.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from campaign.document import Document, Passage, Zone
from campaign.inputs import is_number
from campaign.synonyms import SYNONYMS
from campaign.text import fold, fold_aligned

STOPWORDS = frozenset(
    """
    la gi nao ai dau khi bao nhieu may co khong cua va cac nhung cho duoc trong voi ve theo
    tai tu den de o a nhe vay the sao ra lam hay hoac nhu mot toi minh ban em anh oi u
    nay hom phai can se da dang rang gom hoi xin cam on vui long
    what is the are who when where which how does do of to in for an and or about please
    """.split()
)
"""Question words and particles, folded: used when the user typed without diacritics.
"thi" stays out: it is half of "thi đua" and "chỉ thị"."""

ACCENTED_STOPWORDS = frozenset(
    """
    là gì nào ai đâu khi bao nhiêu mấy có không của và các những cho được trong với về theo
    tại từ đến để ở à nhé vậy thế sao ra làm hay hoặc như một tôi mình bạn em anh ơi ạ
    này nay hôm phải cần sẽ đã đang rằng gồm hỏi xin cảm ơn vui lòng thì
    """.split()
)
"""The same words with their diacritics: typed with accents, "cơ" (cơ quan) is not "có"."""

_TOKEN = re.compile(r"\w+(?:[/\-.]\w+)*|%")
_SEGMENT_SPLIT = re.compile(r"(?<=[.;!?…])\s+(?=\S)")
PERCENT = "%"
STOP = ""
"""Marks a stopword in a token sequence."""


def _normal_number(part: str) -> str:
    """ "06" and "6" are one number; "²" is a digit to str.isdigit but not a number here.
    Zeros are stripped rather than the number converted: a document may hold a run of
    digits longer than int() reads."""
    return (part.lstrip("0") or "0") if is_number(part) else part


NUMBER_WORDS = {
    "một": "1",
    "bốn": "4",
    "sáu": "6",
    "bảy": "7",
    "tám": "8",
    "chín": "9",
    "mười": "10",
}
"""Numbers written as words, as documents write counts ("06 tháng một lần"); only spellings
that name nothing else ("năm" is also "year", "hai" typed without marks may be "Hải")."""
NEGATION = frozenset({"không", "khong", "chưa", "chua"})
"""A question particle at the end ("có … không?"), a word of the meaning before another word
("không hoàn thành")."""


def _tokens(text: str) -> list[tuple[str, bool, bool]]:
    """(folded token, is a stopword, the stopword was typed without marks) in order; codes
    like "05-CT/TW" and dates stay whole. Typed without marks, "bao" may be "báo" (báo cáo)
    and "co" may be "cơ" (cơ quan): such a stopword is soft, and the index decides."""
    lowered = unicodedata.normalize("NFC", text).lower()
    folded_all = fold_aligned(lowered)
    found = [
        (m.group(0).replace("_", ""), folded_all[m.start() : m.end()].replace("_", ""))
        for m in _TOKEN.finditer(lowered)
    ]
    found = [(raw, folded) for raw, folded in found if raw]
    result = []
    for position, (raw, folded) in enumerate(found):
        if raw in NUMBER_WORDS:
            result.append((NUMBER_WORDS[raw], False, False))
            continue
        if "/" in folded or "-" in folded or "." in folded:
            token = "/".join(_normal_number(p) for p in re.split(r"[/\-.]", folded))
        else:
            token = _normal_number(folded)
        stop = raw in ACCENTED_STOPWORDS if not raw.isascii() else folded in STOPWORDS
        if raw in NEGATION and position + 1 < len(found):
            following = found[position + 1][0]
            stop = following in ACCENTED_STOPWORDS or fold(following) in STOPWORDS
        result.append((token, stop, stop and raw.isascii()))
    return result


def syllables(text: str) -> list[str]:
    """Folded tokens in order, with STOP ("") in place of stopwords."""
    return [STOP if stop else token for token, stop, _ in _tokens(text)]


def content_words(text: str) -> list[str]:
    return [token for token, stop, _ in _tokens(text) if not stop]


def terms(text: str) -> list[str]:
    """Index terms: content syllables, parts of compound tokens, and adjacent pairs."""
    return terms_of(syllables(text))


def terms_of(sequence: Sequence[str]) -> list[str]:
    result: list[str] = []
    previous: str | None = None
    for token in sequence:
        if token == STOP:
            previous = None
            continue
        result.append(token)
        if "/" in token:
            result.extend(p for p in token.split("/") if p)
        if previous is not None:
            result.append(f"{previous} {token}")
        previous = token
    return result


class _Bm25:
    """BM25 over term lists with an inverted index (k1 1.2; b 0.5, for passages of very uneven
    length): a query touches only the postings of its own terms."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.5):
        self.k1, self.b = k1, b
        self.lengths = [len(d) for d in documents]
        count = len(documents) or 1
        self.average = sum(self.lengths) / count or 1.0
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, document in enumerate(documents):
            for term, tf in Counter(document).items():
                self.postings[term].append((index, tf))
        self.idf = {
            t: math.log(1 + (count - len(p) + 0.5) / (len(p) + 0.5))
            for t, p in self.postings.items()
        }

    def scores(self, query: Counter[str] | dict[str, float]) -> dict[int, float]:
        result: dict[int, float] = defaultdict(float)
        k1, b, average = self.k1, self.b, self.average
        for term, weight in query.items():
            postings = self.postings.get(term)
            if not postings:
                continue
            idf = self.idf[term]
            for index, tf in postings:
                norm = tf * (k1 + 1) / (tf + k1 * (1 - b + b * self.lengths[index] / average))
                result[index] += weight * idf * norm
        return result


@dataclass(frozen=True)
class Unit:
    """A passage of one document, with the words around it that give it its meaning."""

    document: int
    passage: Passage
    context: str
    words: frozenset[str] = frozenset()
    """Content words of the passage, with the list it introduces, and of its context: what
    it speaks of, read once when the index is built."""


@dataclass(frozen=True)
class Segment:
    unit: int
    text: str
    start: int
    """Where the sentence starts in its passage's text."""
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    segment: Segment
    unit: Unit
    score: float


@dataclass(frozen=True)
class Query:
    text: str
    syllables: list[str]
    content: list[str]
    weights: dict[str, float]
    synonym_phrases: list[str]
    expanded: frozenset[str] = field(default_factory=frozenset)
    """Question words understood through an abbreviation the documents spell out."""


LIST_CHARS = 1500
FORM_WEIGHT = 0.5
_FORM = re.compile(r"\.{5,}|…{2,}|:\s*\.\s*\.|\(\s*[Kk]ý\b|[Gg]hi rõ họ")
"""A blank form ("Họ và tên: ......", "(Ký, ghi rõ họ tên)"): the words of a template, not an
answer."""
CLAUSE_SHARE = 0.35
SECTION_SHARE = 0.3
EXPANSION_WEIGHT = 0.6
PAIR_WEIGHT = 1.5
SEARCHED_ZONES = frozenset(Zone) - {Zone.SIGNATURE}
ZONE_WEIGHT = {
    Zone.LETTERHEAD: 0.4,
    Zone.RECIPIENTS: 0.5,
    Zone.ADDRESSEES: 0.7,
    Zone.TITLE: 0.8,
}


def context_of(document: Document, passage: Passage) -> str:
    """The headings a passage stands under, the header of its table, and for a footnote the
    sentence that refers to it."""
    parts = [a.body for a in document.ancestors(passage.index)]
    if passage.header is not None and passage.header != passage.index:
        parts.append(document.passages[passage.header].text)
        if passage.cells and is_number(passage.cells[0]):  # "đề án số 1": the row numbered 1
            parts.append(f"số {passage.cells[0]} thứ {passage.cells[0]}")
    if passage.zone == Zone.FOOTNOTE and passage.marker:
        mark = f"[{passage.marker.label}]"
        for other in reversed(document.passages[: passage.index]):
            if mark in other.text and other.zone != Zone.FOOTNOTE:
                position = other.text.index(mark)
                start = other.text.rfind(".", 0, position) + 1
                parts.append(other.text[start : position + len(mark)])
                break
    return " ".join(parts)


class Index:
    """The searchable form of a set of documents, built once and kept in memory."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.documents = list(documents)
        self.units: list[Unit] = []
        self.segments: list[Segment] = []
        self._unit_segments: list[list[int]] = []
        for number, document in enumerate(self.documents):
            for passage in document.passages:
                if passage.zone not in SEARCHED_ZONES:
                    continue
                unit = len(self.units)
                self.units.append(Unit(number, passage, context_of(document, passage)))
                own = []
                offset = 0
                for piece in _SEGMENT_SPLIT.split(passage.text):
                    start = passage.text.find(piece, offset)
                    offset = start + len(piece)
                    if piece.strip():
                        own.append(len(self.segments))
                        self.segments.append(Segment(unit, piece.strip(), start))
                self._unit_segments.append(own)
        cached: dict[str, list[str]] = {}

        def terms_once(text: str) -> list[str]:
            """Siblings share their headings: each text is read once."""
            found = cached.get(text)
            if found is None:
                found = cached[text] = terms(text)
            return found

        unit_terms = [terms_once(self._with_items(u)) for u in self.units]
        context_terms = [terms_once(u.context) for u in self.units]
        segment_terms = [terms_once(s.text) for s in self.segments]
        self._segment_bm25 = _Bm25(segment_terms)
        self.units = [
            replace(u, words=frozenset(_words(own) + _words(around)))
            for u, own, around in zip(self.units, unit_terms, context_terms, strict=True)
        ]
        self.segments = [
            replace(s, words=tuple(_words(found)))
            for s, found in zip(self.segments, segment_terms, strict=True)
        ]
        self._unit_bm25 = _Bm25(unit_terms)
        self._context_bm25 = _Bm25(context_terms)
        self.frequency: Counter[str] = Counter()
        for unit_words in unit_terms:
            self.frequency.update(set(unit_words))
        for context_words in context_terms:
            self.frequency.update(set(context_words) - self.frequency.keys())
        self.vocabulary = set(self.frequency)
        self._blank = [bool(_FORM.search(self._with_items(u))) for u in self.units]
        self.acronyms, self.written_acronyms = _acronyms(self.units)

    def _with_items(self, unit: Unit) -> str:
        """A passage with the list it introduces: "Thành phần Hội đồng gồm:" says who. A
        heading whose items are headings themselves is a section, not a list: its own words."""
        document = self.documents[unit.document]
        items = document.items(unit.passage.index)
        if not items or any(document.items(item.index) for item in items):
            return unit.passage.text
        text = " ".join(p.text for p in items)
        return f"{unit.passage.text} {text[:LIST_CHARS]}"

    def query(self, text: str) -> Query:
        folded = fold(text)
        sequence = self._sequence(text)
        content = [s for s in sequence if s != STOP]
        weights: dict[str, float] = defaultdict(float)
        for term in terms_of(sequence):
            weights[term] += PAIR_WEIGHT if " " in term else 1.0
        phrases = []
        padded = f" {folded} "
        for phrase, expansions in SYNONYMS.items():
            if f" {phrase} " in padded:
                phrases.append(phrase)
                for expansion in expansions:
                    for term in terms(expansion) if expansion != PERCENT else [PERCENT]:
                        weights[term] += EXPANSION_WEIGHT
        expanded: set[str] = set()
        spelled: list[str] = []
        for token in sequence:
            spelling = self.acronyms.get(token) if token and len(token) >= 3 else None
            if spelling:
                expanded.add(token)
                spelled.extend(spelling.split())
            else:
                spelled.append(token)
        if expanded:  # "hội đồng tdkt tỉnh" also reads "hội đồng thi đua khen thưởng tỉnh"
            for term in terms_of(spelled):
                if term not in weights:
                    weights[term] += PAIR_WEIGHT if " " in term else 1.0
        for size in range(2, 6):
            for start in range(len(content) - size + 1):
                window = content[start : start + size]
                initials = "".join(w[0] for w in window if w)
                if len(initials) >= 3 and initials in self.written_acronyms:
                    expanded.update(window)
                    weights[initials] += 1.0
        return Query(text, sequence, content, dict(weights), phrases, frozenset(expanded))

    def _sequence(self, text: str) -> list[str]:
        """The question's syllables, a soft stopword kept where it makes a pair the documents
        use ("bao cao", "co quan", "dang ky")."""
        tokens = _tokens(text)
        sequence = [STOP if stop else token for token, stop, _ in tokens]
        for i, (token, _, soft) in enumerate(tokens):
            if not soft:
                continue
            after = f"{token} {tokens[i + 1][0]}" if i + 1 < len(tokens) else ""
            before = f"{tokens[i - 1][0]} {token}" if i > 0 else ""
            if after in self.vocabulary or before in self.vocabulary:
                sequence[i] = token
        return sequence

    def weight(self, term: str) -> float:
        """How much a word tells: rare in these documents (or absent) weighs more."""
        count = len(self.units) or 1
        return math.log(1 + count / (1 + self.frequency.get(term, 0)))

    def coverage(self, query: Query, known: frozenset[str] = frozenset()) -> float:
        """Share of the question's content words that the documents attest in context, each
        word weighed by how rare it is in them.

        `known` words count as understood (the words of a recognised kind of question); an
        entry with a space is a pair, understood only when the question has it whole. Years
        ("năm 2025") are neutral: they neither show nor refute that a document covers it.
        """
        neutral = _neutral_positions(query.syllables)
        positions = [i for i, t in enumerate(query.syllables) if t != STOP and i not in neutral]
        if not positions:
            return 0.0
        covered = [False] * len(query.syllables)
        synonym_words = {k for k in known if " " not in k} | set(query.expanded)
        known_pairs = {k for k in known if " " in k}
        for phrase in query.synonym_phrases:
            expansions = SYNONYMS[phrase]
            if any(e == PERCENT or all(t in self.vocabulary for t in terms(e)) for e in expansions):
                synonym_words.update(phrase.split())
        sequence = query.syllables
        for i, token in enumerate(sequence):
            if token == STOP:
                continue
            left = sequence[i - 1] if i > 0 else STOP
            right = sequence[i + 1] if i + 1 < len(sequence) else STOP
            pairs = [
                p
                for p in (f"{left} {token}" if left else "", f"{token} {right}" if right else "")
                if p
            ]
            alone = not pairs
            if (
                token in synonym_words
                or any(p in self.vocabulary or p in known_pairs for p in pairs)
                or ((alone or _is_code(token)) and token in self.vocabulary)
            ):
                covered[i] = True
        total = sum(self.weight(sequence[i]) for i in positions)
        return sum(self.weight(sequence[i]) for i in positions if covered[i]) / total

    def search(
        self,
        query: Query,
        *,
        boost: Iterable[tuple[int, float]] = (),
        documents: Iterable[int] | None = None,
        limit: int = 8,
    ) -> list[Hit]:
        """Sentences by score. `boost` multiplies the score of these units (by index);
        `documents` keeps only those documents."""
        weights = query.weights
        unit_scores = self._unit_bm25.scores(weights)
        context_scores = self._context_bm25.scores(weights)
        segment_scores = self._segment_bm25.scores(weights)
        factors = dict(boost)
        allowed = set(documents) if documents is not None else None
        candidates = set(unit_scores) | set(context_scores)
        hits = []
        for unit_index in candidates:
            unit = self.units[unit_index]
            if allowed is not None and unit.document not in allowed:
                continue
            base = CLAUSE_SHARE * unit_scores.get(
                unit_index, 0.0
            ) + SECTION_SHARE * context_scores.get(unit_index, 0.0)
            factor = factors.get(unit_index, 1.0) * ZONE_WEIGHT.get(unit.passage.zone, 1.0)
            if self._blank[unit_index]:
                factor *= FORM_WEIGHT
            best: tuple[float, int] | None = None
            for segment_index in self._unit_segments[unit_index]:
                score = (segment_scores.get(segment_index, 0.0) + base) * factor
                if best is None or score > best[0]:
                    best = (score, segment_index)
            if best is not None and best[0] > 0:
                hits.append(Hit(self.segments[best[1]], unit, best[0]))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]


def _words(found: list[str]) -> list[str]:
    """The content words among index terms (not the pairs)."""
    return [t for t in found if " " not in t]


def _acronyms(units: Sequence[Unit]) -> tuple[dict[str, str], set[str]]:
    """Initials of the field's phrases as the documents write them out ("tdkt" → "thi đua khen
    thưởng"), and the abbreviations the documents write in capitals ("UBND", "HĐND")."""
    counts: Counter[tuple[str, str]] = Counter()
    written: set[str] = set()
    for unit in units:
        text = unit.passage.text
        for raw in re.findall(r"\b[A-ZĐ]{2,8}\b", text):
            written.add(fold(raw))
        words = [s for s in syllables(text) if s and s.isalpha()]
        for size in range(2, 6):
            for start in range(len(words) - size + 1):
                window = words[start : start + size]
                counts[("".join(w[0] for w in window), " ".join(window))] += 1
    best: dict[str, tuple[int, str]] = {}
    for (initials, phrase), count in counts.items():
        if count >= 2 and (initials not in best or count > best[initials][0]):
            best[initials] = (count, phrase)
    return {k: v[1] for k, v in best.items()}, written


def _is_year(token: str) -> bool:
    return is_number(token) and len(token) == 4 and token[:2] in ("19", "20")


def _neutral_positions(sequence: list[str]) -> set[int]:
    neutral = set()
    content = [i for i, t in enumerate(sequence) if t != STOP]
    if content and sequence[content[0]] == "cach":
        neutral.add(content[0])
    for i, token in enumerate(sequence):
        if _is_year(token):
            neutral.add(i)
            if i > 0 and sequence[i - 1] == "nam":
                neutral.add(i - 1)
    return neutral


def _is_code(token: str) -> bool:
    return any("0" <= ch <= "9" for ch in token) or "/" in token
