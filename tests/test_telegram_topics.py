"""Forum topics and upgraded groups, with the real PTB Application against the fake Bot API.

A supergroup with topics (a forum) gets its answers in the topic the question was asked in,
and a unit linked with `/lienket` typed inside a topic gets its pushes there; a deleted topic
sends them to the General topic again, said once. A group upgraded to a supergroup is
followed by answers as by pushes.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.app import App, open_app
from bot.channels.telegram import TelegramChannel
from bot.config import load_settings
from bot.scheduler import Scheduler
from storage.models import Chat, Unit
from tests.conftest import CAMPAIGN_2026, Clock, import_file
from tests.fakes.telegram_api import FakeTelegram
from tests.test_telegram import ADMIN, LAN

FORUM = -1003000
GROUP = -200300
SUPERGROUP = -1009990002
PLANNING, SPORTS, DELETED = 7, 9, 11
"""Topics of FORUM (message_thread_id values); DELETED is never one of them."""
ANNOUNCEMENT = "📣 <b>Thông báo</b> (User 1):\nHọp giao ban"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram().start()
    server.forum(FORUM, PLANNING, SPORTS)
    server.chat_admins[FORUM] = server.chat_admins[GROUP] = {ADMIN}
    yield server
    server.stop()


@pytest.fixture
async def channel(
    database_url: str, fake: FakeTelegram, clock: Clock
) -> AsyncIterator[TelegramChannel]:
    settings = load_settings(BOT_DATABASE_URL=database_url, BOT_ADMINS=f"telegram:{ADMIN}")
    app = await open_app(settings, clock=clock)
    await import_file(app, CAMPAIGN_2026)
    channel = TelegramChannel(app, fake.token, base_url=fake.base_url, poll_timeout=1)
    await channel.start()
    app.services.platforms.add(channel)  # as bot/launch.py does
    yield channel
    await channel.stop()
    await app.close()


async def in_chat(fake: FakeTelegram, chat: int, text: str, thread: int | None = None) -> dict:
    """ADMIN writes `text` in a group (in topic `thread`); the bot's next send there."""
    before = len(fake.sent(chat))
    fake.message(ADMIN, text, chat_id=chat, kind="supergroup", thread=thread)
    await fake.wait_sent(chat, before + 1)
    return fake.sent(chat)[before].params


async def linked(app: App, chat_id: int) -> tuple[str | None, str | None]:
    """(unit code, topic) of the chat's link."""
    async with app.db.transaction() as session:
        row = (
            await session.execute(
                select(Unit.code, Chat.thread_id)
                .join(Unit, Unit.id == Chat.unit_id, isouter=True)
                .where(Chat.platform == "telegram", Chat.platform_chat_id == str(chat_id))
            )
        ).one()
    return row[0], row[1]


async def announce(fake: FakeTelegram, chat: int, thread: int | None) -> None:
    """ADMIN announces "Họp giao ban" from `chat` (topic `thread`), pressing the button."""
    question = await in_chat(fake, chat, "/thongbao Họp giao ban", thread)
    assert question["text"].startswith("Thông báo sẽ gửi tới:")
    before = len(fake.sent(chat))
    fake.press(ADMIN, fake.sent(chat)[-1], "announce:send")
    await fake.wait_sent(chat, before + 1)


async def test_answers_go_back_to_the_topic_they_were_asked_in(
    channel: TelegramChannel, fake: FakeTelegram
) -> None:
    help_in_topic = await in_chat(fake, FORUM, "/trogiup", PLANNING)
    assert help_in_topic["message_thread_id"] == PLANNING
    assert "/lienket" in help_in_topic["text"]
    in_general = await in_chat(fake, FORUM, "/start")
    assert "message_thread_id" not in in_general
    # A reply in the General topic carries the replied message's id as message_thread_id,
    # without is_topic_message: no topic to send to (the fake refuses it like Telegram).
    before = len(fake.sent(FORUM))
    fake.message(ADMIN, "hạn chót là khi nào", chat_id=FORUM, kind="supergroup",
                 reply_to_bot=True, message_thread_id=4242)  # fmt: skip
    (answer,) = (await fake.wait_sent(FORUM, before + 1))[before:]
    assert "31/12/2026" in answer and "message_thread_id" not in fake.sent(FORUM)[-1].params


async def test_a_unit_linked_in_a_topic_gets_its_pushes_there(
    channel: TelegramChannel, fake: FakeTelegram, clock: Clock
) -> None:
    app = channel.app
    assert "Đã thêm đơn vị" in await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    done = await in_chat(fake, FORUM, "/lienket KT", SPORTS)
    assert done["text"].startswith("Đã liên kết chủ đề này với <b>Phòng Kế toán</b> (KT).")
    assert done["message_thread_id"] == SPORTS
    assert await linked(app, FORUM) == ("KT", str(SPORTS))
    again = await in_chat(fake, FORUM, "/lienket KT", SPORTS)
    assert again["text"] == "Chủ đề này đã được liên kết với <b>Phòng Kế toán</b> (KT)."

    # asked in one topic: the question, the button's answer there; the push in the linked one
    await announce(fake, FORUM, PLANNING)
    assert {c.params.get("message_thread_id") for c in fake.sent(FORUM)[-2:]} == {PLANNING}
    before = len(fake.sent(FORUM))
    assert await Scheduler(app, senders={"telegram": channel}).dispatch_due(clock()) == 1
    (pushed,) = fake.sent(FORUM)[before:]
    assert pushed.params["text"] == ANNOUNCEMENT
    assert pushed.params["message_thread_id"] == SPORTS

    # linked again in General: the whole chat, pushes without a topic
    relinked = await in_chat(fake, FORUM, "/lienket KT")
    assert relinked["text"].startswith("Đã liên kết nhóm này với <b>Phòng Kế toán</b> (KT).")
    assert await linked(app, FORUM) == ("KT", None)
    await announce(fake, FORUM, None)
    before = len(fake.sent(FORUM))
    assert await Scheduler(app, senders={"telegram": channel}).dispatch_due(clock()) == 1
    (pushed,) = fake.sent(FORUM)[before:]
    assert pushed.params["text"] == ANNOUNCEMENT and "message_thread_id" not in pushed.params


