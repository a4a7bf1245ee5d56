"""Benchmark: how fast the bot reads a typed sentence (campaign/understand.py), against the
command-word lookup alone that it replaced, in the same run.

    python bench/understand.py [--cases ../shared/eval/intents-dev.jsonl] [--rounds 200]

Prints how many of the cases read as expected (the rule of ../shared/tools/eval_intents.py)
and the p50 and p95 time per message of both, and their ratio. The goal: p95 under 5 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from campaign.commands import match_phrase  # noqa: E402
from campaign.text import fold  # noqa: E402
from campaign.understand import understand  # noqa: E402
from handlers.features import build_registry  # noqa: E402

DEFAULT_CASES = ROOT.parent / "shared" / "eval" / "intents-dev.jsonl"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def right(case: dict, kind: str, command: str | None, args: str) -> bool:
    if case["expect"] in ("question", "smalltalk"):
        return kind == case["expect"]
    return command == case["expect"] and all(fold(a) in fold(args) for a in case["args"])


def timings(work, texts: list[str], rounds: int) -> list[float]:
    spans = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            work(text)
            spans.append(time.perf_counter() - started)
    return sorted(spans)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    lines = args.cases.read_text("utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    phrases = build_registry().phrases
    readings = [understand(c["text"], phrases, NOW) for c in cases]
    good = sum(right(c, r.kind, r.command, r.args) for c, r in zip(cases, readings, strict=True))
    texts = [c["text"] for c in cases]
    ours = timings(lambda t: understand(t, phrases, NOW), texts, args.rounds)
    base = timings(lambda t: match_phrase(t, phrases), texts, args.rounds)

    def p(spans: list[float], q: float) -> float:
        return spans[min(len(spans) - 1, int(q * len(spans)))] * 1000

    print(f"read as expected: {good}/{len(cases)}")
    print(f"understand        p50 {p(ours, 0.5):.3f} ms  p95 {p(ours, 0.95):.3f} ms (goal < 5)")
    print(f"command words     p50 {p(base, 0.5):.3f} ms  p95 {p(base, 0.95):.3f} ms")
    print(f"ratio (median understand / command words): "
          f"{statistics.median(ours) / statistics.median(base):.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
