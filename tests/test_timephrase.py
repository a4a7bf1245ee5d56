"""Vietnamese time phrases, judged like ../shared/tools/eval_when.py judges the CLI."""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from campaign.timephrase import TimePhraseError, read
from tests.conftest import run_cli

HERE = Path(__file__).resolve().parent
DEV_SET = HERE.parent.parent / "shared" / "eval" / "when-dev.jsonl"
SETS = [HERE / "data" / "when-extra.jsonl", *([DEV_SET] if DEV_SET.exists() else [])]
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CASES = [
    pytest.param(case, id=f"{path.stem}:{case['phrase'] or 'empty'}")
    for path in SETS
    for case in map(json.loads, path.read_text(encoding="utf-8").splitlines())
]


@pytest.mark.parametrize("case", CASES)
def test_phrase(case: dict) -> None:
    now = datetime.fromisoformat(case["now"]).replace(tzinfo=ZONE)
    if case["at"] is None:
        with pytest.raises(TimePhraseError):
            read(case["phrase"], now)
        return
    reading = read(case["phrase"], now)
    assert reading.at.strftime("%Y-%m-%dT%H:%M") == case["at"]
    assert reading.repeat == case["repeat"]
    assert reading.at.tzinfo is not None


def test_recurrences_as_rrules() -> None:
    now = datetime(2025, 3, 10, 9, 0, tzinfo=ZONE)
    assert read("16h thứ sáu hằng tuần", now).rrule == "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0"
    assert (
        read("ngày 25 hàng tháng 9h", now).rrule == "FREQ=MONTHLY;BYMONTHDAY=25;BYHOUR=9;BYMINUTE=0"
    )
    assert (
        read("hằng năm 2/9 8h", now).rrule
        == "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=2;BYHOUR=8;BYMINUTE=0"
    )
    assert read("7h30 mỗi ngày", now).rrule == "FREQ=DAILY;BYHOUR=7;BYMINUTE=30"
    assert read("mai 8h", now).rrule is None


@pytest.mark.parametrize(
    ("phrase", "key"),
    [("hôm qua 8h", "time.past"), ("abc xyz", "time.not_understood"), ("31/2", "time.bad_date"),
     ("25h", "time.bad_clock"), ("", "time.empty")],
)  # fmt: skip
def test_refusals_say_why(phrase: str, key: str) -> None:
    with pytest.raises(TimePhraseError) as raised:
        read(phrase, datetime(2025, 3, 10, 9, 0, tzinfo=ZONE))
    assert raised.value.key == key


def test_when_on_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    got = run_cli(
        "when",
        "16h thứ sáu hằng tuần",
        "--now",
        "2025-03-10T09:00",
        "--json",
        database_url=url,
        cwd=tmp_path,
    )
    assert got.returncode == 0
    assert json.loads(got.stdout) == {
        "at": "2025-03-14T16:00:00+07:00",
        "repeat": "weekly",
        "rrule": "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0",
    }
    text = run_cli(
        "when", "chiều mai 3h", "--now", "2025-03-10T09:00", database_url=url, cwd=tmp_path
    )
    assert text.stdout.strip() == "Thứ Ba, 15:00 11/03/2025"
    past = run_cli(
        "when", "hôm qua 8h", "--now", "2025-03-10T09:00", "--json", database_url=url, cwd=tmp_path
    )
    assert past.returncode == 1
    assert json.loads(past.stdout) == {
        "error": 'Thời gian "hôm qua 8h" đã qua. Bạn chọn một thời điểm sắp tới nhé.'
    }
    bad_now = run_cli("when", "mai", "--now", "hôm nay", database_url=url, cwd=tmp_path)
    assert (bad_now.returncode, bad_now.stderr.strip()) == (
        1,
        "--now phải là thời gian ISO, ví dụ 2025-03-10T09:00 (bạn ghi hôm nay).",
    )
