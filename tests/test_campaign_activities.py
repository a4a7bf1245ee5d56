"""The pure rules of activities: kinds guessed from names, places, the one-line form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign.activities import (
    KINDS,
    ActivityInputError,
    guess_kind,
    parse_line,
    places_left,
    read_kind,
    read_places,
    split_names,
    split_number,
)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Hiến máu nhân đạo", "hien_mau"),
        ("HIẾN MÁU tình nguyện đợt 2", "hien_mau"),
        ("Ngày hội Giọt máu hồng", "hien_mau"),
        ("Tết trồng cây đời đời nhớ ơn Bác Hồ", "trong_cay"),
        ("Ra quân tình nguyện dọn vệ sinh", "tinh_nguyen"),
        ("Hội thao chào mừng 26/3", "the_thao"),
        ("Giải bóng đá nam", "the_thao"),
        ("Hội diễn văn nghệ 8/3", "van_nghe"),
        ("Quyên góp ủng hộ đồng bào lũ lụt", "quyen_gop"),
        ("Ủng hộ Quỹ vì người nghèo", "quyen_gop"),
        ("Học tập Nghị quyết Đại hội", "hoc_tap"),
        ("Tập huấn nghiệp vụ công đoàn", "hoc_tap"),
        ("Gặp mặt cuối năm", "khac"),
        ("Blood drive", "hien_mau"),
    ],
)
def test_the_kind_is_guessed_from_the_words_of_the_name(name: str, kind: str) -> None:
    assert guess_kind(name) == kind


def test_a_word_inside_another_word_tells_nothing() -> None:
    assert guess_kind("Thăm hỏi gia đình chính sách") == "khac"  # "hat" is not in "thăm hỏi"


def test_kinds_are_read_by_code_or_name() -> None:
    assert read_kind("thể thao") == "the_thao"
    assert read_kind("hien_mau") == "hien_mau"
    assert read_kind("Quyên góp") == "quyen_gop"
    assert read_kind("bơi lội") is None


@pytest.mark.parametrize(
    ("typed", "places"),
    [("50", 50), ("50 chỗ", 50), ("1.000 người", 1000), ("không giới hạn", None), ("30 suất", 30)],
)
def test_places(typed: str, places: int | None) -> None:
    assert read_places(typed) == places


@pytest.mark.parametrize("typed", ["0", "abc", "-5", "5.5.5x", "99999999", "năm mươi"])
def test_places_that_are_no_count_are_refused(typed: str) -> None:
    with pytest.raises(ActivityInputError) as error:
        read_places(typed)
    assert error.value.key == "activity.bad_places"


def test_the_one_line_form_in_the_documented_order() -> None:
    line = parse_line("Hiến máu nhân đạo; 7h thứ bảy; Hội trường; 50")
    assert (line.name, line.when, line.place, line.capacity) == (
        "Hiến máu nhân đạo", "7h thứ bảy", "Hội trường", 50,
    )  # fmt: skip
    assert line.deadline is None and line.audience == [] and not line.everyone
    assert line.kind is None


def test_the_one_line_form_with_every_field_in_any_order() -> None:
    line = parse_line(
        "Giải chạy; tại Sân vận động; hạn đăng ký 17h thứ sáu; @KT @vp; 7h chủ nhật;"
        " loại thể thao; số chỗ 20"
    )
    assert line.place == "Sân vận động"
    assert line.deadline == "17h thứ sáu"
    assert line.audience == ["KT", "VP"]
    assert line.when == "7h chủ nhật"
    assert line.kind == "the_thao"
    assert line.capacity == 20


def test_a_count_where_the_place_would_be_is_the_places() -> None:
    line = parse_line("Quyên góp; 8h thứ hai; 100 người")
    assert line.place is None and line.capacity == 100


def test_everyone_and_unit_words() -> None:
    assert parse_line("Hội thao; 7h thứ bảy; tất cả").everyone
    line = parse_line("Hội thao; 7h thứ bảy; Sân; đơn vị KT, VP")
    assert line.audience == ["KT", "VP"] and line.place == "Sân"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "activity.no_name"),
        ("; 7h thứ bảy", "activity.no_name"),
        ("Hội thao; 7h; Sân; abc", "activity.bad_places"),
        ("Hội thao; 7h; Sân; 0", "activity.bad_places"),
        ("Hội thao; 7h; loại bơi lội", "activity.bad_kind"),
        ("Hội thao; 7h; Sân; 20; thêm nữa", "activity.extra_field"),
        ("Hội thao; 7h; @KT VP!", "activity.bad_audience"),
        ("x" * 201 + "; 7h", "activity.name_too_long"),
    ],
)
def test_bad_one_lines_say_why(text: str, key: str) -> None:
    with pytest.raises(ActivityInputError) as error:
        parse_line(text)
    assert error.value.key == key


def test_numbers_and_names_of_the_organisers_sub_commands() -> None:
    assert split_number("12 @lan, Mai") == (12, "@lan, Mai")
    assert split_number("#3") == (3, "")
    assert split_number("ba") == (None, "ba")
    assert split_names("@lan @tu, Nguyễn Thị Mai; Hùng") == [
        "@lan",
        "@tu",
        "Nguyễn Thị Mai",
        "Hùng",
    ]


def test_places_left_never_goes_below_zero() -> None:
    assert places_left(10, 3) == 7
    assert places_left(10, 12) == 0
    assert places_left(None, 5) is None


@given(st.text(max_size=80))
def test_any_line_is_read_or_refused_with_a_reason(text: str) -> None:
    try:
        line = parse_line(text)
    except ActivityInputError as error:
        assert error.key.startswith("activity.")
    else:
        assert line.name and (line.kind is None or line.kind in KINDS)
        assert line.capacity is None or line.capacity >= 1
