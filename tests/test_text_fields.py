"""Every stored free-text field reachable from chat or the command line, fed what breaks
things: a NUL (PostgreSQL refuses it), a superscript digit (str.isdigit() says yes, int()
says no) and 10,000 characters (over every column). Each gets a polite reply, never the
apology; what is stored has no control character; a refused value leaves every table as it
was. Runs on SQLite, and on PostgreSQL when BOT_TEST_DATABASE_URL is set."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String, select
from sqlalchemy.orm import InstrumentedAttribute

from bot.app import App
from handlers.documents import import_document
from handlers.messages import Incoming
from storage.limits import max_length
from storage.models import (
    Account,
    Assessment,
    Base,
    CampaignDocument,
    Chat,
    Commitment,
    CustomEvent,
    Outbox,
    Person,
    ProgressUpdate,
    Reminder,
    Unit,
)
from tests.conftest import Clock, User, members_of_kt, row_counts, run_cli

POISON = "Họp\x00 ngày 05¹ tháng\x07"
CLEAN = "Họp ngày 05¹ tháng"
HUGE = "Dài " * 2_500  # 10,000 characters
APOLOGY = "Xin lỗi"


async def _lead_and_member(app: App, admin: User, clock: Clock) -> tuple[User, User]:
    clock.now = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # in the 2026 registration period
    return await members_of_kt(app, admin)


async def _values(app: App, column: InstrumentedAttribute[Any]) -> list[Any]:
    async with app.db.transaction() as session:
        return [v for v in await session.scalars(select(column)) if v is not None]


def _polite(reply: str) -> None:
    assert reply.strip(), "no reply at all"
    assert APOLOGY not in reply, reply


async def _no_control_characters(app: App) -> None:
    """No string of any row, JSON included, holds a NUL or another control character."""
    async with app.db.transaction() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                for value in row:
                    text = json.dumps(value) if isinstance(value, dict | list) else value
                    if isinstance(text, str):
                        assert "\x00" not in text and "\\u0000" not in text, (table.name, text)
                        assert "\x07" not in text and "\\u0007" not in text, (table.name, text)


Say = Callable[[App, User, User, User, str], Awaitable[str]]


async def _unit_name(app: App, admin: User, head: User, lan: User, value: str) -> str:
    return await admin.say(f"/donvi them KT2 {value}")


async def _unit_code(app: App, admin: User, head: User, lan: User, value: str) -> str:
    return await admin.say(f"/donvi them {value} Phòng mới")


async def _pledge(app: App, admin: User, head: User, lan: User, value: str) -> str:
    reply = await lan.say(f"/dangky LĐTT; {value}; Không để chậm muộn")
    return await lan.say("1") if "đăng ký lại" in reply else reply  # replaces the first


async def _pledge_title(app: App, admin: User, head: User, lan: User, value: str) -> str:
    return await lan.say(f"/dangky {value}; Hoàn thành hồ sơ đúng hạn")


async def _progress(app: App, admin: User, head: User, lan: User, value: str) -> str:
    return await lan.say(f"/tiendo 50 {value}")


async def _reminder(app: App, admin: User, head: User, lan: User, value: str) -> str:
    return await lan.say(f"/nhacnho mai 8h {value}")


async def _announcement(app: App, admin: User, head: User, lan: User, value: str) -> str:
    reply = await head.say(f"/thongbao {value}")
    return await head.say("1") if "Thông báo sẽ gửi" in reply else reply


async def _event(app: App, admin: User, head: User, lan: User, value: str) -> str:
    return await admin.say(f"/sukien them 01/05/2027 {value}")


async def _assessment(app: App, admin: User, head: User, lan: User, value: str) -> str:
    return await lan.say(f"/tudanhgia tốt {value}")


async def _question(app: App, admin: User, head: User, lan: User, value: str) -> str:
    return await lan.say(f"/hoi {value}")


FIELDS: dict[str, tuple[Say, InstrumentedAttribute[Any] | None]] = {
    "unit name": (_unit_name, Unit.name),
    "unit code": (_unit_code, Unit.code),
    "pledge title": (_pledge_title, None),
    "pledge commitments": (_pledge, Commitment.text),
    "progress note": (_progress, ProgressUpdate.note),
    "reminder": (_reminder, Reminder.text),
    "announcement": (_announcement, Outbox.text),
    "event": (_event, CustomEvent.name),
    "self-assessment comment": (_assessment, Assessment.self_comment),
    "question": (_question, None),
}


@pytest.mark.parametrize("field", FIELDS)
async def test_every_typed_field_takes_nul_superscript_and_10000_characters(
    app: App, admin: User, clock: Clock, field: str, caplog: pytest.LogCaptureFixture
) -> None:
    say, column = FIELDS[field]
    head, lan = await _lead_and_member(app, admin, clock)
    await lan.say("/dangky LĐTT; Hoàn thành hồ sơ đúng hạn")
    await admin.say("/tudanhgia mo")
    await User(app, "admin", chat_id="kt-group", group=True).say("/lienket KT")
    caplog.set_level(logging.ERROR)
    before = await row_counts(app)
    _polite(await say(app, admin, head, lan, HUGE))
    assert await row_counts(app) == before, "a refused text wrote something"
    _polite(await say(app, admin, head, lan, POISON))
    if column is not None and field != "unit code":
        stored = [json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v
                  for v in await _values(app, column)]  # fmt: skip
        assert any(CLEAN in v for v in stored), stored  # nothing lost but the NUL
    await _no_control_characters(app)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


async def test_a_value_over_its_column_gets_too_long_on_both_databases(
    app: App, admin: User, caplog: pytest.LogCaptureFixture
) -> None:
    """Under the 4,096 characters of a message but over String(200): PostgreSQL refused it
    with the apology, SQLite stored it. Now both say how long it may be."""
    caplog.set_level(logging.ERROR)
    before = await row_counts(app)
    limit = max_length(Unit.name)
    reply = await admin.say(f"/donvi them KT3 {'Phòng ' * 50}")
    assert (
        reply
        == f"Nội dung quá dài: tối đa {limit} ký tự (bạn gửi 299). Bạn rút gọn rồi gửi lại nhé."
    )
    assert await row_counts(app) == before
    name = "Phòng " + "x" * (limit - 6)
    assert "Đã thêm" in await admin.say(f"/donvi them KT3 {name}")
    assert await _values(app, Unit.name) == [name]
    assert not caplog.records


async def test_names_from_the_platform_are_cleaned_and_cut_to_fit(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    """A display name, an @handle and a group's title are what the platform says, not what
    the person typed: a person cannot shorten them by retyping, so they are cut to their
    column instead of refusing every message."""
    caplog.set_level(logging.ERROR)
    incoming = Incoming(
        platform="telegram",
        user_id="42",
        chat_id="-100",
        chat_kind="group",
        text="/trogiup",
        user_name=POISON + HUGE,
        username="u\x00" + "x" * 200,
        chat_title=POISON + HUGE,
    )
    replies = await app.router.handle(incoming)
    assert replies and APOLOGY not in replies[0].text
    async with app.db.transaction() as session:
        person = await session.scalar(select(Person).join(Account))
        account = await session.scalar(select(Account))
        chat = await session.scalar(select(Chat))
    assert person is not None and account is not None and chat is not None
    assert person.display_name == (CLEAN + HUGE)[: max_length(Person.display_name)]
    assert account.username == ("u" + "x" * 200)[: max_length(Account.username)]
    assert chat.title == (CLEAN + HUGE)[: max_length(Chat.title)]
    await _no_control_characters(app)
    assert not caplog.records


async def test_every_string_column_has_its_limit_in_the_model() -> None:
    """The limits the bot enforces are the models' own: every String has a length."""
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String) and type(column.type) is String:
                assert column.type.length, f"{table.name}.{column.name}"


