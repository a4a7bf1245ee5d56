"""Issue 13, item 7 on the command line: `admin list|revoke`, `units edit|delete` and
`audit [--json] [--limit N]`, calling the functions the chat calls."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

from bot.app import App
from storage import audit
from tests.conftest import User, members_of_kt, row_counts, run_cli


async def _cli(
    *args: str, database_url: str, cwd: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    """`python -m bot …` beside the running bot: in a thread, as main runs its own loop."""
    return await asyncio.to_thread(run_cli, *args, database_url=database_url, cwd=cwd, env=env)


async def test_admin_list_and_revoke(database_url: str, tmp_path: Path) -> None:
    settings = {"BOT_ADMINS": "telegram:1"}
    assert (await _cli("admin", "list", database_url=database_url, cwd=tmp_path)).stdout == (
        "Chưa có quản trị viên nào.\n"
    )
    await _cli("admin", "grant", "zalo:77", database_url=database_url, cwd=tmp_path)
    listed = await _cli("admin", "list", database_url=database_url, cwd=tmp_path, **settings)
    assert (listed.returncode, listed.stdout) == (
        0,
        "telegram:1\t\tBOT_ADMINS\nzalo:77\t\tcấp trong cơ sở dữ liệu\n",
    )
    refused = await _cli(
        "admin", "revoke", "Telegram:1", database_url=database_url, cwd=tmp_path, **settings
    )
    assert (refused.returncode, refused.stdout, refused.stderr) == (
        1,
        "",
        "Tài khoản telegram:1 là quản trị viên theo cấu hình BOT_ADMINS, không thu hồi được ở "
        "đây. Bỏ tài khoản khỏi BOT_ADMINS rồi khởi động lại bot.\n",
    )
    for ref, message in {
        "zalo:78": "Tài khoản zalo:78 không phải quản trị viên.",
        "78": '"78" không đúng dạng nền_tảng:mã_người_dùng (ví dụ telegram:123456789).',
    }.items():
        bad = await _cli("admin", "revoke", ref, database_url=database_url, cwd=tmp_path)
        assert (bad.returncode, bad.stderr.strip()) == (1, message)
    done = await _cli("admin", "revoke", "zalo:77", database_url=database_url, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "Tài khoản zalo:77 không còn là quản trị viên.\n")
    again = await _cli("admin", "revoke", "zalo:77", database_url=database_url, cwd=tmp_path)
    assert again.returncode == 1
    assert (await _cli("admin", "list", database_url=database_url, cwd=tmp_path)).stdout == (
        "Chưa có quản trị viên nào.\n"
    )
    log = (
        await _cli("audit", "--json", database_url=database_url, cwd=tmp_path)
    ).stdout.splitlines()
    lines = [json.loads(line) for line in log]
    assert [(e["actor"], e["action"], e["target"]) for e in lines] == [
        ("cli", "admin.grant", "zalo:77"),
        ("cli", "admin.revoke", "zalo:77"),
    ]
    assert set(lines[0]) == {"at", "actor", "action", "target", "detail"}


async def test_a_revoked_admin_loses_the_admin_commands(
    app: App, database_url: str, tmp_path: Path
) -> None:
    await _cli("admin", "grant", "console:boss", database_url=database_url, cwd=tmp_path)
    boss = User(app, "boss")
    assert "Nhật ký thay đổi" in await boss.say("/nhatky")
    await _cli("admin", "revoke", "console:boss", database_url=database_url, cwd=tmp_path)
    assert await boss.say("/nhatky") == (
        "Bạn chưa thuộc đơn vị nào nên chưa dùng được /nhatky. Hãy xin mã mời từ trưởng đơn vị "
        "hoặc cán bộ phụ trách rồi gõ /start MÃ để tham gia; sau đó gõ /trogiup để xem các lệnh."
    )


async def test_units_edit_and_delete(
    app: App, admin: User, database_url: str, tmp_path: Path
) -> None:
    _, lan = await members_of_kt(app, admin)
    await admin.say("/donvi them VP Văn phòng")
    edit = await _cli(
        "units", "edit", "kt", "--name", "Phòng KH-TC", "--code", "khtc",
        database_url=database_url, cwd=tmp_path,
    )  # fmt: skip
    assert (edit.returncode, edit.stdout) == (0, "KHTC\tPhòng KH-TC\tdepartment\n")
    assert await lan.say("/donvi") == "Đơn vị của bạn:\n• Phòng KH-TC (KHTC): thành viên"
    before = await row_counts(app)
    for args, message in {
        ("units", "edit", "KHTC", "--code", "VP"): "Đã có đơn vị mã VP.",
        ("units", "edit", "ZZ", "--name", "X"): (
            "Không có đơn vị mã ZZ. Gõ /donvi để xem danh sách đơn vị."
        ),
        ("units", "edit", "KHTC", "--kind", "club"): (
            'Không hiểu loại đơn vị "club". Các loại: phong ban, cong doan, doan thanh nien, '
            "lanh dao."
        ),
        ("units", "edit", "KHTC", "--name", "x" * 300): (
            "Tên đơn vị dài quá (300 ký tự). Bạn đặt tên tối đa 200 ký tự nhé."
        ),
        ("units", "delete", "KHTC"): (
            "Đơn vị KHTC đang có 2 thành viên, 0 nhóm chat liên kết và 0 lời nhắc. Chạy lại "
            "với --yes để xoá."
        ),
        ("units", "delete", "ZZ", "--yes"): (
            "Không có đơn vị mã ZZ. Gõ /donvi để xem danh sách đơn vị."
        ),
    }.items():
        result = await _cli(*args, database_url=database_url, cwd=tmp_path)
        assert (result.returncode, result.stdout, result.stderr.strip()) == (1, "", message)
    assert await row_counts(app) == before
    deleted = await _cli(
        "units", "delete", "khtc", "--yes", database_url=database_url, cwd=tmp_path
    )
    assert (deleted.returncode, deleted.stdout) == (
        0,
        "Đã xoá đơn vị KHTC: 2 thành viên rời đơn vị, 0 nhóm chat bỏ liên kết, 0 lời nhắc dừng.\n",
    )
    assert (await _cli("units", "list", database_url=database_url, cwd=tmp_path)).stdout == (
        "VP\tVăn phòng\tdepartment\t0\n"
    )
    async with app.db.transaction() as session:
        entries = [(e.actor, e.action, e.target) for e in await audit.entries(session)]
    assert entries[-2:] == [("cli", "unit.edit", "KT"), ("cli", "unit.delete", "KHTC")]


async def test_audit_lines_and_json(
    app: App, admin: User, database_url: str, tmp_path: Path
) -> None:
    await admin.say("/donvi them KT Phòng Kế toán")
    plain = await _cli("audit", "--limit", "1", database_url=database_url, cwd=tmp_path)
    assert (plain.returncode, plain.stdout) == (
        0,
        '02/03/2026 09:00\tconsole:admin\tunit.add\tKT\t{"kind": "department"}\n',
    )
    both = await _cli("audit", "--json", database_url=database_url, cwd=tmp_path)
    lines = [json.loads(line) for line in both.stdout.splitlines()]
    assert [e["action"] for e in lines] == ["document.import", "unit.add"]  # oldest first
    assert lines[1] == {
        "at": "2026-03-02T09:00:00+07:00",
        "actor": "console:admin",
        "action": "unit.add",
        "target": "KT",
        "detail": {"kind": "department"},
    }
    for bad in ("0", "²", "100001", "-3"):
        result = await _cli("audit", "--limit", bad, database_url=database_url, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (
            1,
            "--limit phải là số nguyên từ 1 đến 100000.\n",
        ), bad
