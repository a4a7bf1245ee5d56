"""Benchmark: importing a long document is linear in its size, in time and in memory.

    python bench/import.py [--base N]

Builds a launch plan of about N characters (default 60,000) from tests/data's 2026 plan: its
letterhead, then its body numbered on as further sections, so the parser meets real structure
at every size. At 1x, 4x and 16x that size it times what `campaign import` and the first
question after it cost: reading the model and facts (usecases.campaigns.read_document), the
search index (what the first question builds), and one question; then, in a second pass
under tracemalloc, the peak memory of the whole. The baseline is the 1x document measured in
the same run: each larger size prints its time and memory as a multiple of the baseline's next
to the multiple of the size, which must stay about equal (linear), not grow with its square.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on the import path, and bench/telegram.py would hide
# the `telegram` package: the project root takes its place.
sys.path[0] = str(ROOT)

from campaign.answers import Entry, Knowledge, answer  # noqa: E402
from campaign.document import MAX_TEXT_CHARS  # noqa: E402
from usecases.campaigns import read_document  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "ke-hoach-thi-dua-2026.txt"
SCALES = (1, 4, 16)
QUESTION = "hạn chót đăng ký thi đua là khi nào"
TODAY = date(2026, 3, 2)
LINEAR_SLACK = 1.5
"""A size 16 times the baseline may cost up to 1.5 × 16 times as much and still be linear."""
_SECTION = re.compile(r"^([IVX]+)\.\s", re.MULTILINE)


def document(chars: int) -> str:
    """The sample's letterhead and body, the body's sections repeated (renumbered) until the
    text is about `chars` long, then the signature."""
    text = SAMPLE.read_text("utf-8")
    first = _SECTION.search(text)
    assert first is not None
    head, body = text[: first.start()], text[first.start() :]
    parts, number = [head], 0
    while sum(map(len, parts)) < chars:
        number += 1
        parts.append(_SECTION.sub(rf"\g<1>.{number}. ", body) + "\n\n")
    return "".join(parts)


def run(text: str) -> tuple[float, float, float, bool]:
    """Seconds to read the model and facts, to index, to answer one question; answered?"""
    started = time.perf_counter()
    model, facts, _year = read_document(text, None)
    read = time.perf_counter()
    knowledge = Knowledge([Entry(1, model, facts)])
    knowledge.owners()
    indexed = time.perf_counter()
    found = answer(knowledge, QUESTION, TODAY).found
    asked = time.perf_counter()
    return read - started, indexed - read, asked - indexed, found


def peak_memory(text: str) -> int:
    tracemalloc.start()
    try:
        run(text)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=60_000, help="characters of the 1x document")
    args = parser.parse_args()
    if args.base * max(SCALES) > MAX_TEXT_CHARS:
        parser.error(f"16 × --base must stay under the import limit ({MAX_TEXT_CHARS:,})")
    print(f"{'size':>5} {'chars':>10} {'read s':>8} {'index s':>8} {'ask ms':>7} "
          f"{'total s':>8} {'µs/char':>8} {'×time':>6} {'peak MB':>8} {'×mem':>6}")  # fmt: skip
    baseline: tuple[float, int] | None = None
    worst = 0.0
    for scale in SCALES:
        text = document(args.base * scale)
        read, index, ask, found = run(text)
        total = read + index + ask
        memory = peak_memory(text)
        baseline = baseline or (total, memory)
        growth, grown_memory = total / baseline[0], memory / baseline[1]
        if scale > 1:
            worst = max(worst, growth / scale, grown_memory / scale)
        print(
            f"{scale:>4}x {len(text):>10,} {read:>8.2f} {index:>8.2f} {ask * 1000:>7.1f} "
            f"{total:>8.2f} {total / len(text) * 1e6:>8.1f} {growth:>6.1f} "
            f"{memory / 2**20:>8.1f} {grown_memory:>6.1f}" + ("" if found else "  (not answered!)")
        )
    linear = worst <= LINEAR_SLACK
    print(
        f"growth over size, worst: {worst:.2f} (1.0 = linear; above {LINEAR_SLACK} is not): "
        + ("linear" if linear else "NOT LINEAR")
    )
    return 0 if linear else 1


if __name__ == "__main__":
    raise SystemExit(main())
