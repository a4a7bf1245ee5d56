"""Questions and the calendar in chat: /hoi, free text, groups, /sukien."""

from bot.app import App
from storage import audit
from tests.conftest import Clock, User, UserFactory, row_counts


async def test_hoi_and_free_text_answer_from_the_document(user_factory: UserFactory) -> None:
    lan = user_factory("lan")
    by_command = await lan.say("/hoi hạn chót là khi nào")
    assert by_command.startswith("Thời gian thực hiện: từ ngày 12/01/2026 đến hết ngày 31/12/2026.")
    assert "Mục III.1 (Tổ chức thực hiện): “1. Thời gian thực hiện:" in by_command
    assert await lan.say("han chot la khi nao") == by_command
    assert await lan.say("hỏi hạn chót là khi nào") == by_command


async def test_a_group_answers_questions_only_when_addressed(app: App) -> None:
    lan = User(app, "lan", chat_id="kt", group=True)
    assert await lan.replies("chỉ tiêu là gì", addressed=False) == []
    assert (await lan.say("chỉ tiêu là gì", addressed=True)).startswith(
        "Chỉ tiêu phấn đấu thi đua năm 2026:"
    )


async def test_bad_questions_get_a_polite_answer(app: App, user_factory: UserFactory) -> None:
    lan = user_factory("lan")
    await lan.say("/start")
    before = await row_counts(app)
    assert await lan.say("/hoi") == (
        "Bạn muốn hỏi gì về phong trào thi đua? Ví dụ: /hoi hạn chót là khi nào."
    )
    assert await lan.say("/hoi ???") == (
        "Bạn muốn hỏi gì về phong trào thi đua? Ví dụ: /hoi hạn chót là khi nào."
    )
    assert await lan.say("a " * 1000) == (
        "Mình đọc tin này như một câu hỏi về văn bản, nhưng nó dài quá (1999 ký tự) nên mình "
        "chưa tra được. Bạn hỏi ngắn gọn trong 500 ký tự nhé."
    )
    assert (await lan.say("giá vàng hôm nay")).startswith(
        "Các văn bản hiện có không đề cập đến nội dung này."
    )
    assert (await lan.say("how do I cook rice")).startswith("Mình trả lời từ văn bản tiếng Việt")
    assert await lan.say("chỉ tiêu năm 2023") == (
        "Mình chưa có văn bản phát động thi đua năm 2023. Các năm có văn bản: 2026."
    )
    assert await row_counts(app) == before


async def test_answers_follow_the_users_language(user_factory: UserFactory) -> None:
    lan = user_factory("lan")
    await lan.say("/language en")
    reply = await lan.say("/ask ai ký văn bản")
    assert reply.startswith("Signed by Giám đốc Dương Công Vĩ.")
    assert "Signature: “GIÁM ĐỐC / Dương Công Vĩ”" in reply


async def test_events_list_the_next_days(user_factory: UserFactory, clock: Clock) -> None:
    # The fixture clock is Monday 02/03/2026 09:00 in Hà Nội.
    lan = user_factory("lan")
    assert await lan.say("/sukien 3") == (
        "3 sự kiện sắp tới:\n"
        "1. Chủ Nhật, 08/03/2026: Ngày Quốc tế Phụ nữ (kỷ niệm 116 năm) — còn 6 ngày\n"
        "2. Thứ Năm, 26/03/2026: Ngày thành lập Đoàn TNCS Hồ Chí Minh (kỷ niệm 95 năm) — còn 24 ngày\n"
        "3. Thứ Năm, 30/04/2026: Ngày giải phóng hoàn toàn miền Nam, thống nhất đất nước "
        "(kỷ niệm 51 năm) — còn 59 ngày"
    )
    assert (await lan.say("/sukien")).startswith("5 sự kiện sắp tới:")
    for bad in ("/sukien 0", "/sukien abc", "/sukien 51"):
        assert await lan.say(bad) == ("Số sự kiện muốn xem phải từ 1 đến 50, ví dụ /sukien 10.")


async def test_admins_add_days_to_the_calendar(
    app: App, admin: User, user_factory: UserFactory
) -> None:
    lan = user_factory("lan")
    await lan.say("/start")
    await admin.say("/start")
    before = await row_counts(app)
    assert await lan.say("/sukien them 14/10/1930 Ngày Hội Nông dân") == (
        "Bạn không có quyền dùng /sukien them. Gõ /trogiup để xem các lệnh của bạn."
    )
    assert "Cần ngày và tên" in await admin.say("/sukien them 14/10/1930")
    assert await admin.say("/sukien them 31/02/1930 Sai ngày") == (
        "Ngày 31/02/1930 không hợp lệ. Viết theo dạng dd/mm/yyyy, ví dụ 28/08/1945."
    )
    assert (await admin.say("/sukien them 01/01/2026 Đã qua")).startswith("Ngày 01/01/2026 đã qua.")
    assert await row_counts(app) == before

    assert await admin.say("/sukien them 14/10/1930 Ngày truyền thống Hội Nông dân") == (
        "Đã thêm “Ngày truyền thống Hội Nông dân” vào lịch: hằng năm ngày 14/10/1930, "
        "tính số năm kỷ niệm từ năm 1930."
    )
    assert await admin.say("/sukien them 05/03/2026 Hội nghị phát động") == (
        "Đã thêm “Hội nghị phát động” vào lịch ngày 05/03/2026."
    )
    assert "đã có" in await admin.say("/sukien them 14/10/1930 Ngày truyền thống Hội Nông dân")
    assert (await lan.say("/sukien 1")).endswith("Hội nghị phát động — còn 3 ngày")
    assert "Ngày truyền thống Hội Nông dân (kỷ niệm 96 năm)" in await lan.say("/sukien 30")
    async with app.db.transaction() as session:
        assert [e.target for e in await audit.entries(session, "event.add")] == [
            "1930-10-14",
            "2026-03-05",
        ]
