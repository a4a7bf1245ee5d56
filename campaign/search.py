"""Finding the clauses of a campaign document that answer a question.

Vietnamese words are mostly two syllables ("thi đua", "văn hóa"), so the index holds folded
syllables and syllable pairs: a pair found in the document is strong evidence, a lone
syllable weak ("thời" of "thời tiết" also starts "thời gian"). Each segment (a sentence, or a
part of a list separated by ";") is scored with BM25 on its own words, plus a share of its
clause's and its section's, so a short segment inherits the meaning of its context.

Whether the document covers a question at all is measured apart from the ranking: the share
of the question's words that the document attests, counting a syllable only when it appears
beside the same neighbour as in the question. Off-topic questions ("thời tiết hôm nay") fall
far below on-topic ones, whatever their ranking scores.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from campaign.document import Campaign, Clause
from campaign.synonyms import SYNONYMS
from campaign.text import fold

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
    này nay hôm phải cần sẽ đã đang rằng gồm hỏi xin cảm ơn vui lòng
    """.split()
)
"""The same words with their diacritics: typed with accents, "cơ" (cơ quan) is not "có"."""

_TOKEN = re.compile(r"\w+(?:[/\-.]\w+)*|%")
_SEGMENT_SPLIT = re.compile(r"(?<=[.;!?…])\s+(?=\S)")
PERCENT = "%"
STOP = ""
"""Marks a stopword in a token sequence."""


