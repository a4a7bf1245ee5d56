"""The router: order of resolution, Vietnamese aliases, bad input, one transaction per message."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from bot.app import App
from campaign.roles import Role
from handlers.context import Context
from handlers.features import build_registry
from handlers.messages import Incoming, Reply
from handlers.registry import Command, Feature, Registry
from handlers.router import MAX_TEXT, Router
from storage import people, units
from storage.seen import RecentUpdates
from tests.conftest import Clock, User, UserFactory, row_counts


async def test_a_command_typed_as_words_works_like_the_command(user_factory: UserFactory) -> None:
    lan = user_factory("lan")
    by_command = await lan.say("/trogiup")
    assert "/ngonngu" in by_command
    assert await lan.say("trợ giúp") == by_command
    assert await lan.say("Tro Giup") == by_command
    assert await lan.say("/help") == by_command


async def test_unknown_command_gets_the_closest_real_one(user_factory: UserFactory) -> None:
    lan = user_factory("lan")
    assert (
        await lan.say("/trogiupp") == "Mình không biết lệnh /trogiupp. Có phải ý bạn là /trogiup?"
    )
    assert await lan.say("/qwertyuiop") == (
        "Mình không biết lệnh /qwertyuiop. Gõ /trogiup để xem các lệnh."
    )


async def test_oversized_and_empty_messages_get_a_clear_sentence(
    app: App, user_factory: UserFactory
) -> None:
    lan = user_factory("lan")
    await lan.say("/start")
    before = await row_counts(app)
    assert await lan.say("a" * 5000) == (
        f"Tin nhắn dài quá (5000 ký tự). Bạn gửi ngắn hơn {MAX_TEXT} ký tự nhé."
    )
    assert await lan.say("   ") == (
        "Mình chưa nhận được nội dung nào. Gõ /trogiup để xem những gì mình làm được."
    )
    assert await row_counts(app) == before


async def test_a_group_hears_only_what_is_addressed_to_the_bot(user_factory: UserFactory) -> None:
    lan = user_factory("lan", group=True)
    assert await lan.replies("trợ giúp", addressed=False) == []
    assert await lan.replies("chào cả nhà", addressed=False) == []
    assert "/trogiup" in await lan.say("/trogiup", addressed=False)
    assert "/trogiup" in await lan.say("tro giup", addressed=True)


async def test_a_button_from_a_finished_dialog_is_refused_politely(
    user_factory: UserFactory,
) -> None:
    lan = user_factory("lan")
    assert await lan.say(payload="forget:yes") == (
        "Lựa chọn này không còn hiệu lực. Bạn gõ lại lệnh nhé."
    )


async def test_a_command_in_the_middle_of_a_dialog_runs_and_the_dialog_waits(
    user_factory: UserFactory,
) -> None:
    lan = user_factory("lan")
    asked = await lan.say("/xoadulieu")
    assert "(Gõ huỷ để thoát.)" in asked
    helped = await lan.say("/trogiup")
    assert "/trogiup" in helped
    assert helped.endswith("Câu hỏi trước của mình vẫn đang chờ bạn trả lời (gõ huỷ để thoát).")
    # a question typed while the confirmation waits is answered; the confirmation still waits
    answered = await lan.say("hạn chót đăng ký là khi nào?")
    assert "Câu hỏi trước của mình vẫn đang chờ" in answered
    assert await lan.say("2") == "Đã huỷ, dữ liệu của bạn vẫn được giữ nguyên."
    # over: "1" is no longer "delete everything"
    assert "Câu hỏi trước" not in await lan.say("/trogiup")


async def test_cancel_words_leave_any_dialog_in_both_languages(user_factory: UserFactory) -> None:
    lan = user_factory("lan")
    for word in ("huỷ", "thoi", "/cancel", "Cancel", "/huy"):
        await lan.say("/xoadulieu")
        assert await lan.say(word) == "Đã thoát, mình không lưu gì thêm. Bạn cần gì cứ nhắn nhé."
    await lan.say("/ngonngu en")
    await lan.say("/forgetme")
    assert await lan.say("cancel") == "Left; nothing more was saved. Tell me what you need."


async def test_a_dialog_survives_a_restart(app: App, database_url: str, clock: Clock) -> None:
    from bot.app import open_app

    lan = User(app, "lan")
    await lan.say("/xoadulieu")
    restarted = await open_app(app.settings, clock=clock)
    try:
        answer = await User(restarted, "lan").say("2")
    finally:
        await restarted.close()
    assert answer == "Đã huỷ, dữ liệu của bạn vẫn được giữ nguyên."


async def test_a_failing_handler_rolls_back_and_apologises(app: App) -> None:
    async def half_done(ctx: Context, args: str) -> list[Reply]:
        await units.add_unit(ctx.session, "HALF", "Nửa chừng", "department")
        raise RuntimeError("the disk is full")

    base = build_registry()
    registry = Registry(
        [Feature(commands=(*base.commands, Command("hong", "broken", (), half_done)))]
    )
    router = Router(app.db, app.services, registry)
    lan = User(app, "lan", router=router)  # the same app, with one broken command
    assert await lan.say("/hong") == (
        "Xin lỗi, mình gặp sự cố khi xử lý tin nhắn này. Bạn thử lại sau ít phút nhé."
    )
    async with app.db.transaction() as session:
        assert await units.find_unit(session, "HALF") is None


async def test_role_checks_come_before_the_command(user_factory: UserFactory) -> None:
    lan = user_factory("lan")
    assert await lan.say("/moi KT") == (
        "Bạn chưa thuộc đơn vị nào nên chưa dùng được /moi. Hãy xin mã mời từ trưởng đơn vị "
        "hoặc cán bộ phụ trách rồi gõ /start MÃ để tham gia; sau đó gõ /trogiup để xem các lệnh."
    )
    await lan.say("/ngonngu en")
    assert (await lan.say("/report")).startswith(
        "You are not in a unit yet, so /report is not available to you."
    )


def test_commands_have_unique_names_and_phrases() -> None:
    registry = build_registry()
    names = [c.name for c in registry.commands] + [c.english for c in registry.commands]
    assert len(set(names) - {"start"}) == len(names) - 2  # /start is its own English alias
    assert all(c.required in (None, *Role) for c in registry.commands)


@contextmanager
def statements_of(app: App) -> Iterator[list[str]]:
    """What the database is asked while the block runs, as "SELECT account", "INSERT chat"…
    (SQLite's BEGIN IMMEDIATE left out: PostgreSQL's BEGIN is not a statement here; nor is
    PostgreSQL's per-chat lock, storage/locks.py, a round trip that reads no table)."""
    asked: list[str] = []
    with app.db.statements() as seen:
        yield asked
    for statement in seen:
        if not statement.startswith(("BEGIN", "SELECT pg_advisory_xact_lock")):
            table = re.search(r"\b(?:FROM|INTO|UPDATE)\s+(\w+)", statement)
            asked.append(f"{statement.split()[0]} {table.group(1) if table else '?'}")


def _help_from(user_id: str, update_id: str) -> Incoming:
    return Incoming(
        platform="console", user_id=user_id, chat_id=user_id, text="/trogiup", update_id=update_id
    )


async def test_a_known_users_help_costs_one_statement(app: App, admin: User) -> None:
    """On SQLite writes queue on one lock, so a message's statements are its cost. Before
    issue 14 a known user's /trogiup cost four (BEGIN IMMEDIATE, the replay mark, the account
    with its person and units, the chat with its unit and dialog); now the account and chat
    are cached, and one read gives the identity version (which says the cache still holds),
    whether the update was seen, and the dialog. On SQLite /trogiup runs in a read session
    (the replay mark is written later, with others); on PostgreSQL the mark is written at once.
    A change of memberships moves the version: the next message reads them again, in the
    order they were made."""
    await admin.say("/donvi them KT Phòng Kế toán")
    await admin.say("/donvi them NS Phòng Nhân sự")
    lan = User(app, "lan")
    await lan.say("/start")
    async with app.db.transaction() as session:
        account = await people.find_account(session, "console", "lan")
        assert account is not None
        for code in ("NS", "KT"):
            unit = await units.find_unit(session, code)
            assert unit is not None
            await units.set_membership(session, account.person_id, unit.id, "member")
    sqlite = app.db.dialect == "sqlite"
    check = ["SELECT seen_update"] if sqlite else ["SELECT identity_version", "INSERT seen_update"]
    with statements_of(app) as statements:
        assert await app.router.handle(_help_from("lan", "u1"))
    assert statements == [*check, "SELECT account", "SELECT chat"]
    with statements_of(app) as statements:
        assert await app.router.handle(_help_from("lan", "u2"))
    assert statements == check
    await app.router.flush()
    app.router.recent = RecentUpdates()  # as after a restart: only the database remembers
    with statements_of(app) as statements:
        assert await app.router.handle(_help_from("lan", "u2")) == []
    assert statements == check  # no write on SQLite; on PostgreSQL the mark is the check
    assert await lan.say("/donvi") == (
        "Đơn vị của bạn:\n• Phòng Nhân sự (NS): thành viên\n• Phòng Kế toán (KT): thành viên"
    )


async def test_a_first_message_reads_nothing_back(app: App) -> None:
    """A new person, account and chat are written, and nothing is read back after. On SQLite
    /trogiup is tried in a read session first: the first write stops it (nothing written),
    and the message is handled again in a write session."""
    with statements_of(app) as statements:
        assert await app.router.handle(_help_from("lan", "u1"))
    tried = ["SELECT seen_update", "SELECT account"] if app.db.dialect == "sqlite" else []
    assert statements == [
        *tried,
        "SELECT identity_version",
        "INSERT seen_update",
        "SELECT account",
        "INSERT person",
        "INSERT account",
        "SELECT chat",
        "INSERT chat",
    ]
