"""End to end through `python -m bot console` and a pipe, as a person would script it."""

import contextlib
import io
import os
import pty
import re
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select as query

from bot.app import App
from bot.channels.console import ConsoleChannel, ConsoleSession, _watchable
from storage.models import Chat, Outbox
from tests.conftest import INVITE_CODE, Clock, User, bot_environment, found, members_of_kt, run_cli


def test_a_new_user_is_greeted_in_vietnamese_with_their_commands(
    database_url: str, tmp_path: Path
) -> None:
    result = run_cli("console", database_url=database_url, cwd=tmp_path, stdin="/start\n/trogiup\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Xin chào bạn! Mình là trợ lý phong trào thi đua")
    assert "Bạn chưa thuộc đơn vị nào. Bạn dùng được các lệnh sau:" in result.stdout
    for command in ("/start", "/trogiup", "/ngonngu", "/xoadulieu"):
        assert f"{command} — " in result.stdout
    assert "/moi — " not in result.stdout
    assert result.stderr == ""


def test_admin_makes_a_unit_and_an_invite_and_a_new_user_joins(
    database_url: str, tmp_path: Path
) -> None:
    admin_env = {"BOT_ADMINS": "console:boss"}
    admin = run_cli(
        "console",
        "--user",
        "boss",
        "--name",
        "Văn phòng",
        database_url=database_url,
        cwd=tmp_path,
        env=admin_env,
        stdin="/donvi them KT Phòng Kế hoạch - Tài chính\n/moi KT\n",
    )
    assert admin.returncode == 0, admin.stderr
    assert "Đã thêm đơn vị Phòng Kế hoạch - Tài chính (KT) (phòng, ban)." in admin.stdout
    code = re.search(r"Mã mời vào Phòng Kế hoạch - Tài chính \(KT\): ([A-Z0-9]{8})", admin.stdout)
    assert code, admin.stdout

    lan = run_cli(
        "console",
        "--user",
        "lan",
        "--name",
        "Lan",
        database_url=database_url,
        cwd=tmp_path,
        stdin=f"/start {code.group(1)}\ntro giup\n",
    )
    assert lan.returncode == 0, lan.stderr
    assert (
        "Chào mừng bạn đến với Phòng Kế hoạch - Tài chính (KT)! Vai trò của bạn: thành viên."
        in lan.stdout
    )
    assert "Vai trò của bạn: thành viên. Bạn dùng được các lệnh sau:" in lan.stdout

    listed = run_cli("units", "list", database_url=database_url, cwd=tmp_path)
    assert listed.stdout.strip() == "KT\tPhòng Kế hoạch - Tài chính\tdepartment\t1"


def test_numbered_options_and_bad_lines_in_the_console(database_url: str, tmp_path: Path) -> None:
    result = run_cli(
        "console",
        database_url=database_url,
        cwd=tmp_path,
        stdin="/xoadulieu\n2\n\n" + "x" * 5000 + "\n/moi\n",
    )
    out = result.stdout
    assert "  1. Xoá hết\n  2. Không, giữ lại" in out
    assert "Đã huỷ, dữ liệu của bạn vẫn được giữ nguyên." in out
    assert "Mình chưa nhận được nội dung nào." in out
    assert "Tin nhắn dài quá (5000 ký tự)." in out
    assert "Bạn chưa thuộc đơn vị nào nên chưa dùng được /moi." in out
    assert "Traceback" not in result.stderr and result.returncode == 0


def test_group_console_answers_commands_and_mentions_only(
    database_url: str, tmp_path: Path
) -> None:
    result = run_cli(
        "console",
        "--group",
        "--chat",
        "g1",
        "--user",
        "lan",
        database_url=database_url,
        cwd=tmp_path,
        stdin="chào cả nhà\n@bot tro giup\n/lienket KT\n",
    )
    replies = result.stdout.strip().split("\n\n")
    assert replies[0].startswith("Bạn chưa thuộc đơn vị nào.")
    assert replies[-1].startswith("Bạn chưa thuộc đơn vị nào nên chưa dùng được /lienket.")
    assert "chào" not in result.stdout


def test_the_main_job_without_a_token_is_the_console(database_url: str, tmp_path: Path) -> None:
    result = run_cli(database_url=database_url, cwd=tmp_path, stdin="/start\n")
    assert result.returncode == 0
    assert result.stdout.startswith("Xin chào bạn!")
    # A fresh install runs after its bundled 2025 sample: whoever starts it is told at once.
    assert result.stderr.startswith("Lưu ý: chưa có phong trào thi đua nào cho năm ")


def test_a_report_is_written_into_the_data_folder_and_named_in_full(
    database_url: str, tmp_path: Path
) -> None:
    """/baocao in the console writes into BOT_DATA_DIR (default ./data, made when missing), not
    wherever the bot was started, and prints the whole path of the file."""
    admin = {"BOT_ADMINS": "console:local"}
    result = run_cli(
        "console", database_url=database_url, cwd=tmp_path, env=admin, stdin="/baocao 2025\n"
    )
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "data" / "bao-cao-thi-dua-2025.xlsx").resolve()
    assert written.read_bytes()[:2] == b"PK"
    assert f"  [{written}, " in result.stdout
    assert not list(tmp_path.glob("*.xlsx"))

    elsewhere = run_cli(
        "console",
        database_url=database_url,
        cwd=tmp_path,
        env={**admin, "BOT_DATA_DIR": "bao-cao/2025"},
        stdin="/baocao 2025\n",
    )
    moved = (tmp_path / "bao-cao" / "2025" / "bao-cao-thi-dua-2025.xlsx").resolve()
    assert moved.is_file()
    assert f"  [{moved}, " in elsewhere.stdout


