import pytest

from campaign.commands import closest, match_phrase, parse_slash
from campaign.text import fold, squeeze


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Trợ giúp", "tro giup"),
        ("ĐĂNG KÝ", "dang ky"),
        ("hoá", "hoa"),
        ("hóa", "hoa"),
        ("thuỷ  lợi", "thuy loi"),
        ("Ủy ban", "uy ban"),
        ("  Đoàn   Thanh niên ", "doan thanh nien"),
    ],
)
def test_fold_meets_every_spelling(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_squeeze_keeps_letters() -> None:
    assert squeeze("  Phòng \t Kế  toán\n") == "Phòng Kế toán"


def test_parse_slash_strips_bot_name_and_keeps_arguments() -> None:
    parsed = parse_slash("/Moi@thidua_bot  KT   lead")
    assert parsed is not None
    assert (parsed.name, parsed.args) == ("moi", "KT lead")
    assert parse_slash("hello") is None
    assert parse_slash("/") is None


def test_phrase_matches_whole_words_and_prefers_the_longest() -> None:
    phrases = {"danh gia": "danhgia", "tu danh gia": "tudanhgia", "tro giup": "trogiup"}
    assert match_phrase("Tự đánh giá", phrases).name == "tudanhgia"  # type: ignore[union-attr]
    assert match_phrase("đánh giá Lan tốt", phrases).args == "Lan tốt"  # type: ignore[union-attr]
    assert match_phrase("tro giup", phrases).name == "trogiup"  # type: ignore[union-attr]
    assert match_phrase("trogiupx", phrases) is None
    assert match_phrase("mọi người trợ giúp", phrases) is None


def test_closest_command_suggestion() -> None:
    known = ["trogiup", "help", "donvi", "moi"]
    assert closest("trogiupp", known) == "trogiup"
    assert closest("donv", known) == "donvi"
    assert closest("zzzzzz", known) is None
