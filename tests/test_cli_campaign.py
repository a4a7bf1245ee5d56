"""`ask`, `events` and `campaign import|list` as an operator runs them."""

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import bot_environment, run_cli
from tests.documents import campaign_text, make_docx, make_pdf, make_scanned_pdf, this_year

DOCUMENTS = Path(__file__).resolve().parent / "data" / "documents"
YEAR = this_year()


def test_ask_json(database_url: str, tmp_path: Path) -> None:
    result = run_cli(
        "ask", "hạn chót là khi nào?", "--json", database_url=database_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["found"] is True
    assert got["sources"] == ["Mục III.1"]
    assert "31 tháng 12 năm 2025" in got["answer"]
    assert "(Phong trào này đã kết thúc ngày 31/12/2025.)" in got["answer"]  # the demo
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


def test_a_fresh_install_lists_the_demo_and_asks_for_this_years_document(
    database_url: str, tmp_path: Path
) -> None:
    listed = run_cli("campaign", "list", database_url=database_url, cwd=tmp_path)
    fields = listed.stdout.strip().split("\t")
    assert fields[:4] == ["2025", "#1", "Văn bản phát động", "đến hết 31/12/2025"]
    assert fields[4].startswith("Phong trào thi đua") and fields[-1] == "đã kết thúc, văn bản mẫu"
    assert listed.stderr.strip().startswith(
        f"Lưu ý: chưa có phong trào thi đua nào cho năm {YEAR}. Nhập văn bản phát động năm "
        f"{YEAR} bằng lệnh python -m bot campaign import TỆP.docx"
    )


IMPORTED = re.compile(
    r"Đã nhập Kế hoạch số 15/KH-SXD của Sở Xây dựng làm phong trào thi đua năm (\d{4}) "
    r"\(từ 12/01/\1 đến 31/12/\1\): 6 mục có tiêu đề, 4 hạn, 5 chỉ tiêu, \d+ ngày kỷ niệm\."
)


@pytest.mark.parametrize("maker", [make_docx, make_pdf], ids=["docx", "pdf"])
def test_import_this_years_plan_from_docx_and_pdf(
    database_url: str, tmp_path: Path, maker: Callable[[Path, str], Path]
) -> None:
    path = maker(tmp_path / f"ke-hoach.{maker.__name__[5:]}", campaign_text(YEAR))
    result = run_cli("campaign", "import", path.name, database_url=database_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    imported = IMPORTED.match(line)
    assert imported and imported.group(1) == str(YEAR), line
    assert line.endswith(" Văn bản mẫu của bot đã được gỡ.")
    listed = run_cli("campaign", "list", database_url=database_url, cwd=tmp_path)
    assert [row.split("\t")[-1] for row in listed.stdout.splitlines()] == ["đang diễn ra"]
    assert listed.stderr == ""
    again = run_cli("campaign", "import", path.name, database_url=database_url, cwd=tmp_path)
    assert again.stdout.strip().endswith(" Thay bản đã nhập trước.")
    assert (
        len(
            run_cli("campaign", "list", database_url=database_url, cwd=tmp_path).stdout.splitlines()
        )
        == 1
    )


def test_a_regulation_goes_to_the_library_and_is_shown(database_url: str, tmp_path: Path) -> None:
    source = (DOCUMENTS / "ubnd-bacninh-quy-dinh-tdkt-2025.txt").read_text("utf-8")
    (tmp_path / "quy-dinh.txt").write_text(source.split("\n", 2)[2], encoding="utf-8")
    result = run_cli("campaign", "import", "quy-dinh.txt", database_url=database_url, cwd=tmp_path)
    assert result.stdout.startswith(
        "Đã nhập Quyết định số 86/2025/QĐ-UBND của Ủy ban nhân dân tỉnh Bắc Ninh vào thư viện "
        "văn bản (quy định, hướng dẫn dùng chung các năm):"
    ), result.stdout
    listed = run_cli("campaign", "list", database_url=database_url, cwd=tmp_path).stdout
    assert listed.strip().split("\t")[-1] == "thư viện"
    key = listed.split("\t")[1].lstrip("#")
    shown = json.loads(
        run_cli("campaign", "show", key, "--json", database_url=database_url, cwd=tmp_path).stdout
    )
    assert (shown["kind"], shown["number"], shown["issued_on"], shown["signer"]) == (
        "quyet_dinh",
        "86/2025/QĐ-UBND",
        "2025-12-03",
        "Phạm Hoàng Sơn",
    )
    assert shown["period"] == {
        "start": None,
        "end": None,
        "text": None,
        "until": None,
        "rounds": [],
    }
    assert {"date": "2025-12-10", "text": shown["deadlines"][0]["text"]}.items() <= shown[
        "deadlines"
    ][0].items()
    assert [t["value"] for t in shown["targets"]][:3] == ["100%", "70%", "70%"]
    assert shown["theme"] is None and shown["warnings"] == []
    text = run_cli("campaign", "show", key, database_url=database_url, cwd=tmp_path).stdout
    assert text.startswith(
        "Quyết định số 86/2025/QĐ-UBND của Ủy ban nhân dân tỉnh Bắc Ninh: Ban hành"
    )
    assert "Thời gian: văn bản không ghi thời gian kết thúc" in text
    asked = json.loads(
        run_cli("ask", "ai ky quyet dinh", "--json", database_url=database_url, cwd=tmp_path).stdout
    )
    assert asked["found"] and "Phạm Hoàng Sơn" in asked["answer"]
    forced = run_cli(
        "campaign", "import", "quy-dinh.txt", "--library", database_url=database_url, cwd=tmp_path
    )
    assert "Thay bản đã nhập trước." in forced.stdout  # the same number: replaced, not doubled


def test_two_imports_at_once_store_both_whole(database_url: str, tmp_path: Path) -> None:
    """Two operators import at the same moment (two processes): both documents are stored
    whole, the demo goes once, and the same document twice is one row."""
    names = ["ubnd-cantho-dan-van-2025", "ubnd-haiphong-xep-loai-2025"]
    for name in names:
        text = (DOCUMENTS / f"{name}.txt").read_text("utf-8").split("\n", 2)[2]
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    environment = bot_environment(database_url)

    def start(name: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "campaign", "import", f"{name}.txt"],
            cwd=tmp_path, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    running = [start(names[0]), start(names[1]), start(names[1])]
    outcomes = [
        (p.returncode, out, err) for p in running for out, err in [p.communicate(timeout=120)]
    ]
    assert [code for code, _, _ in outcomes] == [0, 0, 0], outcomes
    listed = run_cli("campaign", "list", database_url=database_url, cwd=tmp_path).stdout
    assert sorted(row.split("\t")[2] for row in listed.splitlines()) == [
        "Quyết định 212/2025/QĐ-UBND",
        "Quyết định 2579/QĐ-UBND",
    ]


def test_refused_files_store_nothing(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "plain.txt").write_text(
        "Chỉ là một đoạn văn.\n\nKhông có mục nào.", encoding="utf-8"
    )
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 old word")
    make_scanned_pdf(tmp_path / "scan.pdf")
    with (tmp_path / "huge.txt").open("wb") as huge:
        huge.truncate(60 * 1024 * 1024)  # sparse: no disk used
    expected = {
        "empty.txt": "Không nhập empty.txt: Tệp không có nội dung.",
        "plain.txt": "Không nhập plain.txt: Không xác định được năm của văn bản; hãy ghi rõ bằng --year.",
        "photo.jpg": "Không nhập photo.jpg: Chỉ nhận tệp .txt, .docx hoặc .pdf.",
        "broken.pdf": "Không nhập broken.pdf: Không đọc được nội dung tệp (tệp hỏng hoặc không phải văn bản).",
        "missing.txt": "Không nhập missing.txt: Không có tệp này.",
    }
    for name, message in expected.items():
        result = run_cli("campaign", "import", name, database_url=database_url, cwd=tmp_path)
        assert (result.returncode, result.stderr.strip()) == (1, message)
    for name, words in {
        "old.doc": "Lưu thành",
        "scan.pdf": "OCR",
        "huge.txt": "50 MB",
    }.items():
        result = run_cli("campaign", "import", name, database_url=database_url, cwd=tmp_path)
        assert (
            result.returncode == 1 and words in result.stderr and "Traceback" not in result.stderr
        )
    bad_year = run_cli(
        "campaign", "import", "empty.txt", "--year", "20x5", database_url=database_url, cwd=tmp_path
    )
    assert bad_year.stderr.strip() == "--year phải là một năm, ví dụ 2025."
    listed = run_cli("campaign", "list", database_url=database_url, cwd=tmp_path)
    assert len(listed.stdout.strip().splitlines()) == 1  # the demo, alone


def test_plain_text_with_a_year_is_kept_as_passages(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "thu.txt").write_text(
        "Kính gửi các đồng chí công đoàn viên.\n\nNăm nay Công đoàn tổ chức hiến máu nhân đạo "
        "vào sáng thứ Bảy tại hội trường.",
        encoding="utf-8",
    )
    result = run_cli(
        "campaign",
        "import",
        "thu.txt",
        "--year",
        str(YEAR),
        database_url=database_url,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Văn bản không có cấu trúc mục: đã nhập thành các đoạn văn." in result.stdout
    asked = json.loads(
        run_cli(
            "ask", "hiến máu tổ chức ở đâu", "--json", database_url=database_url, cwd=tmp_path
        ).stdout
    )
    assert asked["found"] and "hội trường" in asked["answer"]


def test_campaign_show_bad_input(database_url: str, tmp_path: Path) -> None:
    bad = run_cli("campaign", "show", "abc", database_url=database_url, cwd=tmp_path)
    assert (bad.returncode, bad.stderr.strip()) == (
        2, "Mã văn bản phải là số (xem campaign list): abc",
    )  # fmt: skip
    missing = run_cli("campaign", "show", "99", database_url=database_url, cwd=tmp_path)
    assert (missing.returncode, missing.stderr.strip()) == (1, "Không có văn bản mã 99.")
    demo = json.loads(
        run_cli("campaign", "show", "--json", database_url=database_url, cwd=tmp_path).stdout
    )
    assert demo["period"]["end"] == "2025-12-31" and len(demo["commemorations"]) == 8
