"""campaign/understand.py: sentences become commands, smalltalk or questions; typed with or
without diacritics, in either language. The dev set of ../shared/eval is scored apart
(eval_intents.py); these are other sentences of the same kinds, and the edges."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from campaign.understand import Reading, interrupts, understand
from handlers.features import build_registry
from tests.conftest import CAMPAIGN_2026, Clock, User, found, import_file, members_of_kt, run_cli

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
PHRASES = build_registry().phrases


def read(text: str) -> Reading:
    return understand(text, PHRASES, NOW)


@pytest.mark.parametrize(
    ("text", "command", "args"),
    [
        ("Nhắc mình 14h thứ năm họp chi bộ", "nhacnho", "14h thứ năm họp chi bộ"),
        ("nhac em 7h sang mai goi dien cho so", "nhacnho", "7h sang mai goi dien cho so"),
        ("nhắc tôi nộp hồ sơ lúc 8h sáng thứ sáu", "nhacnho", None),
        ("remind me tomorrow at 10 to call the ministry", "nhacnho", None),
        ("xoá nhắc việc số 12", "huynhac", "12"),
        ("cancel reminder 4", "huynhac", "4"),
        ("danh sách nhắc việc", "lichnhac", ""),
        ("mình làm xong 45% rồi", "tiendo", "45"),
        ("tiến độ 90 phần trăm", "tiendo", "90"),
        ("cam ket so 3 da hoan thanh", "tiendo", "3 100"),
        ("tien do cua em", "tiendo", ""),
        ("em đã đăng ký thi đua chưa nhỉ", "camket", ""),
        ("tôi muốn đăng ký lao động tiên tiến", "dangky", "lao động tiên tiến"),
        ("phòng mình ra sao rồi", "thongke", ""),
        ("tháng này có ngày kỷ niệm nào không", "sukien", ""),
        ("ban lam duoc nhung gi", "trogiup", ""),
        ("đổi sang tiếng Việt", "ngonngu", "vi"),
        ("speak english please", "ngonngu", "en"),
        ("tải báo cáo về", "baocao", ""),
        ("thông báo cho toàn cơ quan sáng mai nghỉ điện", "thongbao", "sáng mai nghỉ điện"),
        ("trợ giúp", "trogiup", ""),  # a command's own words still work
    ],
)
def test_sentences_become_commands(text: str, command: str, args: str | None) -> None:
    reading = read(text)
    assert (reading.kind, reading.command) == ("command", command), reading
    if args is not None:
        assert reading.args == args


def test_a_reminders_time_is_found_anywhere_and_put_first() -> None:
    assert read("nhắc tôi nộp hồ sơ 8h sáng mai").args == "8h sáng mai nộp hồ sơ"
    assert understand("nhắc tôi nộp hồ sơ 8h sáng mai").args == "nộp hồ sơ 8h sáng mai"  # no clock


def test_a_past_time_and_a_comma_move_as_said() -> None:
    """A past time is put first too, so /nhacnho refuses it instead of keeping "hôm qua" in
    the text; a comma after the time stays where it was, between the two times it joined."""
    assert read("nhắc tôi nộp báo cáo 8h sáng hôm qua").args == "8h sáng hôm qua nộp báo cáo"
    assert read("nhắc tôi họp 8h mai, 9h ngày kia").args == "8h mai họp, 9h ngày kia"


@pytest.mark.parametrize(
    "text",
    [
        "hạn chót nộp hồ sơ khen thưởng là khi nào",
        "đăng ký thi đua đến bao giờ thì hết hạn?",  # about registering: the document answers
        "tieu chuan chien si thi dua co so la gi",
        "đoàn thanh niên phụ trách việc gì",
        "ai ký kế hoạch này",
    ],
)
def test_questions_stay_questions(text: str) -> None:
    assert read(text).kind == "question"


@pytest.mark.parametrize("text", ["xin chào", "Cảm ơn bot nhiều nhé", "oke", "thanks!", "hi"])
def test_smalltalk(text: str) -> None:
    assert read(text).kind == "smalltalk"


@pytest.mark.parametrize("text", ["🙂👍", "...", "   "])
def test_nothing_to_read(text: str) -> None:
    assert read(text) == Reading("unknown")


def test_smalltalk_needs_a_greeting_or_thanks_and_few_words() -> None:
    assert read("ok em gửi báo cáo quý 1 cho phòng tài chính rồi ạ").kind != "smalltalk"
    assert read("bot ơi").kind != "smalltalk"


async def test_the_chat_does_what_the_sentence_says(app: App, admin: User, clock: Clock) -> None:
    await import_file(app, CAMPAIGN_2026)
    _head, lan = await members_of_kt(app, admin)
    assert (await lan.say("nhắc tôi nộp báo cáo 8h sáng mai")) == (
        "Đã đặt nhắc việc #1 cho bạn: Thứ Ba, 08:00 03/03/2026 — nộp báo cáo"
    )
    assert (await lan.say("xem các nhắc việc của tôi")).startswith("1 nhắc việc:")
    assert await lan.say("huỷ nhắc số 1") == "Đã huỷ nhắc việc #1: nộp báo cáo"
    assert "không phải số" not in await lan.say("tiến độ của tôi")
    assert (await lan.say("cảm ơn nhé")).startswith("Dạ, mình đây!")
    assert (await lan.say("👍")).startswith("Mình chưa đọc được tin nhắn này.")
    assert "31/3/2026" in await lan.say("hạn chót đăng ký thi đua là khi nào")  # answered
    assert (await lan.say("switch to English")) == "Switched to English."


async def test_a_sentence_meets_the_same_role_check_as_its_command(app: App, admin: User) -> None:
    await admin.say("/donvi them KT Phòng Kế toán")
    await members_of_kt(app, admin)
    stranger = User(app, "khach")
    assert (await stranger.say("thông báo cho cả phòng chiều nay họp")).startswith(
        "Bạn chưa thuộc đơn vị nào nên chưa dùng được /thongbao"
    )


def test_the_command_line_reads_messages_as_the_chat_does(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    one = run_cli("understand", "--json", "cảm ơn bot", database_url=url, cwd=tmp_path)
    assert json.loads(one.stdout) == {"kind": "smalltalk", "command": None, "args": ""}
    lines = run_cli("understand", "--json", database_url=url, cwd=tmp_path,
                    stdin="huỷ nhắc số 3\n/tiendo 50\nai ký kế hoạch này\n")  # fmt: skip
    readings = [json.loads(line) for line in lines.stdout.splitlines()]
    assert [(r["kind"], r["command"], r["args"]) for r in readings] == [
        ("command", "huynhac", "3"),
        ("command", "tiendo", "50"),
        ("question", None, "ai ký kế hoạch này"),
    ]


async def test_any_dialog_is_left_with_huy_thoi_or_cancel(app: App, admin: User) -> None:
    await import_file(app, CAMPAIGN_2026)
    _head, lan = await members_of_kt(app, admin)
    for leave in ("thôi", "/cancel", "Huỷ"):
        assert "Bạn có chắc muốn xoá" in await lan.say("/xoadulieu")
        assert await lan.say(leave) == "Đã thoát, mình không lưu gì thêm. Bạn cần gì cứ nhắn nhé."
    assert "Bạn phấn đấu đạt danh hiệu nào?" in await lan.say("/dangky")
    assert await lan.say("/huy") == "Đã thoát, mình không lưu gì thêm. Bạn cần gì cứ nhắn nhé."
    assert (await lan.say("/camket")).startswith("Bạn chưa đăng ký")  # nothing was kept


async def test_an_english_command_name_gets_a_suggestion(app: App, admin: User) -> None:
    assert "/dangky" in await admin.say("/register")


def test_a_sentence_read_two_ways_carries_its_other_reading() -> None:
    doubtful = read("nhắc tôi hạn nộp báo cáo là khi nào")
    assert (doubtful.kind, doubtful.command) == ("command", "nhacnho")
    assert doubtful.doubt == Reading("question", args="hạn nộp báo cáo là khi nào")
    asked = read("đăng ký thi đua như thế nào?")
    assert asked.kind == "question"
    assert asked.doubt is not None and asked.doubt.command == "dangky"
    # a time makes the reminder sure; the words of /hoi are only a question
    assert read("nhắc tôi 8h mai hỏi trưởng phòng khi nào họp").doubt is None
    assert read("hỏi hạn chót là khi nào").doubt is None


@pytest.mark.parametrize(
    ("text", "takes", "expected"),
    [
        ("hạn chót đăng ký là khi nào?", "text", True),  # "?" ends it: a question anywhere
        ("hạn chót đăng ký là khi nào", "choice", True),  # a question word, where options wait
        ("hạn chót đăng ký là khi nào", "text", False),  # free text may hold question words
        ("Hoàn thành 100% hồ sơ đúng hạn", "text", False),  # a commitment, not /tiendo
        ("Hoàn thành 100% hồ sơ đúng hạn", "choice", True),
        ("nhắc tôi 8h mai nộp báo cáo", "text", True),  # unmistakable
        ("chuyển sang tiếng Anh", "text", True),
        ("Chiến sĩ thi đua cơ sở", "choice", False),  # a typed option
        ("ok", "choice", False),
        ("Ăn trưa ở đâu?", "question", False),  # a poll's question is the answer itself
        ("nhắc tôi 8h mai nộp báo cáo", "question", True),
    ],
)
def test_what_interrupts_a_dialog(text: str, takes: str, expected: bool) -> None:
    assert interrupts(text, read(text), takes) is expected


async def test_asked_which_reading_with_two_buttons(app: App, admin: User, clock: Clock) -> None:
    await import_file(app, CAMPAIGN_2026)
    _head, lan = await members_of_kt(app, admin)
    [asked] = await lan.replies("nhắc tôi hạn chót đăng ký thi đua là khi nào")
    assert asked.text.startswith("Bạn muốn dùng lệnh /nhacnho hay hỏi về văn bản?")
    assert [o.label for o in asked.options] == ["Dùng /nhacnho", "Hỏi về văn bản"]
    answered = await lan.say(payload=asked.options[1].payload)
    assert "31/3/2026" in answered  # the document's answer to the sentence
    # on a platform without buttons the number chooses; the reminder then asks for a time
    await lan.say("nhắc tôi hạn chót đăng ký thi đua là khi nào")
    assert "Đã đặt nhắc việc" not in await lan.say("1")
    assert await lan.say(payload="choice:run") == (
        "Lựa chọn này không còn hiệu lực. Bạn gõ lại lệnh nhé."
    )  # once chosen, the offer is over
    # anything else typed is a new message and ends the offer
    await lan.say("nhắc tôi hạn chót đăng ký thi đua là khi nào")
    assert (await lan.say("cảm ơn")).startswith("Dạ, mình đây!")
    assert (await lan.say("2")).startswith("Các văn bản hiện có không đề cập")


async def test_a_dialog_listens_and_keeps_waiting(app: App, admin: User, clock: Clock) -> None:
    await import_file(app, CAMPAIGN_2026)
    _head, lan = await members_of_kt(app, admin)
    asked = await lan.say("/dangky")
    assert "Bạn phấn đấu đạt danh hiệu nào?" in asked and "(Gõ huỷ để thoát.)" in asked
    aside = await lan.say("hạn chót đăng ký thi đua là khi nào")
    assert "31/3/2026" in aside  # answered, not taken as a title
    assert aside.endswith("Câu hỏi trước của mình vẫn đang chờ bạn trả lời (gõ huỷ để thoát).")
    assert "Danh hiệu: Lao động tiên tiến." in await lan.say("1")
    # the commitment step takes free text: words that look like a command are a commitment
    assert (await lan.say("Hoàn thành 100% hồ sơ đúng hạn")).startswith("Đã ghi cam kết 1.")
    reminded = await lan.say("nhắc tôi 8h sáng mai gửi hồ sơ")
    assert reminded.startswith("Đã đặt nhắc việc #1")
    assert "vẫn đang chờ" in reminded
    assert "Các lệnh" not in await lan.say("/lichnhac")  # a command runs; the dialog waits
    assert "Bạn phấn đấu xếp loại ở mức nào?" in await lan.say("xong")


async def test_strangers_are_told_to_join_whatever_they_try(app: App, admin: User) -> None:
    await admin.say("/donvi them KT Phòng Kế toán")
    stranger = User(app, "khach")
    for attempt in ("dang ky", "/dangky", "tiến độ 50%", "/thongke", "/baocao"):
        assert (await stranger.say(attempt)).startswith("Bạn chưa thuộc đơn vị nào"), attempt


async def test_first_run_checklist_for_the_admin(app: App, admin: User) -> None:
    started = await admin.say("/start")
    assert "Bạn là quản trị viên" in started
    assert "⬜ 2. Tạo các đơn vị: /donvi them MÃ Tên đơn vị" in started
    assert "⬜ 3. Tạo mã mời" in started and "⬜ 4. Thêm bot vào nhóm" in started
    await admin.say("/donvi them KT Phòng Kế toán")
    helped = await admin.say("/trogiup")
    assert "✅ 2. Đã có đơn vị" in helped and "⬜ 3." in helped
    code = found(r": ([A-Z0-9]{8})\n", await admin.say("/moi KT"))
    await User(app, "lan").say(f"/start {code}")
    group = User(app, "admin", chat_id="g-kt", group=True)
    await group.say("/lienket KT")
    assert "⬜ 3." not in await admin.say("/trogiup")
    await import_file(app, CAMPAIGN_2026)
    after = await admin.say("/trogiup")
    assert "Còn cần thiết lập" not in after  # all done: the checklist is gone
    # a member never sees it, nor the admins' part of a command's help
    lan = await User(app, "lan").say("/trogiup")
    assert "Còn cần thiết lập" not in lan
    assert "/sukien them" not in lan and "/donvi them" not in lan and "/nhacnho @KT" not in lan
    assert "/sukien them" in after and "/donvi them" in after