async def test_a_deleted_topic_sends_pushes_to_general_and_is_said_once(
    channel: TelegramChannel, fake: FakeTelegram, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """The first push into the deleted topic is refused ("message thread not found"): the
    link loses its topic (the unit stays linked), one warning, and the push goes to General
    in the same dispatch; the next one goes there at once."""
    app = channel.app
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    await in_chat(fake, FORUM, "/lienket KT", SPORTS)
    await announce(fake, FORUM, PLANNING)
    await announce(fake, FORUM, PLANNING)
    fake.delete_topic(FORUM, SPORTS)
    caplog.set_level(logging.INFO)
    before = len(fake.sent(FORUM))
    dispatcher = Scheduler(app, senders={"telegram": channel})
    assert await dispatcher.dispatch_due(clock()) == 2
    tries = [c.params for c in fake.sent(FORUM)[before:]]
    assert [p.get("message_thread_id") for p in tries] == [SPORTS, SPORTS, None, None]
    assert [p["text"] for p in tries[2:]] == [ANNOUNCEMENT, ANNOUNCEMENT]  # in order, once
    assert await linked(app, FORUM) == ("KT", None)
    gone = [r for r in caplog.records if "topic 9 is gone" in r.getMessage()]
    assert [r.levelno for r in gone] == [logging.WARNING, logging.INFO]
    assert "message thread not found" in gone[0].getMessage().lower()

    await announce(fake, FORUM, PLANNING)
    before = len(fake.sent(FORUM))
    assert await dispatcher.dispatch_due(clock()) == 1
    (pushed,) = fake.sent(FORUM)[before:]
    assert "message_thread_id" not in pushed.params


async def test_an_answer_into_a_topic_deleted_meanwhile_goes_to_general(
    channel: TelegramChannel, fake: FakeTelegram
) -> None:
    """The topic went between the question and the answer: the answer is sent once, to
    General; the chat's link (another topic) is not touched."""
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    await in_chat(fake, FORUM, "/lienket KT", SPORTS)
    before = len(fake.sent(FORUM))
    fake.message(ADMIN, "/trogiup", chat_id=FORUM, thread=DELETED)
    await fake.wait_sent(FORUM, before + 2)
    tried, answered = fake.sent(FORUM)[before:]
    assert tried.params["message_thread_id"] == DELETED and "_result" not in tried.params
    assert "message_thread_id" not in answered.params and "/lienket" in answered.params["text"]
    await fake.drained()
    assert len(fake.sent(FORUM)) == before + 2
    assert await linked(channel.app, FORUM) == ("KT", str(SPORTS))


async def test_an_answer_to_a_group_that_became_a_supergroup_follows_it(
    channel: TelegramChannel, fake: FakeTelegram, clock: Clock
) -> None:
    """Telegram refuses the answer with the new id (400, parameters.migrate_to_chat_id): the
    chat takes the new id with its unit, the answer goes there once, and so do pushes."""
    app = channel.app
    await fake.say(ADMIN, "/donvi them KT Phòng Kế toán")
    fake.message(ADMIN, "/lienket KT", chat_id=GROUP, kind="group")
    await fake.wait_sent(GROUP, 1)
    fake.fail("sendMessage", 400, chat=GROUP, migrate_to_chat_id=SUPERGROUP)
    fake.message(LAN, "/trogiup", chat_id=GROUP, kind="group")
    (help_text,) = await fake.wait_sent(SUPERGROUP, 1)
    assert help_text.startswith("Bạn chưa thuộc đơn vị nào.")
    assert len(fake.sent(GROUP)) == 2  # the link's answer, then the refused one
    assert await linked(app, SUPERGROUP) == ("KT", None)
    await fake.drained()
    assert len(fake.sent(SUPERGROUP)) == 1

    await announce(fake, SUPERGROUP, None)
    before = len(fake.sent(SUPERGROUP))
    assert await Scheduler(app, senders={"telegram": channel}).dispatch_due(clock()) == 1
    assert fake.texts(SUPERGROUP)[before:] == [ANNOUNCEMENT]


async def test_an_answer_moved_twice_is_dropped_and_said_once(
    channel: TelegramChannel, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    """A move is followed once: a second one (a broken server) ends the answer with one
    warning, nothing sent twice, rather than a chase from id to id."""
    caplog.set_level(logging.INFO, logger="bot.delivery")
    fake.fail("sendMessage", 400, chat=GROUP, migrate_to_chat_id=SUPERGROUP)
    fake.fail("sendMessage", 400, chat=SUPERGROUP, migrate_to_chat_id=SUPERGROUP - 1)
    fake.message(LAN, "/trogiup", chat_id=GROUP, kind="group")

    def messages() -> list[str]:
        return [r.getMessage() for r in caplog.records]

    await fake.wait_for(lambda: any(m.startswith("could not answer") for m in messages()))
    await fake.drained()
    assert len(fake.sent(GROUP)) == len(fake.sent(SUPERGROUP)) == 1
    assert not fake.sent(SUPERGROUP - 1)
    assert len([m for m in messages() if m.endswith("answering there")]) == 1
    assert [m for m in messages() if m.startswith("could not answer")] == [
        f"could not answer in telegram chat {SUPERGROUP}: moved to {SUPERGROUP - 1} again"
    ]
