"""Property tests of every reader of typed or imported text in campaign/: whatever comes in,
each one answers or refuses with its own error, never another exception. Few examples in
`make test` (the same each run), thousands in `make fuzz` (HYPOTHESIS_PROFILE=fuzz)."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given
from hypothesis import strategies as st

from campaign import calendar, timephrase
from campaign.accounts import parse_account_ref
from campaign.answers import answer, mentioned_years, smalltalk
from campaign.commands import closest, match_phrase, parse_slash
from campaign.docdates import find_dates
from campaign.document import DocumentError, parse
from campaign.facts import rating_targets, read_facts
from campaign.inputs import MAX_DAYS, clean_text, is_number, read_int
from campaign.invites import normalize_code
from campaign.layout import paragraphs
from campaign.progress import ProgressError, parse_progress
from campaign.ratings import split_rating
from campaign.roles import parse_unit_role
from campaign.search import content_words, terms
from campaign.text import fold, fold_aligned, recase
from campaign.titles import match_title
from campaign.units import parse_units_csv
from handlers.features import build_registry
from tests.conftest import CAMPAIGN_2026
from tests.scoring import knowledge_of

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=ZONE)
TRICKY = [
    "²",
    "¹",
    "٣",
    "৭",
    "𝟗",
    "\x00",
    "\x07",
    "\u200b",
    "\ufeff",
    "e\u0302\u0323",
    "Đ",
    "%",
    "/",
    ":",
]
"""Superscripts, digits of other scripts, controls, zero-width and combining marks."""

DOCUMENT_LINES = CAMPAIGN_2026.read_text(encoding="utf-8").split("\n")
WORDS = sorted({w for line in DOCUMENT_LINES for w in line.split()} | set(TRICKY))
NUMBERS = st.one_of(
    st.integers(-10, 10**6).map(str),
    st.integers(0, 10**30).map(str),
    st.sampled_from(["0", "00", "05¹", "1²", "٣", "99999999", "2147483648", "1" * 5000]),
)
PHRASES = ["sau", "ngày", "nữa", "giờ", "phút", "tuần", "tháng", "năm", "hằng", "mỗi", "thứ",
           "sáu", "chiều", "mai", "lúc", "h", "ngày mai", "tuần sau", "8h30", "25/12", "/"]  # fmt: skip


def mixed(words: list[str] = WORDS, max_size: int = 12) -> st.SearchStrategy[str]:
    """Text made of the field's own words, numbers and tricky characters, or anything."""
    piece = st.one_of(st.sampled_from(words), NUMBERS, st.sampled_from(TRICKY), st.text(max_size=8))
    return st.one_of(
        st.lists(piece, max_size=max_size).map(" ".join),
        st.text(max_size=60),
    )


@given(st.text(max_size=200))
@example("a\x00b\x07c\r\n\td")
@example("\ud800 lone surrogate")
def test_clean_text_is_nfc_without_controls_and_idempotent(text: str) -> None:
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    assert all(ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs") for ch in cleaned)
    cleaned.encode("utf-8")  # what a database stores


@given(st.one_of(NUMBERS, st.text(max_size=12)), st.integers(-5, 10**6), st.integers(0, 10**12))
@example("²", 0, 10)
@example("1" * 5000, 0, 10**12)
def test_read_int_is_int_of_ascii_digits_within_bounds(text: str, lo: int, span: int) -> None:
    hi = lo + span
    value = read_int(text, lo, hi)
    stripped = text.strip()
    if is_number(stripped) and len(stripped) < 40 and lo <= int(stripped) <= hi:
        assert value == int(stripped)
    else:
        assert value is None or (lo <= value <= hi and is_number(stripped))


@given(mixed(PHRASES + WORDS[:50]))
@example("sau 99999999 ngày")
@example("99999999 tuần nữa")
@example("ngày 05¹ tháng 3")
@example("25/12/9999 8h")
def test_time_phrases_read_or_refuse(phrase: str) -> None:
    try:
        reading = timephrase.read(phrase, NOW)
    except timephrase.TimePhraseError as error:
        assert error.key.startswith("time.")
        return
    assert NOW < reading.at <= NOW + timedelta(days=MAX_DAYS)


COMMANDS = build_registry()


@given(mixed())
def test_slash_and_phrase_matching(text: str) -> None:
    slash = parse_slash(text)
    if slash is not None:
        assert slash.name and " " not in slash.name
        closest(slash.name, COMMANDS.names)
    found = match_phrase(text, COMMANDS.phrases)
    assert found is None or COMMANDS.get(found.name) is not None


@given(mixed(["tiendo", "%", "50", "100", "xong", ",", "."]))
@example("1" * 400)
@example("1² 50")
@example("2 ٣٠")
def test_progress_reads_a_percentage_or_refuses(text: str) -> None:
    try:
        given_ = parse_progress(text)
    except ProgressError as error:
        assert error.key.startswith("progress.")
        return
    assert 0 <= given_.percent <= 100
    assert given_.commitment is None or given_.commitment >= 1


@given(mixed())
def test_small_readers_never_raise(text: str) -> None:
    split_rating(text)
    match_title(text)
    parse_unit_role(text)
    parse_account_ref(text)
    normalize_code(text)
    smalltalk(text)
    mentioned_years(text)
    content_words(text)
    terms(text)
    assert len(fold_aligned(text)) == len(text)
    fold(text)
    find_dates(fold(text))


@given(st.lists(st.one_of(mixed(max_size=6), st.just("code,name,kind")), max_size=6))
@example(["code,name,kind", "\r0"])
@example(["code,name,kind", 'KT,"Phòng', "x"])
@example(["code,name,kind", "KT,Phòng\x00,department"])
def test_units_csv_rows_or_line_numbered_errors(lines: list[str]) -> None:
    _rows, errors = parse_units_csv("\n".join(lines))
    assert all(error.line >= 1 for error in errors)


DOCUMENT = st.lists(
    st.one_of(
        st.sampled_from(DOCUMENT_LINES),
        st.sampled_from(DOCUMENT_LINES).map(lambda line: line.replace("0", "0¹", 1)),
        mixed(max_size=10),
    ),
    min_size=1,
    max_size=40,
).map("\n".join)


@given(DOCUMENT, mixed(max_size=8))
@example("KẾ HOẠCH\nThi đua năm 2026\nI. Hoàn thành ngày 05¹ tháng 3² năm 2026.", "ngày 05¹?")
def test_documents_parse_and_answer_whatever_they_hold(text: str, question: str) -> None:
    """A document with superscripts, controls or nonsense lines: parsed, its facts read, a
    question answered or refused; the calendar built from it lists its days."""
    try:
        document = parse(text)
    except DocumentError:
        return
    facts = read_facts(document)
    rating_targets(document, facts)
    recase(document.title or "", text)
    paragraphs(text)
    knowledge = knowledge_of(text)
    answer(knowledge, question or "chỉ tiêu là gì", NOW.date())
    calendar.upcoming(knowledge.observances, NOW.date(), days=400)
