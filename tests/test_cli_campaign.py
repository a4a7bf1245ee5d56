"""`ask`, `events` and `campaign import|list` as an operator runs them."""

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.documents import make_docx, make_pdf, seed_text


def test_ask_json(database_url: str, tmp_path: Path) -> None:
    result = run_cli(
        "ask", "hạn chót là khi nào?", "--json", database_url=database_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["found"] is True
    assert got["sources"] == ["Mục III.1"]
    assert "31 tháng 12 năm 2025" in got["answer"]
    off = json.loads(
        run_cli("ask", "giá vàng hôm nay", "--json", database_url=database_url, cwd=tmp_path).stdout
    )
    assert (off["found"], off["sources"]) == (False, [])


def test_ask_an_empty_question(database_url: str, tmp_path: Path) -> None:
    result = run_cli("ask", "  ", "--json", database_url=database_url, cwd=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout)["found"] is False


DEMO_PACKS = {"BOT_PROVINCE": "lang-son", "BOT_SECTOR": "giao-thong"}
"""The bundled document is Lạng Sơn's transport department's: the packs its agency chooses."""


def test_events_json_window(database_url: str, tmp_path: Path) -> None:
    result = run_cli(
        "events",
        "--from",
        "2025-08-15",
        "--days",
        "14",
        "--json",
        database_url=database_url,
        cwd=tmp_path,
        env=DEMO_PACKS,
    )
    assert json.loads(result.stdout) == [
        {"date": "2025-08-17", "name": "Ngày sinh đồng chí Lương Văn Tri", "anniversary": 115},
        {"date": "2025-08-19", "name": "Ngày Cách mạng tháng Tám thành công", "anniversary": 80},
        {
            "date": "2025-08-28",
            "name": "Ngày truyền thống ngành Giao thông vận tải",
            "anniversary": 80,
        },
    ]
    text = run_cli(
        "events",
        "--from",
        "2025-11-01",
        "--days",
        "5",
        database_url=database_url,
        cwd=tmp_path,
        env=DEMO_PACKS,
    )
    assert text.stdout.splitlines() == [
        "Thứ Ba, 04/11/2025: Ngày sinh đồng chí Hoàng Văn Thụ (kỷ niệm 116 năm) — còn 3 ngày",
        "Thứ Ba, 04/11/2025: Ngày thành lập tỉnh Lạng Sơn (kỷ niệm 194 năm) — còn 3 ngày",
    ]
    bad = run_cli("events", "--from", "15/08/2025", database_url=database_url, cwd=tmp_path)
    assert (bad.returncode, bad.stderr.strip()) == (
        1,
        "--from phải là ngày dạng YYYY-MM-DD, ví dụ 2025-08-01.",
    )


def test_events_show_the_packs_of_the_settings_only(database_url: str, tmp_path: Path) -> None:
    window = ("events", "--from", "2025-11-01", "--days", "16", "--json")
    national = run_cli(*window, database_url=database_url, cwd=tmp_path)
    assert national.returncode == 0, national.stderr
    assert json.loads(national.stdout) == [
        {"date": "2025-11-09", "name": "Ngày Pháp luật Việt Nam", "anniversary": None},
    ]
    local = run_cli(*window, database_url=database_url, cwd=tmp_path, env=DEMO_PACKS)
    assert json.loads(local.stdout) == [
        {"date": "2025-11-04", "name": "Ngày sinh đồng chí Hoàng Văn Thụ", "anniversary": 116},
        {"date": "2025-11-04", "name": "Ngày thành lập tỉnh Lạng Sơn", "anniversary": 194},
        {"date": "2025-11-09", "name": "Ngày Pháp luật Việt Nam", "anniversary": None},
        {
            "date": "2025-11-16",
            "name": "Ngày Thế giới tưởng niệm các nạn nhân tử vong do tai nạn giao thông",
            "anniversary": None,
        },
    ]
    capital = run_cli(
        "events", "--from", "2025-10-10", "--days", "1", "--json",
        database_url=database_url, cwd=tmp_path, env={"BOT_PROVINCE": "ha-noi"},
    )  # fmt: skip
    assert json.loads(capital.stdout) == [
        {"date": "2025-10-10", "name": "Ngày Giải phóng Thủ đô", "anniversary": 71}
    ]
    wrong = run_cli(*window, database_url=database_url, cwd=tmp_path, env={"BOT_SECTOR": "gtvt"})
    assert (wrong.returncode, wrong.stdout) == (2, "")
    assert wrong.stderr.strip().splitlines() == [
        "Cấu hình sai: BOT_SECTOR: unknown pack 'gtvt'; use one of giao-thong, noi-vu, "
        "xay-dung, y-te"
    ]


def test_the_bundled_campaign_is_there_from_the_first_start(
    database_url: str, tmp_path: Path
) -> None:
    listed = run_cli("campaign", "list", database_url=database_url, cwd=tmp_path)
    line = listed.stdout.strip().split("\t")
    assert (
        line[0] == "2025" and line[1].startswith("Phong trào thi đua") and line[-1] == "đang dùng"
    )


@pytest.mark.parametrize("maker", [make_docx, make_pdf], ids=["docx", "pdf"])
def test_import_docx_and_pdf(database_url: str, tmp_path: Path, maker) -> None:  # type: ignore[no-untyped-def]
    path = maker(tmp_path / f"phat-dong.{maker.__name__[5:]}", seed_text())
    result = run_cli(
        "campaign", "import", path.name, "--year", "2026", database_url=database_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "Đã nhập văn bản năm 2026: “Phong trào thi đua, phấn đấu hoàn thành thắng lợi nhiệm vụ "
        "chính trị năm 2025” — 15 mục, 4 chỉ tiêu, 8 ngày kỷ niệm."
    )
    listed = run_cli(
        "campaign", "list", database_url=database_url, cwd=tmp_path
    ).stdout.splitlines()
    assert [row.split("\t")[0] for row in listed] == ["2026", "2025"]
    assert listed[0].endswith("đang dùng")
    again = run_cli(
        "campaign", "import", path.name, "--year", "2026", database_url=database_url, cwd=tmp_path
    )
    assert again.stdout.startswith("Đã thay văn bản năm 2026")


def test_refused_files_store_nothing(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "plain.txt").write_text(
        "Chỉ là một đoạn văn.\n\nKhông có mục nào.", encoding="utf-8"
    )
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    expected = {
        "empty.txt": "Không nhập empty.txt: Tệp không có nội dung.",
        "plain.txt": "Không nhập plain.txt: Không tìm thấy các mục I, II, III… của văn bản phát động trong tệp này.",
        "photo.jpg": "Không nhập photo.jpg: Chỉ nhận tệp .txt, .docx hoặc .pdf.",
        "broken.pdf": "Không nhập broken.pdf: Không đọc được nội dung tệp (tệp hỏng hoặc không phải văn bản).",
        "missing.txt": "Không nhập missing.txt: Không có tệp này.",
    }
    for name, message in expected.items():
        result = run_cli("campaign", "import", name, database_url=database_url, cwd=tmp_path)
        assert (result.returncode, result.stderr.strip()) == (1, message)
    bad_year = run_cli(
        "campaign", "import", "empty.txt", "--year", "20x5", database_url=database_url, cwd=tmp_path
    )
    assert bad_year.stderr.strip() == "--year phải là một năm, ví dụ 2025."
    listed = run_cli("campaign", "list", database_url=database_url, cwd=tmp_path)
    assert len(listed.stdout.strip().splitlines()) == 1
