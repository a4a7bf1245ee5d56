"""End to end through `python -m bot console` and a pipe, as a person would script it."""

import re
from pathlib import Path

from tests.conftest import run_cli


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
