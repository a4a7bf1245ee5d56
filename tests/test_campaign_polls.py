"""The rules of a poll, without a database: the one-line form's grammar, the limits, the
closing time, how a press changes a vote, and the shares."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign.polls import (
    DEFAULT_OPEN,
    MAX_OPTION,
    MAX_OPTIONS,
    MAX_QUESTION,
    PollError,
    PollSpec,
    check,
    closing_time,
    parse,
    press,
    shares,
)

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=ZONE)


def refused(text: str) -> str:
    with pytest.raises(PollError) as error:
        parse(text)
    return error.value.key


def test_the_one_line_form_with_every_setting_in_vietnamese() -> None:
    assert parse(
        "Đi đâu dịp 30/4?; Sa Pa; Hạ Long; nhiều lựa chọn; ẩn danh; đóng 17h thứ sáu; đơn vị KT, th"
    ) == PollSpec("Đi đâu dịp 30/4?", ("Sa Pa", "Hạ Long"), True, True, "17h thứ sáu", ("KT", "TH"))


def test_the_settings_in_english_in_any_order_and_without_diacritics() -> None:
    assert parse("Where?; A; B; closes friday 5pm; anonymous; units KT TH; multiple") == PollSpec(
        "Where?", ("A", "B"), True, True, "friday 5pm", ("KT", "TH")
    )
    assert parse("Ai?; An; Binh; nhieu lua chon; an danh") == PollSpec(
        "Ai?", ("An", "Binh"), True, True
    )


def test_only_trailing_parts_are_settings_and_a_place_is_no_closing_time() -> None:
    spec = parse("Đi đâu?; ẩn danh; Sa Pa; Đông Anh")
    assert spec.options == ("ẩn danh", "Sa Pa", "Đông Anh") and not spec.anonymous
    assert spec.closes is None


def test_options_one_a_line() -> None:
    assert parse("Ăn gì?\nPhở\nBún chả").options == ("Phở", "Bún chả")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Đi đâu?; Sa Pa", "poll.too_few_options"),
        ("Đi đâu?", "poll.too_few_options"),
        ("Q; " + "; ".join(f"Lựa chọn {n}" for n in range(40)), "poll.too_many_options"),
        ("Q; Hà Nội; ha noi", "poll.duplicate_option"),
        ("Q; Hạ Long; HẠ LONG ", "poll.duplicate_option"),
        ("; ;", "poll.no_question"),
        ("; Sa Pa; Hạ Long", "poll.no_question"),
        ("", "poll.no_question"),
        ("x" * (MAX_QUESTION + 1) + "; A; B", "poll.question_too_long"),
        ("Q; A; " + "b" * (MAX_OPTION + 1), "poll.option_too_long"),
    ],
)
def test_bad_polls_are_refused_with_their_reason(text: str, key: str) -> None:
    assert refused(text) == key


def test_the_limits_themselves_are_allowed() -> None:
    check("x" * MAX_QUESTION, tuple(f"{n}" * MAX_OPTION for n in range(MAX_OPTIONS)))


def test_closing_time_default_phrase_past_and_too_far() -> None:
    assert closing_time(None, MONDAY_9) == MONDAY_9 + DEFAULT_OPEN
    assert closing_time("17h thứ sáu", MONDAY_9) == datetime(2026, 3, 6, 17, tzinfo=ZONE)
    assert closing_time("friday 5pm", MONDAY_9) == datetime(2026, 3, 6, 17, tzinfo=ZONE)
    for phrase, key in (
        ("17h 01/03/2026", "time.past"),
        ("quả chuối", "time.not_understood"),
        ("100 ngày nữa", "poll.closes_too_far"),
    ):
        with pytest.raises(PollError) as error:
            closing_time(phrase, MONDAY_9)
        assert error.value.key == key, phrase


def test_a_year_later_reads_in_any_year() -> None:
    """Nothing assumes 2025 or 2026: the same phrase a year later reads a year later."""
    later = MONDAY_9.replace(year=2031)
    assert closing_time("20h mai", later) == datetime(2031, 3, 3, 20, tzinfo=ZONE)


def test_single_choice_chooses_changes_and_withdraws() -> None:
    chosen = press(frozenset(), 2, multiple=False)
    assert chosen == {2}
    chosen = press(chosen, 3, multiple=False)
    assert chosen == {3}
    assert press(chosen, 3, multiple=False) == frozenset()


def test_multiple_choice_toggles() -> None:
    chosen = press(frozenset(), 1, multiple=True)
    chosen = press(chosen, 3, multiple=True)
    assert chosen == {1, 3}
    assert press(chosen, 1, multiple=True) == {3}


@given(st.lists(st.integers(1, 10), max_size=30), st.booleans())
def test_a_single_choice_vote_is_never_more_than_one_option(
    presses: list[int], multi: bool
) -> None:
    chosen: frozenset[int] = frozenset()
    for position in presses:
        chosen = press(chosen, position, multi)
    assert multi or len(chosen) <= 1
    assert chosen <= set(presses)


def test_shares_are_of_the_voters() -> None:
    found = shares([(1, "A"), (2, "B"), (3, "C")], {1: 2, 2: 1}, 3)
    assert [(s.votes, s.percent) for s in found] == [(2, 67), (1, 33), (0, 0)]
    assert [s.percent for s in shares([(1, "A")], {}, 0)] == [0]


def test_closing_a_week_ahead_is_fine() -> None:
    assert closing_time("7 ngày nữa", MONDAY_9) == MONDAY_9 + timedelta(days=7)
