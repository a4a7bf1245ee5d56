"""Answering a question from the campaign: structured facts where the model knows them
exactly (period, targets, signer, basis, theme, commemorations), otherwise the best clauses.

Every quote is the document's own text; the facts around it are read from the document (or
the calendar, which says so). Below the coverage threshold the answer is an honest "the
document does not say", with suggestions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from campaign import calendar
from campaign.calendar import Observance, Occurrence
from campaign.document import PREAMBLE, RECIPIENTS, SIGNATURE, Campaign, Clause
from campaign.search import Hit, Index, content_words, syllables
from campaign.synonyms import SYNONYMS
from campaign.text import fold

MAX_QUESTION = 500
"""Longer texts are not questions; the user is asked for a shorter one."""
MIN_COVERAGE = 0.5
MIN_SCORE = 6.0
"""Calibrated on the dev questions and tests/data/ask-extra.jsonl: on-topic questions reach
coverage ≥ 0.5 and a best score ≥ 8; off-topic ones stay at coverage 0 and scores under 6."""
QUOTE_WHOLE_CLAUSE = 450
SECOND_HIT_RATIO = 0.8
SIBLING_HIT_RATIO = 0.6
"""A second clause is quoted when it scores close to the first; closer still is not needed
when it is a sibling in the same section (the next bullet of the same list)."""


@dataclass(frozen=True)
class Quote:
    section: str
    """A section number ("II.1") or PREAMBLE, RECIPIENTS, SIGNATURE, "appendix.2", "calendar"."""
    text: str


@dataclass
class Answer:
    found: bool
    kind: str
    quotes: list[Quote] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)


class Knowledge:
    """A campaign with its search index and calendar, built once per document version."""

    def __init__(
        self,
        campaign: Campaign,
        packs: tuple[Observance, ...] = calendar.NATIONAL,
        custom: tuple[Observance, ...] = (),
        hidden: tuple[calendar.HiddenDay, ...] = (),
    ) -> None:
        self.campaign = campaign
        self.index = Index(campaign)
        self.packs = packs
        """The national days and the packs the agency chose (BOT_PROVINCE, BOT_SECTOR)."""
        self.observances = self._calendar(custom, hidden)
        self._folded_text = fold(" ".join(c.text for c in campaign.clauses))

    def _calendar(
        self, custom: tuple[Observance, ...], hidden: tuple[calendar.HiddenDay, ...]
    ) -> list[Observance]:
        own = calendar.document_days(self.campaign.commemorations, self.packs)
        return calendar.build(own, self.packs, custom, hidden)

    def with_days(
        self, custom: tuple[Observance, ...], hidden: tuple[calendar.HiddenDay, ...]
    ) -> Knowledge:
        """The same document with the admins' current days (added, hidden), sharing the index."""
        clone = Knowledge.__new__(Knowledge)
        clone.campaign, clone.index, clone.packs, clone._folded_text = (
            self.campaign,
            self.index,
            self.packs,
            self._folded_text,
        )
        clone.observances = clone._calendar(custom, hidden)
        return clone

    def mentions(self, folded_words: str) -> bool:
        return folded_words in self._folded_text


