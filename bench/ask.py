"""Benchmark: answers to campaign questions, the bot against an SQLite FTS5 baseline.

    python bench/ask.py [CASES.jsonl ...]

Scores both with the rules of ../shared/tools/eval_ask.py (an answer is right when it is
found and contains every expected phrase after folding; an off-topic question is right when
refused), on ../shared/eval/ask-dev.jsonl and tests/data/ask-extra.jsonl by default, and
times each answer in process. The baseline is what a plain full-text search gives: FTS5 with
unicode61 and remove_diacritics 2 over the document's paragraphs, the top paragraph as the
answer, "not found" only when nothing matches.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on the import path, and bench/telegram.py would hide
# the `telegram` package: the project root takes its place.
sys.path[0] = str(ROOT)

from bot.channels.text import to_plain  # noqa: E402
from bot.i18n import Catalog  # noqa: E402
from campaign import calendar  # noqa: E402
from campaign.answers import Knowledge, answer  # noqa: E402
from campaign.document import parse  # noqa: E402
from handlers.answer_view import render  # noqa: E402

SEED = ROOT / "campaign" / "data" / "phat-dong-thi-dua-2025.txt"
DEMO_PACKS = calendar.packs(["lang-son"], ["giao-thong"])
"""The calendar packs of the document's agency (BOT_PROVINCE=lang-son, BOT_SECTOR=giao-thong)."""
DEFAULT_SETS = [
    ROOT.parent / "shared" / "eval" / "ask-dev.jsonl",
    ROOT / "tests" / "data" / "ask-extra.jsonl",
]
TODAY = date(2026, 11, 25)


def fold(text: str) -> str:
    """The scorer's folding (../shared/tools/eval_ask.py)."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = re.sub(r"\b0+(\d)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def right(case: dict, found: bool, text: str) -> bool:
    if case.get("expect_found") is False:
        return not found
    return found and all(fold(x) in fold(text) for x in case["expect"])


class Baseline:
    def __init__(self, document: str) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE p USING fts5(body, tokenize='unicode61 remove_diacritics 2')"
        )
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", document) if p.strip()]
        self.db.executemany("INSERT INTO p(body) VALUES (?)", [(p,) for p in paragraphs])

    def __call__(self, question: str) -> tuple[bool, str]:
        words = re.findall(r"\w+", question.lower())
        if not words:
            return False, ""
        match = " OR ".join(f'"{w}"' for w in words)
        row = self.db.execute(
            "SELECT body FROM p WHERE p MATCH ? ORDER BY rank LIMIT 1", (match,)
        ).fetchone()
        return (True, row[0]) if row else (False, "")


def bot(knowledge: Knowledge) -> Callable[[str], tuple[bool, str]]:
    t = Catalog.load().translator("vi")

    def ask(question: str) -> tuple[bool, str]:
        result = answer(knowledge, question, TODAY)
        return result.found, to_plain(render(t, result, knowledge.campaign.year).text)

    return ask


def run(
    system: Callable[[str], tuple[bool, str]], cases: list[dict]
) -> tuple[int, list[float], list[str]]:
    score, times, misses = 0, [], []
    for case in cases:
        started = time.perf_counter()
        found, text = system(case["q"])
        times.append((time.perf_counter() - started) * 1000)
        if right(case, found, text):
            score += 1
        else:
            misses.append(case["q"])
    return score, times, misses


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", type=Path)
    args = parser.parse_args()
    paths = args.cases or [p for p in DEFAULT_SETS if p.exists()]
    document = SEED.read_text(encoding="utf-8")
    started = time.perf_counter()
    knowledge = Knowledge(parse(document), DEMO_PACKS)
    build_ms = (time.perf_counter() - started) * 1000
    systems = {"bot": bot(knowledge), "fts5 baseline": Baseline(document)}
    print(f"index built in {build_ms:.1f} ms (once per document)")
    print(f"{'set':<16} {'system':<14} {'right':>7} {'median ms':>10} {'p95 ms':>8}")
    for path in paths:
        cases = [
            json.loads(line)
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        results = {}
        for name, system in systems.items():
            run(system, cases[:3])  # warm up
            results[name] = run(system, cases)
            score, times, _ = results[name]
            print(
                f"{path.stem:<16} {name:<14} {score:>3}/{len(cases):<3} "
                f"{statistics.median(times):>10.2f} {p95(times):>8.2f}"
            )
        bot_score, base_score = results["bot"][0], results["fts5 baseline"][0]
        ratio = p95(results["bot"][1]) / max(p95(results["fts5 baseline"][1]), 1e-6)
        print(
            f"{path.stem:<16} bot/baseline: {bot_score - base_score:+d} right answers, "
            f"p95 latency ×{ratio:.1f}"
        )
        for miss in results["bot"][2]:
            print(f"  bot missed: {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
