"""Pledges through `python -m bot console`, then `stats --json` and `export`, as processes."""

import json
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import found, run_cli
from tests.documents import campaign_text, this_year

ADMIN = {"BOT_ADMINS": "console:boss"}
YEAR = this_year()


def _invite(database_url: str, tmp_path: Path) -> str:
    """This year's campaign imported (the processes read the real clock), a unit, a code."""
    (tmp_path / "ke-hoach.txt").write_text(campaign_text(YEAR), encoding="utf-8")
    imported = run_cli(
        "campaign", "import", "ke-hoach.txt", database_url=database_url, cwd=tmp_path
    )
    assert imported.returncode == 0, imported.stderr
    made = run_cli(
        "console",
        "--user",
        "boss",
        database_url=database_url,
        cwd=tmp_path,
        env=ADMIN,
        stdin="/donvi them KT Phòng Kế toán\n/moi KT\n/tudanhgia mo\n",
    )
    return found(r": ([A-Z0-9]{8})\n", made.stdout)


def test_pledges_both_ways_then_stats_and_export(database_url: str, tmp_path: Path) -> None:
    code = _invite(database_url, tmp_path)
    guided = run_cli(
        "console",
        "--user",
        "lan",
        "--name",
        "Lan",
        database_url=database_url,
        cwd=tmp_path,
        stdin=f"/start {code}\n/dangky\n1\nHoàn thành hồ sơ\nxong\n2\n1\n/tiendo 70 xong dự thảo\n"
        "/tudanhgia tot\n",
    )
    assert f"Đã lưu đăng ký thi đua năm {YEAR}" in guided.stdout, guided.stdout
    assert "Đã ghi tiến độ chung: 70%." in guided.stdout
    one_line = run_cli(
        "console",
        "--user",
        "minh",
        "--name",
        "Minh",
        database_url=database_url,
        cwd=tmp_path,
        stdin=f"/start {code}\ndang ky cstdcs; Sáng kiến; Không chậm muộn\ntien do 2 50\n",
    )
    assert "Danh hiệu: Chiến sĩ thi đua cơ sở" in one_line.stdout
    assert "Tiến độ chung: 25%." in one_line.stdout

    stats = json.loads(run_cli("stats", "--json", database_url=database_url, cwd=tmp_path).stdout)
    assert stats["units"] == [
        {
            "code": "KT",
            "members": 2,
            "pledged": 2,
            "progress_avg": 47.5,
            "ratings": {"excellent": 0, "good": 0, "done": 0, "failed": 0, "unrated": 2},
            "self_assessed": {"excellent": 0, "good": 1, "done": 0, "failed": 0, "unrated": 1},
            "activities": {
                "held": 0,
                "signed_up": 0,
                "attended": 0,
                "absent": 0,
                "attendance_rate": None,
                "contributed": 0,
                "contributions": 0,
            },
            "targets_met": {"done": None, "good": None, "excellent": None},
            "targets_status": {"done": "not_rated", "good": "not_rated", "excellent": "not_rated"},
            "excellent_over_limit": False,
        }
    ]
    assert stats["department"]["members"] == 2
    one = run_cli("stats", "--unit", "kt", database_url=database_url, cwd=tmp_path)
    assert "Đăng ký thi đua: 2/2 (100%)" in one.stdout
    assert "department" not in json.loads(
        run_cli("stats", "--unit", "KT", "--json", database_url=database_url, cwd=tmp_path).stdout
    )

    written = run_cli("export", "report.xlsx", database_url=database_url, cwd=tmp_path)
    assert written.stdout.strip() == "Đã ghi báo cáo vào report.xlsx."
    book = load_workbook(tmp_path / "report.xlsx")
    names = sorted(str(row[0].value) for row in book["KT"].iter_rows(min_row=2))
    assert names == ["Lan", "Minh"]


def test_stats_and_export_bad_input(database_url: str, tmp_path: Path) -> None:
    unknown = run_cli("stats", "--unit", "ZZ", database_url=database_url, cwd=tmp_path)
    assert (unknown.returncode, unknown.stderr.strip()) == (
        1,
        "Không có đơn vị mã ZZ. Gõ /donvi để xem danh sách đơn vị.",
    )
    blocked = run_cli("export", "no/such/folder/r.xlsx", database_url=database_url, cwd=tmp_path)
    assert blocked.returncode == 1
    assert (
        blocked.stderr.strip() == "Không ghi được no/such/folder/r.xlsx: No such file or directory"
    )
    assert not (tmp_path / "no").exists()


def test_the_registration_deadline_is_set_per_campaign(database_url: str, tmp_path: Path) -> None:
    code = _invite(database_url, tmp_path)
    past = run_cli("campaign", "deadline", f"{YEAR}-01-01", database_url=database_url, cwd=tmp_path)
    assert past.stdout.strip() == f"Hạn đăng ký thi đua năm {YEAR}: hết ngày 01/01/{YEAR}."
    late = run_cli(
        "console",
        "--user",
        "lan",
        database_url=database_url,
        cwd=tmp_path,
        stdin=f"/start {code}\n/dangky LĐTT; Hồ sơ\n/dangky CSTĐCS; Hồ sơ\n",
    )
    assert f"Hạn đăng ký thi đua đã hết ngày 01/01/{YEAR}" in late.stdout
    moved = run_cli("campaign", "deadline", "2099-04-15", database_url=database_url, cwd=tmp_path)
    assert moved.stdout.strip() == f"Hạn đăng ký thi đua năm {YEAR}: hết ngày 15/04/2099."
    again = run_cli(
        "console",
        "--user",
        "lan",
        database_url=database_url,
        cwd=tmp_path,
        stdin="/dangky CSTĐCS; Hồ sơ\n1\n",
    )
    assert f"Đã thay đăng ký thi đua năm {YEAR}" in again.stdout
    for args, message in {
        (
            "campaign",
            "deadline",
            "15/04/2025",
        ): '"15/04/2025" không phải ngày dạng YYYY-MM-DD, ví dụ 2025-04-15.',
        (
            "campaign",
            "deadline",
            "2025-04-15",
            "--year",
            "2019",
        ): f"Không có phong trào thi đua nào của năm 2019. Các năm có phong trào: {YEAR}.",
    }.items():
        result = run_cli(*args, database_url=database_url, cwd=tmp_path)
        assert (result.returncode, result.stderr.strip()) == (1, message)