def mentioned_years(question: str) -> list[int]:
    return [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", question)]


def _has(folded: str, *phrases: str) -> bool:
    padded = f" {folded} "
    return any(f" {p} " in padded for p in phrases)


def answer(knowledge: Knowledge, question: str, today: date) -> Answer:
    """The answer to one question about `knowledge`'s campaign, on the day `today`."""
    text = question.strip()
    if len(text) > MAX_QUESTION:
        return Answer(False, "too_long", facts={"limit": MAX_QUESTION})
    folded = fold(re.sub(r"[^\w%/\-\s]", " ", text))
    if not syllables(text):
        return Answer(False, "empty")
    campaign = knowledge.campaign

    for year in mentioned_years(text):
        if year != campaign.year and not knowledge.mentions(str(year)):
            return Answer(False, "other_year", facts={"year": year})

    index = knowledge.index
    query = index.query(text)
    content = content_words(text)

    occurrence_answer = _commemoration(knowledge, folded, content, today)
    if occurrence_answer is not None:
        return occurrence_answer

    for intent, words in _INTENTS:
        result = intent(campaign, folded, content)
        if result is not None and index.coverage(query, words | DOCUMENT_WORDS) >= MIN_COVERAGE:
            return result
    if index.coverage(query, DOCUMENT_WORDS) < MIN_COVERAGE:
        return _refusal(text)
    if _has(folded, "ky niem", "ngay le", "le ky niem"):
        return _campaign_days(knowledge, today)

    boost = (
        ("III",) if _has(folded, "trach nhiem", "ai", "lam gi", "phan cong", "nhiem vu cua") else ()
    )
    hits = index.search(query, boost=boost, limit=8)
    if _has(folded, "gom", "bao gom", "gom nhung", "thanh vien", "danh sach", "nhung don vi nao"):
        hits = _prefer_lists(hits)
    hits = _informative(hits, set(query.weights))
    if not hits or hits[0].score < MIN_SCORE:
        return _refusal(text)
    return Answer(True, "clauses", quotes=_quotes(hits))


DOCUMENT_WORDS = frozenset({"van ban", "phat dong", "tai lieu"})
"""Words that name the document itself ("văn bản phát động"): always understood."""
_LIST_HEAD = re.compile(r"^[^:;]{3,80}:\s*\S[^:]*[,;]")


def _prefer_lists(hits: list[Hit]) -> list[Hit]:
    """For "what does X consist of", a clause that defines X as a list ("X: A, B, C") first."""
    rescored = [
        Hit(h.segment, h.score * (1.5 if _LIST_HEAD.match(h.segment.clause.text) else 1.0))
        for h in hits
    ]
    return sorted(rescored, key=lambda h: -h.score)


def _refusal(text: str) -> Answer:
    words = set(fold(text).split())
    english = text.isascii() and bool(
        words & {"what", "when", "who", "how", "which", "why", "is", "the"}
    )
    return Answer(False, "english" if english else "not_covered")


def _informative(hits: list[Hit], query_terms: set[str]) -> list[Hit]:
    """Rank down segments that only repeat the question ("Khối thi đua số 24;"): an answer
    must say something the question did not."""
    rescored = []
    for hit in hits:
        words = content_words(hit.segment.text)
        novel = sum(1 for w in words if w not in query_terms) / len(words) if words else 0.0
        rescored.append(Hit(hit.segment, hit.score * (0.2 + 0.8 * min(1.0, novel * 2))))
    rescored.sort(key=lambda h: -h.score)
    return rescored


def _quotes(hits: list[Hit]) -> list[Quote]:
    top = hits[0]
    chosen = [top]
    for hit in hits[1:]:
        if hit.segment.clause == top.segment.clause:
            continue
        sibling = hit.segment.clause.section == top.segment.clause.section
        ratio = SIBLING_HIT_RATIO if sibling else SECOND_HIT_RATIO
        if hit.score >= ratio * top.score:
            chosen.append(hit)
        break
    return [_quote(hit.segment.clause, hit.segment.text) for hit in chosen]


def _quote(clause: Clause, segment: str) -> Quote:
    text = clause.text if len(clause.text) <= QUOTE_WHOLE_CLAUSE else segment
    if text != clause.text:
        start = clause.text.find(segment)
        text = (
            ("…" if start > 0 else "")
            + segment
            + ("…" if start + len(segment) < len(clause.text) else "")
        )
    return Quote(clause.section, text)


def _signer(campaign: Campaign, folded: str, content: list[str]) -> Answer | None:
    asks = re.search(r"\b(ai|nguoi)\b.*\bky\b(?! niem)", folded) or _has(
        folded, "ky ten", "ky boi", "ky van ban", "who signed", "signed by", "signer"
    )
    if not asks or "dang ky" in folded or not campaign.signer:
        return None
    return Answer(
        True,
        "signer",
        quotes=[Quote(SIGNATURE, f"{campaign.signer_title} {campaign.signer}")],
        facts={"title": campaign.signer_title.capitalize(), "name": campaign.signer},
    )


def _basis(campaign: Campaign, folded: str, content: list[str]) -> Answer | None:
    if not _has(
        folded,
        "can cu",
        "co so phap ly",
        "dua tren",
        "dua vao",
        "theo chi thi",
        "chi thi nao",
        "van ban nao",
        "basis",
    ):
        return None
    grounds = [c for c in campaign.preamble if fold(c.text).startswith(("thuc hien", "can cu"))]
    if not grounds:
        return None
    return Answer(True, "basis", quotes=[_quote(c, c.text) for c in grounds])


def _period(campaign: Campaign, folded: str, content: list[str]) -> Answer | None:
    if not _has(
        folded,
        "thoi gian thuc hien",
        "han chot",
        "thoi han",
        "deadline",
        "ket thuc",
        "den khi nao",
        "den bao gio",
        "keo dai",
        "until when",
        "how long",
    ):
        return None
    clause = campaign.period_clause
    if clause is None or campaign.period_end is None:
        return None
    return Answer(
        True,
        "period",
        quotes=[Quote(clause.section, clause.text)],
        facts={"start": campaign.period_start, "end": campaign.period_end},
    )


def _theme(campaign: Campaign, folded: str, content: list[str]) -> Answer | None:
    if not campaign.theme or not _has(folded, "chu de", "khau hieu", "theme"):
        return None
    for clause in campaign.clauses:
        if campaign.theme in clause.text:
            return Answer(
                True,
                "theme",
                quotes=[_quote(clause, _segment_with(clause.text, campaign.theme))],
                facts={"theme": campaign.theme, "year": campaign.year},
            )
    return None


def _segment_with(text: str, needle: str) -> str:
    for piece in re.split(r"(?<=[.;])\s+", text):
        if needle in piece:
            return piece
    return text


def _recipients(campaign: Campaign, folded: str, content: list[str]) -> Answer | None:
    if not campaign.recipients or not _has(folded, "noi nhan", "gui cho", "gui den", "gui toi"):
        return None
    return Answer(True, "recipients", quotes=[Quote(RECIPIENTS, "; ".join(campaign.recipients))])


_TARGET_WORDS = {
    "chi",
    "tieu",
    "muc",
    "phan",
    "dau",
    "thi",
    "dua",
    "nam",
    "cua",
    "co",
    "quan",
    "so",
    "phong",
    "trao",
    "nhung",
    "cac",
    "target",
    "targets",
    "gom",
    "the",
    "what",
    "are",
    "nay",
}


def _targets(campaign: Campaign, folded: str, content: list[str]) -> Answer | None:
    asks = _has(folded, "chi tieu", "muc tieu", "target", "targets")
    generic = all(w in _TARGET_WORDS or w == str(campaign.year) for w in content)
    if not asks or not generic or not campaign.targets:
        return None
    part = campaign.targets_part
    quotes = [
        Quote(c.section, c.text)
        for section in campaign.sections
        if section.number.split(".")[0] == part
        for c in section.clauses
    ]
    return Answer(True, "targets", quotes=quotes, facts={"year": campaign.year})


_OVERVIEW_WORDS = {
    "thi",
    "dua",
    "phong",
    "trao",
    "phat",
    "dong",
    "van",
    "ban",
    "noi",
    "dung",
    "chinh",
    "nam",
    "tom",
    "tat",
    "gioi",
    "thieu",
    "nay",
    "chung",
    "campaign",
    "about",
}


def _overview(campaign: Campaign, folded: str, content: list[str]) -> Answer | None:
    if not content or not all(w in _OVERVIEW_WORDS or w == str(campaign.year) for w in content):
        return None
    parts = [s for s in campaign.sections if "." not in s.number]
    return Answer(
        True,
        "overview",
        quotes=[Quote(PREAMBLE, campaign.title)],
        facts={
            "title": campaign.title,
            "issuer": campaign.issuer,
            "year": campaign.year,
            "parts": [f"{p.number}. {p.title}" for p in parts],
        },
    )


_UPCOMING = (
    "sap toi",
    "sap den",
    "tiep theo",
    "sap dien ra",
    "upcoming",
    "next",
    "thang nay",
    "thang toi",
    "tuan nay",
    "tuan toi",
    "gan nhat",
    "sap",
)
_DATE_ASKS = (
    "ngay nao",
    "khi nao",
    "bao gio",
    "bao nhieu nam",
    "ky niem",
    "con bao nhieu ngay",
    "may ngay",
    "ngay may",
    "hom nao",
    "thang may",
    "when",
    "date",
)


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
        # Either the question asks for a date, or it is little more than the name itself.
        asks_date = _has(folded, *_DATE_ASKS) or (best[1] >= 0.6 and best[0] / len(words) >= 0.8)
        if asks_date:
            occurrence = calendar.next_of(best[2], today)
            if occurrence is not None:
                return _event_answer(knowledge, occurrence, best[2])
    if _has(folded, *_UPCOMING) and _has(folded, "ngay le", "ky niem", "su kien", "le", "events"):
        upcoming = calendar.upcoming(knowledge.observances, today, limit=5)
        return Answer(True, "events", facts={"occurrences": upcoming})
    return None


def _event_answer(knowledge: Knowledge, occurrence: Occurrence, observance: Observance) -> Answer:
    quotes = []
    if observance.phrase and observance.source:
        quotes.append(Quote(observance.source, observance.phrase))
    return Answer(
        True,
        "event",
        quotes=quotes,
        facts={"occurrence": occurrence, "in_document": bool(quotes)},
    )


def _campaign_days(knowledge: Knowledge, today: date) -> Answer:
    days = [o for o in knowledge.observances if o.scope == "document"]
    quotes = [Quote(o.source or "I.5", o.phrase) for o in days if o.phrase]
    occurrences = [o for o in (calendar.next_of(d, today) for d in days) if o is not None]
    occurrences.sort(key=lambda o: o.date)
    return Answer(True, "campaign_days", quotes=quotes, facts={"occurrences": occurrences})


_INTENTS = (
    (_signer, frozenset({"ky", "ten", "boi", "nguoi", "van ban"})),
    (_basis, frozenset({"can", "cu", "co", "so", "phap", "ly", "dua", "tren", "vao", "nao"})),
    (_period, frozenset({"han", "chot", "thoi", "gian", "ket", "thuc", "keo", "dai", "deadline"})),
    (_theme, frozenset({"chu", "de", "khau", "hieu", "theme"})),
    (_recipients, frozenset({"noi", "nhan", "gui"})),
    (_targets, frozenset({"chi", "tieu", "muc", "target", "targets"})),
    (_overview, frozenset()),
)
"""Kinds of question answered from the model, each with the words that make it recognisable
(counted as understood when deciding whether the document covers the question)."""
