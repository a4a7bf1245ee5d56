"""The dev-set scorers' rules (../shared/tools/eval_ask.py, eval_docs.py) and documents as the
bot holds them, shared by the answer tests and bench/ask.py so both judge alike."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from campaign import calendar
from campaign.answers import Entry, Knowledge
from campaign.document import parse
from campaign.facts import read_facts


def document_text(path: Path) -> str:
    """A dev-set document without its "# source:" line, as eval_docs.py imports it."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[1:] if lines and lines[0].startswith("# source") else lines)


def knowledge_of(
    *texts: str,
    campaign: tuple[bool, ...] = (),
    packs: tuple[calendar.Observance, ...] = calendar.NATIONAL,
) -> Knowledge:
    """Documents as the bot holds them: parsed, with their facts and the calendar (national
    days, and the packs an agency chose)."""
    entries = []
    for key, text in enumerate(texts, start=1):
        document = parse(text)
        is_campaign = campaign[key - 1] if campaign else True
        entries.append(Entry(key, document, read_facts(document), is_campaign))
    days = [
        replace(day, section=f"{entry.key}:{day.section}")
        for entry in entries
        for day in entry.facts.commemorations
    ]
    observances = calendar.build(calendar.document_days(days, packs), packs)
    return Knowledge(entries, observances)


def eval_ask_fold(text: str) -> str:
    """eval_ask.py's folding: case, diacritics, đ, leading zeros, white space."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = re.sub(r"\b0+(\d)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def eval_docs_contains(answer_text: str, expected: str) -> bool:
    """eval_docs.py's match: as written ignoring case, or with diacritics folded on both sides."""

    def plain(text: str) -> str:
        return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).casefold()).strip()

    def folded(text: str) -> str:
        text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
        return re.sub(r"\s+", " ", text.casefold()).strip()

    return plain(expected) in plain(answer_text) or folded(expected) in folded(answer_text)
