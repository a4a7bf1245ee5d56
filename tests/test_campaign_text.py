import pytest

from campaign.commands import ParsedCommand, closest, match_phrase, parse_slash
from campaign.text import fold, recase, squeeze


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
    assert match_phrase("Tự đánh giá", phrases) == ParsedCommand("tudanhgia", "")
    assert match_phrase("đánh giá Lan tốt", phrases) == ParsedCommand("danhgia", "Lan tốt")
    assert match_phrase("tro giup", phrases) == ParsedCommand("trogiup", "")
    assert match_phrase("trogiupx", phrases) is None
    assert match_phrase("mọi người trợ giúp", phrases) is None


def test_closest_command_suggestion() -> None:
    known = ["trogiup", "help", "donvi", "moi"]
    assert closest("trogiupp", known) == "trogiup"
    assert closest("donv", known) == "donvi"
    assert closest("zzzzzz", known) is None


CORPUS = """Ủy ban nhân dân tỉnh Đắk Lắk ban hành Kế hoạch số 01/KH-UBND; Sở Nội vụ theo dõi.
Chương III QUY TRÌNH XÉT KHEN THƯỞNG
Điều 5. Quy trình xét khen thưởng của các cơ quan, đơn vị"""


@pytest.mark.parametrize(
    ("heading", "written"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK", "Ủy ban nhân dân tỉnh Đắk Lắk"),
        ("UBND TỈNH ĐẮK LẮK", "UBND tỉnh Đắk Lắk"),  # an acronym the text writes in capitals
        # a capitalised run on a mixed line ("Chương III QUY TRÌNH …") is a heading, not a habit
        ("QUY TRÌNH XÉT KHEN THƯỞNG", "Quy trình xét khen thưởng"),
        ("Đã viết thường", "Đã viết thường"),
    ],
)
def test_recase_writes_a_heading_as_the_document_writes_its_words(
    heading: str, written: str
) -> None:
    assert recase(heading, CORPUS) == written
