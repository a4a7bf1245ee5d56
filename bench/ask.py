"""Benchmark: answers to questions, the bot against an SQLite FTS5 baseline, and imports.

    python bench/ask.py [CASES.jsonl ...]

Two sets, each scored the way its scorer in ../shared/tools/ scores the command line, and
timed in process, the baseline measured in the same run:

* the 2025 launch document: ../shared/eval/ask-dev.jsonl and tests/data/ask-extra.jsonl (an
  answer is right when found and containing every expected phrase after folding; an off-topic
  question is right when refused);
* real documents of other agencies, tests/data/documents (the seven of the dev set and six
  held out): every expected substring, no forbidden one, refusals refused (eval_docs.py).

The baseline is what a plain full-text search gives: FTS5 with unicode61 and remove_diacritics
2 over the document's paragraphs, the top paragraph as the answer, "not found" only when
nothing matches. The import time is reading a document into its model, facts and index (what
`campaign import` and the first question after it cost), for the largest document and for a
document of a thousand pages made of the real ones.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import sys
import time
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
from handlers.answer_view import render  # noqa: E402
from tests.scoring import (  # noqa: E402
    document_text,
    eval_ask_fold,
    eval_docs_contains,
    knowledge_of,
)

SEED = ROOT / "campaign" / "data" / "phat-dong-thi-dua-2025.txt"
DOCUMENTS = ROOT / "tests" / "data" / "documents"
DEMO_PACKS = calendar.packs(["lang-son"], ["giao-thong"])
"""The calendar packs of the seed's agency (BOT_PROVINCE=lang-son, BOT_SECTOR=giao-thong)."""
DEFAULT_SETS = [
    ROOT.parent / "shared" / "eval" / "ask-dev.jsonl",
    ROOT / "tests" / "data" / "ask-extra.jsonl",
]
TODAY = date(2026, 11, 25)
T = Catalog.load().translator("vi")


def right(case: dict, found: bool, text: str) -> bool:
    if case.get("expect_found") is False:
        return not found
    if case.get("refuse"):
        return found is False
    expected = case["expect"]
    if any(eval_docs_contains(text, f) for f in case.get("forbid", [])):
        return False
    return found is not False and all(
        eval_ask_fold(x) in eval_ask_fold(text) or eval_docs_contains(text, x) for x in expected
    )


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


def held(text: str, packs: tuple = calendar.NATIONAL) -> Knowledge:
    """A document as the bot holds it after import: model, facts, index, calendar, owners."""
    knowledge = knowledge_of(text, packs=packs)
    knowledge.owners()
    return knowledge


def bot(knowledge: Knowledge) -> Callable[[str], tuple[bool, str]]:
    def ask(question: str) -> tuple[bool, str]:
        result = answer(knowledge, question, TODAY)
        return result.found, to_plain(render(T, result, knowledge).text)

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


def read_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def compare(label: str, pairs: list[tuple[dict, Callable, Callable]]) -> None:
    """Score and time the bot and the baseline on (case, bot, baseline) triples."""
    scores = {"bot": 0, "fts5 baseline": 0}
    times: dict[str, list[float]] = {"bot": [], "fts5 baseline": []}
    misses = []
    for case, ours, baseline in pairs:
        for name, system in (("bot", ours), ("fts5 baseline", baseline)):
            score, spent, missed = run(system, [case])
            scores[name] += score
            times[name] += spent
            if name == "bot":
                misses += missed
    for name in scores:
        print(
            f"{label:<22} {name:<14} {scores[name]:>3}/{len(pairs):<3} "
            f"{statistics.median(times[name]):>10.2f} {p95(times[name]):>8.2f}"
        )
    ratio = p95(times["bot"]) / max(p95(times["fts5 baseline"]), 1e-6)
    print(
        f"{label:<22} bot/baseline: {scores['bot'] - scores['fts5 baseline']:+d} right "
        f"answers, p95 latency ×{ratio:.1f}"
    )
    for miss in misses:
        print(f"  bot missed: {miss}")


def timed(work: Callable[[], object], runs: int = 3) -> float:
    """The best of `runs` wall-clock timings in ms (the least disturbed by other work)."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, (time.perf_counter() - started) * 1000)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", type=Path)
    args = parser.parse_args()
    paths = args.cases or [p for p in DEFAULT_SETS if p.exists()]
    print(f"{'set':<22} {'system':<14} {'right':>7} {'median ms':>10} {'p95 ms':>8}")

    seed = SEED.read_text(encoding="utf-8")
    ours, baseline = bot(held(seed, DEMO_PACKS)), Baseline(seed)
    for path in paths:
        cases = read_cases(path)
        run(ours, cases[:3])  # warm up
        compare(path.stem, [(case, ours, baseline) for case in cases])

    dev: list[tuple[dict, Callable, Callable]] = []
    held_out: list[tuple[dict, Callable, Callable]] = []
    for path in sorted(DOCUMENTS.glob("*.jsonl")):
        text = document_text(path.with_suffix(".txt"))
        ours, baseline = bot(held(text)), Baseline(text)
        triples = [(case, ours, baseline) for case in read_cases(path)]
        in_dev = (ROOT.parent / "shared" / "eval" / "docs" / path.name).exists()
        (dev if in_dev else held_out).extend(triples)
    if dev:
        compare("documents (dev)", dev)
    compare("documents (held out)", held_out)

    largest = max(DOCUMENTS.glob("*.txt"), key=lambda p: p.stat().st_size)
    text = document_text(largest)
    single = timed(lambda: held(text))
    every = "\n\n".join(document_text(p) for p in sorted(DOCUMENTS.glob("*.txt")))
    book = "\n\n".join([every] * max(1, 2_000_000 // len(every) // 2))
    print(
        f"\nimport (model, facts, index) of the largest document, {largest.stem} "
        f"({len(text):,} characters): {single:.0f} ms"
    )
    print(
        f"import of {len(book):,} characters (every document, repeated; ~{len(book) // 2500} "
        f"pages): {timed(lambda: held(book), runs=1) / 1000:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