def test_ctrl_c_at_the_prompt_stops_at_once(database_url: str, tmp_path: Path) -> None:
    """At an interactive prompt (stdin a terminal), Ctrl+C ends the console without waiting for
    Enter: a readline blocked in a worker thread used to keep asyncio from exiting."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=bot_environment(database_url),
    )
    os.close(terminal)
    assert process.stdout is not None
    output = process.stdout.fileno()

    def wait_for(end: bytes, shown: bytes = b"") -> bytes:
        """The output up to `end`, waiting at most a minute for each piece of it."""
        while not shown.endswith(end):
            ready, _, _ = select.select([output], [], [], 60)
            assert ready, f"no {end!r}; so far {shown!r}"
            chunk = os.read(output, 4096)
            assert chunk, f"the console ended before {end!r}: {shown!r}"
            shown += chunk
        return shown

    try:
        wait_for(b"> ")  # the prompt
        os.write(controller, b"/start\n")
        # The answer, then the prompt again: the console reads its next line (the old worker
        # thread is up and blocked in readline by now).
        assert "Xin chào bạn!" in wait_for(b"\n\n> ").decode()
        process.send_signal(signal.SIGINT)
        try:
            _, errors = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            pytest.fail("Ctrl+C did not stop the console: it waited for a line")
    finally:
        os.close(controller)
    assert process.returncode in (0, 130)
    assert b"Traceback" not in errors


async def test_lines_from_a_pipe_are_read_to_the_end_without_a_thread() -> None:
    """The loop watches a pipe: every line comes, a character split between two writes is
    whole, and the last line needs no newline."""
    reading, writing = os.pipe()
    try:
        os.write(writing, b"a\nb" + "á".encode()[:1])
        os.write(writing, "á".encode()[1:] + b"\nc")
        os.close(writing)
        with os.fdopen(reading, encoding="utf-8") as stream:
            assert _watchable(stream) == reading
            lines = [line async for line in ConsoleChannel(None, stdin=stream).lines()]  # type: ignore[arg-type]
    finally:
        with contextlib.suppress(OSError):
            os.close(writing)
    assert lines == ["a\n", "bá\n", "c"]


async def test_the_console_prints_reminders_when_due_while_it_runs(
    app: App, admin: User, clock: Clock
) -> None:
    """`python -m bot console` runs the scheduler beside the chat (ConsoleSession): a reminder
    for the console's own chat is printed in it when due; one for another console chat is
    printed with that chat's id; one for a Telegram chat waits in the outbox for the process
    that runs Telegram, and nothing breaks. The clock is the test's: no waiting."""
    head, _ = await members_of_kt(app, admin)
    phone = User(app, "tg-7", name="Minh", platform="telegram")
    await phone.say(f"/start {found(INVITE_CODE, await admin.say('/moi KT'))}")
    assert (await phone.say("/nhacnho 1 phút nữa gọi điện")).startswith("Đã đặt nhắc việc")
    assert (await head.say("/nhacnho 1 phút nữa họp giao ban")).startswith("Đã đặt nhắc việc")

    out = io.StringIO()
    chat = ConsoleChannel(
        app.router, user_id="lan", stdin=io.StringIO("/nhacnho 1 phút nữa uống nước\n"), stdout=out
    )
    session = ConsoleSession(app, chat)
    await session.run()
    assert "Đã đặt nhắc việc #3 cho bạn" in out.getvalue()
    assert "🔔" not in out.getvalue()  # not due yet

    clock.advance(minutes=2)
    try:
        await session.scheduler.tick(clock())  # leads again: step down after
    finally:
        await session.leader.release()
    printed = out.getvalue()
    assert "\n🔔 Nhắc việc: uống nước\n  1. Nhắc lại sau 1 giờ\n" in printed
    assert "[→ lan]" not in printed  # the console's own chat: printed as the chat shows it
    assert "[→ head] 🔔 Nhắc việc: họp giao ban" in printed
    assert "gọi điện" not in printed
    async with app.db.transaction() as session_db:
        rows = await session_db.scalars(query(Outbox).join(Chat).where(Chat.platform == "telegram"))
        waiting = [(row.status, row.last_error) for row in rows]
    assert waiting == [("pending", "no channel for telegram")]


async def test_the_console_prints_what_came_due_while_it_was_closed(
    app: App, admin: User, clock: Clock
) -> None:
    _, lan = await members_of_kt(app, admin)
    await lan.say("/nhacnho 1 phút nữa nộp báo cáo")
    clock.advance(minutes=5)
    out = io.StringIO()
    await ConsoleSession(
        app, ConsoleChannel(app.router, user_id="lan", stdin=io.StringIO(""), stdout=out)
    ).run()
    assert out.getvalue().startswith("🔔 Nhắc việc (gửi trễ): nộp báo cáo")
