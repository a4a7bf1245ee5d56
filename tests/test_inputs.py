"""Text and numbers at the edge (campaign/inputs.py), and the replies bad ones get in chat and
on the command line: each case here got the apology or a traceback before."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.app import App
from campaign.inputs import MAX_ID, clean_text, is_number, read_int
from campaign.timephrase import TimePhraseError, read
from handlers.messages import Incoming
from tests.conftest import Clock, User, members_of_kt, run_cli


def test_clean_text_keeps_words_drops_controls() -> None:
    assert clean_text("Ho\u0323p\x00 lu\u0301c 8h\r\n\tnhé\x1b\ra") == "Họp lúc 8h\n\tnhé\na"
    assert clean_text("\ud83d ok") == " ok"  # a lone surrogate: not storable anywhere
    assert clean_text("thi đua") == "thi đua"


def test_numbers_are_ascii_digits_within_bounds() -> None:
    assert read_int(" 007 ", 1, 10) == 7
    assert [read_int(x, 1, 100) for x in ("²", "5¹", "٣", "𝟗", "+5", "1_0", "", "0", "101")] == [
        None
    ] * 9
    assert read_int("-3", -5, 5, signed=True) == -3
    assert read_int("9" * 5000, 0, MAX_ID) is None  # never reaches int()'s digit limit
    assert read_int("2147483648", 1, MAX_ID) is None
    assert not is_number("²") and is_number("0123")


def test_time_phrases_beyond_ten_years_are_refused() -> None:
    now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    for phrase in ("sau 99999999 ngày", "99999999999 tuần nữa", "25/12/2999 8h", "sau 4000 ngày"):
        try:
            read(phrase, now)
        except TimePhraseError as error:
            assert error.key == "time.too_far", phrase
        else:
            raise AssertionError(phrase)
    assert read("sau 3650 ngày", now).at.year == 2036


async def test_bad_numbers_in_chat_get_a_polite_reply(app: App, admin: User, clock: Clock) -> None:
    clock.now = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
    _head, lan = await members_of_kt(app, admin)
    assert await lan.say("/huynhac 2147483648") == (
        "Không có nhắc việc #2147483648 đang chạy mà bạn huỷ được. "
        "Gõ /lichnhac để xem số các nhắc việc của bạn."
    )
    assert await lan.say("/huynhac ²") == await lan.say("/huynhac abc")
    assert await lan.say("/nhacnho sau 99999999 ngày họp") == (
        'Thời gian "sau 99999999 ngày" xa quá: mình chỉ nhắc trong vòng 10 năm tới.'
    )
    assert await lan.say("/sukien 5¹") == await lan.say("/sukien abc")
    assert await admin.say("/sukien xoa 99999999999999999999") == (
        "Không có sự kiện số 99999999999999999999. Số thứ tự phải từ 1 đến 50, như trong danh"
        " sách /sukien 50 hôm nay."
    )
    assert await lan.say("/tiendo 5¹") == (
        '"5¹" không phải số. Tiến độ là số từ 0 đến 100, ví dụ /tiendo 70.'
    )
    # A stale or forged button with a huge id is a stale choice, not a database error.
    replies = await app.router.handle(
        Incoming(platform="console", user_id="lan", chat_id="lan", payload="snooze:99999999999")
    )
    assert "không còn" in replies[0].text


def test_cli_when_refuses_a_moment_too_far(database_url: str, tmp_path: Path) -> None:
    result = run_cli("when", "sau 99999999 ngày", "--json", database_url=database_url, cwd=tmp_path)
    assert (
        result.returncode == 1 and '"error"' in result.stdout and "Traceback" not in result.stderr
    )