def _normal_number(part: str) -> str:
    return str(int(part)) if part.isdigit() else part


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(folded token, is a stopword) in order; codes like "05-CT/TW" and dates stay whole."""
    result = []
    for raw in _TOKEN.findall(unicodedata.normalize("NFC", text.lower())):
        raw = raw.replace("_", "")
        if not raw:
            continue
        folded = fold(raw)
        parts = re.split(r"[/\-.]", folded)
        token = (
            "/".join(_normal_number(p) for p in parts) if len(parts) > 1 else _normal_number(folded)
        )
        stop = raw in ACCENTED_STOPWORDS if not raw.isascii() else folded in STOPWORDS
        result.append((token, stop))
    return result


def syllables(text: str) -> list[str]:
    """Folded tokens in order, with STOP ("") in place of stopwords."""
    return [STOP if stop else token for token, stop in _tokens(text)]


def content_words(text: str) -> list[str]:
    return [token for token, stop in _tokens(text) if not stop]


def terms(text: str) -> list[str]:
    """Index terms: content syllables, parts of compound tokens, and adjacent pairs."""
    result: list[str] = []
    previous: str | None = None
    for token in syllables(text):
        if token == STOP:
            previous = None
            continue
        result.append(token)
        if "/" in token:
            result.extend(token.split("/"))
        if previous is not None:
            result.append(f"{previous} {token}")
        previous = token
    return result


@dataclass
class _Bm25:
    """BM25 over a list of term lists (k1 1.2; b 0.5, for clauses of very uneven length)."""

    documents: Sequence[Sequence[str]]
    k1: float = 1.2
    b: float = 0.5
    frequencies: list[Counter[str]] = field(init=False)
    idf: dict[str, float] = field(init=False)
    average: float = field(init=False)

    def __post_init__(self) -> None:
        self.frequencies = [Counter(d) for d in self.documents]
        count = len(self.documents) or 1
        self.average = sum(len(d) for d in self.documents) / count or 1.0
        df: Counter[str] = Counter()
        for frequency in self.frequencies:
            df.update(frequency.keys())
        self.idf = {t: math.log(1 + (count - n + 0.5) / (n + 0.5)) for t, n in df.items()}

    def score(self, index: int, query: Counter[str]) -> float:
        frequency = self.frequencies[index]
        length = len(self.documents[index])
        total = 0.0
        for term, weight in query.items():
            tf = frequency.get(term)
            if not tf:
                continue
            norm = (
                tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * length / self.average))
            )
            total += weight * self.idf[term] * norm
        return total


@dataclass(frozen=True)
class Segment:
    clause: Clause
    text: str
    position: int
    """Index of the clause in the document."""


@dataclass(frozen=True)
class Hit:
    segment: Segment
    score: float


@dataclass(frozen=True)
class Query:
    text: str
    syllables: list[str]
    content: list[str]
    weights: Counter[str]
    synonym_phrases: list[str]


CLAUSE_SHARE = 0.35
SECTION_SHARE = 0.25
EXPANSION_WEIGHT = 0.6
PAIR_WEIGHT = 1.5


class Index:
    """The searchable form of one campaign document, built once and kept in memory."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.clauses = campaign.clauses
        self.segments: list[Segment] = []
        for position, clause in enumerate(self.clauses):
            for piece in _SEGMENT_SPLIT.split(clause.text):
                if piece.strip():
                    self.segments.append(Segment(clause, piece.strip(), position))
        titles = [self._context(c) for c in self.clauses]
        self._segments = _Bm25([terms(s.text) for s in self.segments])
        self._clauses = _Bm25([terms(c.text) for c in self.clauses])
        self._titles = _Bm25([terms(t) for t in titles])
        self.vocabulary: set[str] = set()
        for document in self._clauses.documents:
            self.vocabulary.update(document)
        self.vocabulary.update(t for title in self._titles.documents for t in title)

    def _context(self, clause: Clause) -> str:
        section = self.campaign.section(clause.section)
        part = self.campaign.part_title(clause.section)
        own = section.title if section and section.number != clause.section.split(".")[0] else ""
        return f"{part} {own}".strip()

    def query(self, text: str) -> Query:
        folded = fold(text)
        sequence = syllables(text)
        content = [s for s in sequence if s != STOP]
        weights: Counter[str] = Counter()
        for term in terms(text):
            weights[term] += PAIR_WEIGHT if " " in term else 1.0
        phrases = []
        padded = f" {folded} "
        for phrase, expansions in SYNONYMS.items():
            if f" {phrase} " in padded:
                phrases.append(phrase)
                for expansion in expansions:
                    for term in terms(expansion) if expansion != PERCENT else [PERCENT]:
                        weights[term] += EXPANSION_WEIGHT
        return Query(text, sequence, content, weights, phrases)

    def coverage(self, query: Query, known: frozenset[str] = frozenset()) -> float:
        """Share of the question's content syllables that the document attests in context.

        `known` words count as understood (the words of a recognised kind of question); an
        entry with a space is a pair, understood only when the question has it whole. Years
        ("năm 2025") are neutral: they neither show nor refute that the document covers it.
        """
        neutral = _neutral_positions(query.syllables)
        content_positions = [
            i for i, t in enumerate(query.syllables) if t != STOP and i not in neutral
        ]
        if not content_positions:
            return 0.0
        covered = [False] * len(query.syllables)
        synonym_words = {k for k in known if " " not in k}
        known_pairs = {k for k in known if " " in k}
        for phrase in query.synonym_phrases:
            expansions = SYNONYMS[phrase]
            if any(e == PERCENT or all(t in self.vocabulary for t in terms(e)) for e in expansions):
                synonym_words.update(phrase.split())
        for i, token in enumerate(query.syllables):
            if token == STOP:
                continue
            left = query.syllables[i - 1] if i > 0 else STOP
            right = query.syllables[i + 1] if i + 1 < len(query.syllables) else STOP
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
        return sum(covered[i] for i in content_positions) / len(content_positions)

    def search(self, query: Query, *, boost: Iterable[str] = (), limit: int = 5) -> list[Hit]:
        """Segments by score; sections whose number starts with one of `boost` count 30% more."""
        clause_scores = [self._clauses.score(i, query.weights) for i in range(len(self.clauses))]
        title_scores = [self._titles.score(i, query.weights) for i in range(len(self.clauses))]
        prefixes = tuple(boost)
        hits = []
        for index, segment in enumerate(self.segments):
            score = (
                self._segments.score(index, query.weights)
                + CLAUSE_SHARE * clause_scores[segment.position]
                + SECTION_SHARE * title_scores[segment.position]
            )
            if prefixes and segment.clause.section.startswith(prefixes):
                score *= 1.3
            if score > 0:
                hits.append(Hit(segment, score))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]


def _is_year(token: str) -> bool:
    return token.isdigit() and len(token) == 4 and token[:2] in ("19", "20")


def _neutral_positions(sequence: list[str]) -> set[int]:
    neutral = set()
    for i, token in enumerate(sequence):
        if _is_year(token):
            neutral.add(i)
            if i > 0 and sequence[i - 1] == "nam":
                neutral.add(i - 1)
    return neutral


def _is_code(token: str) -> bool:
    return any(ch.isdigit() for ch in token) or "/" in token