async def test_a_document_with_nul_and_superscripts_imports_clean(
    app: App, admin: User, caplog: pytest.LogCaptureFixture
) -> None:
    """A document is text from outside too: its NULs go, its "05¹" is no date and breaks
    neither the import nor the questions, /sukien or /thongke after it."""
    caplog.set_level(logging.ERROR)
    text = (
        "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN\x00\nSỞ XÂY DỰNG\n"
        "KẾ HOẠCH\nPhát động phong trào thi đua năm 2026\n"
        "I. MỤC ĐÍCH\n1. Hoàn thành ngày 05¹ tháng 3² năm 2026 các nhiệm vụ.\x00\n"
        "2. Kỷ niệm 96¹ năm ngày thành lập Đảng (03/02/1930 - 03/02/2026).\n"
    )
    await import_document(app.db, text, "ke-hoach\x00-2026¹.txt", year=2026)
    names = await _values(app, CampaignDocument.source_name)
    assert "ke-hoach-2026¹.txt" in names
    for question in ("/hoi ngày 05¹ tháng 3 làm gì?", "/sukien", "/thongke", "/camket"):
        _polite(await admin.say(question))
    await _no_control_characters(app)
    assert not caplog.records


def test_cli_arguments_that_are_stored_are_cleaned_and_bounded(
    database_url: str, tmp_path: Path
) -> None:
    """The command line stores units, invites and admins: the same cleaning, the same
    limits, and a one-line error with status 2 where the chat would say it politely."""
    csv = tmp_path / "units.csv"
    csv.write_text("code,name,kind\nKT,Phòng Kế\x00 toán¹,department\n", encoding="utf-8")
    imported = run_cli("units", "import", str(csv), database_url=database_url, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    listed = run_cli("units", "list", database_url=database_url, cwd=tmp_path)
    assert "Phòng Kế toán¹" in listed.stdout and "\x00" not in listed.stdout
    for args, message in (
        (("invite", "KT", "--uses", "99999999999999999999"), "--uses phải là số nguyên từ 1 đến 10000."),
        (("invite", "KT", "--days", "²"), "--days phải là số nguyên từ 1 đến 3660."),
        (("events", "--days", "99999999"), "--days phải là số nguyên từ 1 đến 3660."),
        (("campaign", "show", "2147483648"), "Mã văn bản phải là số (xem campaign list): 2147483648"),
        (("admin", "grant", "telegram:" + "9" * 70), "Nội dung quá dài: tối đa 64 ký tự (bạn gửi 70). Bạn rút gọn rồi gửi lại nhé."),
    ):  # fmt: skip
        result = run_cli(*args, database_url=database_url, cwd=tmp_path)
        assert (result.returncode, result.stderr.strip()) == (2, message), args
        assert "Traceback" not in result.stderr
    granted = run_cli("admin", "grant", "telegram:\x00123", database_url=database_url, cwd=tmp_path)
    assert (granted.returncode, granted.stdout.strip()) == (
        0,
        "Đã cấp quyền quản trị viên cho tài khoản telegram:123.",
    )
