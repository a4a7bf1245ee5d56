"""Issue 16's bad input, typed as sentences: each gets a polite reply in the user's language
that says what was understood and what was not, and a refusal stores nothing."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from handlers.router import MAX_TEXT
from storage.models import Reminder
from tests.conftest import Clock, User, members_of_kt, row_counts
from tests.test_reminders import setup_unit


async def active_reminders(app: App) -> list[tuple[int, str]]:
    async with app.db.transaction() as session:
        rows = await session.scalars(select(Reminder).where(Reminder.active.is_(True)))
        return [(row.id, row.text) for row in rows]


async def test_two_times_in_one_sentence_are_named_and_nothing_is_set(
    app: App, admin: User, clock: Clock
) -> None:
    _, lan = await setup_unit(app, admin, clock)
    before = await row_counts(app)
    assert await lan.say("nhắc tôi 8h mai và 9h ngày kia họp") == (
        "Mình thấy hai thời gian trong một tin: “8h mai” và “9h ngày kia”, nên chưa đặt nhắc "
        "việc nào. Mỗi lần bạn đặt một nhắc việc nhé, ví dụ /nhacnho 8h mai họp, rồi "
        "/nhacnho 9h ngày kia họp."
    )
    # The time anywhere in the sentence, and a comma instead of "và".
    assert (await lan.say("nhắc tôi họp 8h mai, 9h ngày kia")).startswith(
        "Mình thấy hai thời gian trong một tin: “8h mai” và “9h ngày kia”"
    )
    await lan.say("/ngonngu en")
    after_language = await row_counts(app)
    assert await lan.say("remind me 8h mai và 9h ngày kia họp") == (
        "I found two times in one message: “8h mai” and “9h ngày kia”, so no reminder is set. "
        "Please set one reminder at a time, for example /remind 8h mai họp, then "
        "/remind 9h ngày kia họp."
    )
    assert await row_counts(app) == after_language
    assert after_language["reminder"] == before["reminder"] == 0


async def test_a_time_in_the_past_is_refused(app: App, admin: User, clock: Clock) -> None:
    _, lan = await setup_unit(app, admin, clock)
    before = await row_counts(app)
    for sentence in (
        "nhắc tôi 8h sáng hôm qua nộp báo cáo",
        "nhắc tôi nộp báo cáo 8h sáng hôm qua",
    ):
        assert await lan.say(sentence) == (
            'Thời gian "8h sáng hôm qua" đã qua. Bạn chọn một thời điểm sắp tới nhé.'
        )
    await lan.say("/language en")
    assert (await lan.say("remind me 8h sáng hôm qua nộp báo cáo")).startswith(
        'The time "8h sáng hôm qua" is in the past. Please choose a time to come.'
    )
    assert await active_reminders(app) == []
    assert (await row_counts(app))["reminder"] == before["reminder"]


async def test_a_reminder_without_text_asks_what_to_remind(
    app: App, admin: User, clock: Clock
) -> None:
    _, lan = await setup_unit(app, admin, clock)  # Monday 09/03/2026 09:00
    assert await lan.say("nhắc tôi 8h mai") == (
        "Mình hiểu thời gian là Thứ Ba, 08:00 10/03/2026, nhưng chưa thấy cần nhắc việc gì nên "
        "chưa đặt nhắc việc. Bạn ghi thêm nội dung sau thời gian, ví dụ "
        "/nhacnho 8h mai Nộp báo cáo."
    )
    await lan.say("/language en")
    assert await lan.say("/remind 8h mai") == (
        "I read the time as Tuesday, 08:00 10/03/2026, but not what to remind you of, so no "
        "reminder is set. Add it after the time, for example /remind 8h mai Submit the report."
    )
    assert await active_reminders(app) == []


async def test_progress_over_100_is_refused_and_the_old_figure_stays(
    app: App, admin: User, clock: Clock
) -> None:
    _, lan = await members_of_kt(app, admin)
    await lan.say("/dangky LĐTT; Hoàn thành báo cáo quý")
    assert (await lan.say("tiến độ 60")).startswith("Đã ghi tiến độ chung: 60%")
    before = await row_counts(app)
    for sentence in ("tiến độ 150", "tiến độ 150%", "/tiendo 150"):
        assert await lan.say(sentence) == "Tiến độ phải từ 0 đến 100 (bạn ghi 150)."
    await lan.say("/language en")
    assert await lan.say("progress 150%") == "Progress must be from 0 to 100 (you wrote 150)."
    assert await row_counts(app) == before
    assert "60%" in await lan.say("/mypledge")


async def test_cancelling_a_reminder_that_is_not_there(app: App, admin: User, clock: Clock) -> None:
    _, lan = await setup_unit(app, admin, clock)
    await lan.say("/nhacnho mai 8h Nộp báo cáo")
    for sentence in ("hủy nhắc số 999", "/huynhac 999", "huỷ nhắc việc #999"):
        assert await lan.say(sentence) == (
            "Không có nhắc việc #999 đang chạy mà bạn huỷ được. "
            "Gõ /lichnhac để xem số các nhắc việc của bạn."
        )
    await lan.say("/language en")
    assert await lan.say("cancel reminder 999") == (
        "There is no active reminder #999 that you can cancel. "
        "Type /reminders to see the numbers of yours."
    )
    assert await active_reminders(app) == [(1, "Nộp báo cáo")]


async def test_a_long_sentence_is_answered_and_a_too_long_one_refused(
    app: App, admin: User, clock: Clock
) -> None:
    """4,000 characters fit in a message (Telegram's 4,096): read as a question, it is too
    long to look up and the reply says so; past the message limit, the message is refused."""
    _, lan = await members_of_kt(app, admin)
    before = await row_counts(app)
    sentence = ("hôm nay trời đẹp quá " * 200)[:4000]
    assert len(sentence) == 4000 < MAX_TEXT
    assert await lan.say(sentence) == (
        "Mình đọc tin này như một câu hỏi về văn bản, nhưng nó dài quá (4000 ký tự) nên mình "
        "chưa tra được. Bạn hỏi ngắn gọn trong 500 ký tự nhé."
    )
    assert await lan.say("x" * 5000) == (
        f"Tin nhắn dài quá (5000 ký tự). Bạn gửi ngắn hơn {MAX_TEXT} ký tự nhé."
    )
    assert await row_counts(app) == before
    await lan.say("/language en")
    before = await row_counts(app)
    assert (await lan.say(sentence)).startswith(
        "I read this as a question about the documents, but it is too long (4000 characters)"
    )
    assert await row_counts(app) == before


async def test_only_emoji_cannot_be_read(app: App, admin: User, clock: Clock) -> None:
    _, lan = await members_of_kt(app, admin)
    for text in ("👍👍", "😀", "🙏 🎉"):
        assert await lan.say(text) == (
            "Mình chưa đọc được tin nhắn này. Bạn nhắn bằng chữ nhé, hoặc gõ /trogiup để xem "
            "mình làm được gì."
        )
    await lan.say("/language en")
    assert (await lan.say("😀")).startswith("I could not read this message.")
