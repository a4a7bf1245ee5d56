"""The staff guide's transcripts are what the bot says: docs/transcripts.py replays them (fixed
clock, seeded codes, a fresh database in tmp_path) and this test fails on any difference."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _transcripts() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "guide_transcripts", ROOT / "docs" / "transcripts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


transcripts = _transcripts()


def test_the_guide_says_what_the_bot_says(tmp_path: Path) -> None:
    guide = transcripts.GUIDE.read_text("utf-8")
    diff = transcripts.check(guide, tmp_path)
    assert not diff, f"docs/huong-dan.md is out of date; run python docs/transcripts.py\n{diff}"


def test_a_changed_answer_is_caught_and_rewritten(tmp_path: Path) -> None:
    guide = "\n".join(
        [
            "# t",
            "```",
            "[Lan] > /trogiupp",
            "Mình không biết lệnh này.",
            "```",
            "",
            "```sh",
            "make test",
            "```",
        ]
    )
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    assert "+Mình không biết lệnh /trogiupp" in transcripts.check(guide, first)
    fresh = transcripts.regenerate(guide, second)
    assert "[Lan] > /trogiupp\nMình không biết lệnh /trogiupp. Có phải ý bạn là /trogiup?" in fresh
    assert fresh.endswith("```sh\nmake test\n```")


def test_codes_typed_later_follow_the_codes_the_bot_gave(tmp_path: Path) -> None:
    guide = "\n".join(
        [
            "```",
            "[Văn phòng] > /donvi them KT Phòng Kế toán",
            "",
            "[Văn phòng] > /moi KT",
            "Mã mời vào Phòng Kế toán (KT): ZZZZ2222",
            "",
            "[Lan] > /start ZZZZ2222",
            "```",
        ]
    )
    fresh = transcripts.regenerate(guide, tmp_path)
    code = transcripts.CODE.search(fresh.split("/moi KT", 1)[1]).group(0)
    assert code != "ZZZZ2222"
    assert f"[Lan] > /start {code}\nChào mừng bạn đến với Phòng Kế toán (KT)!" in fresh
