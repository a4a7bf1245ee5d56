"""Reading a reminder's words (campaign/reminding.py): its time, its text, and the mistakes
said back instead of stored: two times in one message, a past time, no text."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from campaign.reminding import ReminderProblem, read_reminder, second_time

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 9, 9, 0, tzinfo=ZONE)  # Monday 09/03/2026 09:00


def problem(sentence: str) -> ReminderProblem:
    with pytest.raises(ReminderProblem) as caught:
        read_reminder(sentence.split(), NOW)
    return caught.value


@pytest.mark.parametrize(
    ("sentence", "first", "second", "text"),
    [
        ("8h mai và 9h ngày kia họp", "8h mai", "9h ngày kia", "họp"),
        ("8h mai, 9h ngày kia họp", "8h mai", "9h ngày kia", "họp"),
        ("8h mai họp và 9h ngày kia", "8h mai", "9h ngày kia", "họp"),
        ("8h mai họp, thứ sáu 14h", "8h mai", "thứ sáu 14h", "họp"),
        ("mai 8h hoặc ngày kia 8h nộp báo cáo", "mai 8h", "ngày kia 8h", "nộp báo cáo"),
    ],
)
def test_two_times_in_one_message(sentence: str, first: str, second: str, text: str) -> None:
    found = problem(sentence)
    assert (found.key, found.when, found.second, found.text) == (
        "remind.two_times",
        first,
        second,
        text,
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "8h mai họp lúc 9h",  # the meeting's time is the text's
        "8h mai 9h họp",  # not joined: one reminder at 8:00 about "9h họp"
        "8h mai nộp báo cáo và gửi email",  # "và" joins two tasks, not two times
    ],
)
def test_a_time_inside_the_text_is_text(sentence: str) -> None:
    found = read_reminder(sentence.split(), NOW)
    assert found is not None
    assert found.reading.at == datetime(2026, 3, 10, 8, 0, tzinfo=ZONE)
    assert found.text == " ".join(sentence.split()[2:])


def test_second_time_names_where_it_is() -> None:
    assert second_time("họp và 9h ngày kia".split(), NOW) == (2, 3)
    assert second_time("9h ngày kia họp".split(), NOW) is None
    assert second_time("9h ngày kia họp".split(), NOW, joined=True) == (0, 3)


@pytest.mark.parametrize(
    ("sentence", "when"),
    [
        ("8h sáng hôm qua nộp báo cáo", "8h sáng hôm qua"),  # not tomorrow's 8h "hôm qua …"
        ("hôm qua 8h Việc cũ", "hôm qua 8h"),
        ("8h hôm nay gọi điện", "8h hôm nay"),  # 09:00 now: today's 8:00 is past
    ],
)
def test_a_past_time_is_refused_naming_the_time(sentence: str, when: str) -> None:
    assert (problem(sentence).key, problem(sentence).when) == ("time.past", when)


@pytest.mark.parametrize("sentence", ["8h mai", "mai", "16h thứ sáu hằng tuần", "8h mai nhé"])
def test_a_time_without_text(sentence: str) -> None:
    found = problem(sentence)
    assert (found.key, found.when) == ("remind.no_text", sentence)
    assert found.reading is not None and found.reading.at > NOW


def test_a_time_error_names_only_the_time() -> None:
    found = problem("sau 99999999 ngày họp")
    assert (found.key, found.when) == ("time.too_far", "sau 99999999 ngày")
    assert problem("25h mai họp").key == "time.bad_clock"


def test_good_reminders_and_none() -> None:
    found = read_reminder("16h thứ sáu hằng tuần Báo cáo tuần".split(), NOW)
    assert found is not None
    assert (found.when, found.text, found.reading.repeat) == (
        "16h thứ sáu hằng tuần",
        "Báo cáo tuần",
        "weekly",
    )
    assert read_reminder("Nộp báo cáo".split(), NOW) is None
