"""Answers to questions, judged like ../shared/tools/eval_ask.py judges the CLI."""

import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from bot.channels.text import to_plain
from bot.i18n import Catalog
from campaign import calendar
from campaign.answers import Knowledge, answer
from campaign.document import parse
from campaign.search import Index
from handlers.answer_view import render
from tests.documents import seed_text

HERE = Path(__file__).resolve().parent
DEV_SET = HERE.parent.parent / "shared" / "eval" / "ask-dev.jsonl"
SETS = [HERE / "data" / "ask-extra.jsonl", *([DEV_SET] if DEV_SET.exists() else [])]
KNOWLEDGE = Knowledge(parse(seed_text()), calendar.packs(["lang-son"], ["giao-thong"]))
"""The bundled document is Lạng Sơn's transport department's: its agency chooses those packs."""
TODAY = date(2026, 11, 25)
T = Catalog.load().translator("vi")


def fold(text: str) -> str:
    """The scorer's folding: case, diacritics, đ, leading zeros, white space."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = re.sub(r"\b0+(\d)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


CASES = [
    pytest.param(case, id=f"{path.stem}:{case['q'][:40]}")
    for path in SETS
    for case in map(json.loads, path.read_text(encoding="utf-8").splitlines())
]


@pytest.mark.parametrize("case", CASES)
def test_question(case: dict) -> None:
    result = answer(KNOWLEDGE, case["q"], TODAY)
    if case.get("expect_found") is False:
        assert not result.found, result
        return
    text = fold(to_plain(render(T, result, 2025).text))
    assert result.found
    for phrase in case["expect"]:
        assert fold(phrase) in text


def test_quotes_are_the_documents_own_words() -> None:
    clauses = [c.text for c in KNOWLEDGE.campaign.clauses] + [
        f"{KNOWLEDGE.campaign.signer_title} {KNOWLEDGE.campaign.signer}"
    ]
    for case in CASES:
        for quote in answer(KNOWLEDGE, case.values[0]["q"], TODAY).quotes:
            words = quote.text.strip("…")
            assert any(words in clause for clause in clauses), quote


def test_answers_name_their_section() -> None:
    result = answer(KNOWLEDGE, "ai chịu trách nhiệm kiểm tra đôn đốc", TODAY)
    rendered = render(T, result, 2025)
    assert [to_plain(s) for s in rendered.sources] == ["Mục III.4"]
    assert "Mục III.4: “Giao Văn phòng chủ trì" in to_plain(rendered.text)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("", "empty"),
        ("?!...", "empty"),
        ("x" * 2000, "too_long"),
        ("what is the weather like today", "english"),
        ("chỉ tiêu thi đua năm 2023 là gì", "other_year"),
        ("thời tiết hôm nay thế nào", "not_covered"),
    ],
)
def test_bad_questions_are_refused_with_a_reason(question: str, kind: str) -> None:
    result = answer(KNOWLEDGE, question, TODAY)
    assert (result.found, result.kind) == (False, kind)


def test_days_left_to_a_commemoration() -> None:
    result = answer(
        KNOWLEDGE, "còn bao nhiêu ngày đến kỷ niệm ngày truyền thống ngành", date(2026, 8, 20)
    )
    assert result.kind == "event"
    text = to_plain(render(T, result, 2025).text)
    assert (
        "Thứ Sáu, 28/08/2026: Ngày truyền thống ngành Giao thông vận tải (kỷ niệm 81 năm) — còn 8 ngày"
        in text
    )
    assert "(28/8/1945-128/8/2025)" in text  # the document's words, typo included


def test_tone_placements_and_missing_diacritics_meet() -> None:
    index = Index(KNOWLEDGE.campaign)
    for typed in ("văn hoá", "văn hóa", "van hoa"):
        sections = {h.segment.clause.section for h in index.search(index.query(typed), limit=10)}
        assert {"I.3", "I.6", "II.2"} <= sections, typed
