"""The command line as an operator runs it: real processes, real database."""

import re
from pathlib import Path

from tests.conftest import run_cli

UNITS_CSV = """code,name,kind
LD,Lãnh đạo Sở,leadership
VP,Văn phòng,department
CDCS,Công đoàn cơ sở Sở GTVT,
CD,Chi đoàn Sở GTVT,youth
"""


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_units_import_then_list(database_url: str, tmp_path: Path) -> None:
    write(tmp_path, "units.csv", UNITS_CSV)
    result = run_cli("units", "import", "units.csv", database_url=database_url, cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, "Đã nhập 4 đơn vị.")
    listed = run_cli("units", "list", database_url=database_url, cwd=tmp_path)
    assert listed.stdout.splitlines() == [
        "CD\tChi đoàn Sở GTVT\tyouth\t0",
        "CDCS\tCông đoàn cơ sở Sở GTVT\tunion\t0",
        "LD\tLãnh đạo Sở\tleadership\t0",
        "VP\tVăn phòng\tdepartment\t0",
    ]


def test_a_bad_csv_imports_nothing_and_names_the_lines(database_url: str, tmp_path: Path) -> None:
    write(tmp_path, "dup.csv", "code,name,kind\nVP,Văn phòng,\nKT,Kế toán,\nvp,Trùng,\n")
    result = run_cli("units", "import", "dup.csv", database_url=database_url, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "dòng 4: mã VP trùng với dòng 2",
        "Không nhập đơn vị nào: sửa các lỗi trên rồi nhập lại cả tệp.",
    ]
    write(tmp_path, "cols.csv", "code,name\nVP,Văn phòng\n")
    result = run_cli("units", "import", "cols.csv", database_url=database_url, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "dòng 1: thiếu cột kind (dòng đầu phải là: code,name,kind)"
    )
    listed = run_cli("units", "list", database_url=database_url, cwd=tmp_path)
    assert listed.stdout.strip() == "Chưa có đơn vị nào."
    assert "Traceback" not in result.stderr


def test_import_refuses_codes_already_in_the_database(database_url: str, tmp_path: Path) -> None:
    write(tmp_path, "a.csv", "code,name,kind\nVP,Văn phòng,\n")
    write(tmp_path, "b.csv", "code,name,kind\nKT,Kế toán,\nVP,Văn phòng 2,\n")
    assert (
        run_cli("units", "import", "a.csv", database_url=database_url, cwd=tmp_path).returncode == 0
    )
    result = run_cli("units", "import", "b.csv", database_url=database_url, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "dòng 3: đã có đơn vị mã VP trong cơ sở dữ liệu"
    listed = run_cli("units", "list", database_url=database_url, cwd=tmp_path)
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == ["VP"]


def test_import_of_a_missing_file(database_url: str, tmp_path: Path) -> None:
    result = run_cli("units", "import", "nope.csv", database_url=database_url, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Không đọc được tệp nope.csv:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_invite_prints_the_code_alone(database_url: str, tmp_path: Path) -> None:
    write(tmp_path, "units.csv", UNITS_CSV)
    run_cli("units", "import", "units.csv", database_url=database_url, cwd=tmp_path)
    result = run_cli(
        "invite",
        "vp",
        "--role",
        "member",
        "--uses",
        "3",
        "--days",
        "7",
        database_url=database_url,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"[A-Z2-9]{8}\n", result.stdout)


def test_invite_bad_input(database_url: str, tmp_path: Path) -> None:
    write(tmp_path, "units.csv", UNITS_CSV)
    run_cli("units", "import", "units.csv", database_url=database_url, cwd=tmp_path)
    cases = {  # a malformed number exits 2, as argparse does; a wrong value 1
        ("invite", "XX"): (1, "Không có đơn vị mã XX. Gõ /donvi để xem danh sách đơn vị."),
        ("invite", "VP", "--uses", "0"): (2, "--uses phải là số nguyên từ 1 đến 10000."),
        ("invite", "VP", "--days", "abc"): (2, "--days phải là số nguyên từ 1 đến 3660."),
        ("invite", "VP", "--role", "boss"): (
            1,
            'Không hiểu vai trò "boss". Các vai trò: thanh vien, van dong, truong.',
        ),
        ("invite", "VP", "--role", "lead", "--uses", "3"): (
            1,
            "Mã mời vai trò trưởng đơn vị chỉ dùng được một lần, cho đúng một người.",
        ),
        ("invite", "VP", "--uses", "99999999999999999999"): (
            2,
            "--uses phải là số nguyên từ 1 đến 10000.",
        ),
        ("invite", "VP", "--days", "91"): (1, "Số ngày hiệu lực phải từ 1 đến 90 (bạn ghi 91)."),
    }
    for args, (status, message) in cases.items():
        result = run_cli(*args, database_url=database_url, cwd=tmp_path)
        assert (result.returncode, result.stdout, result.stderr.strip()) == (status, "", message)


def test_admin_grant(database_url: str, tmp_path: Path) -> None:
    result = run_cli("admin", "grant", "Telegram:12345", database_url=database_url, cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (
        0,
        "Đã cấp quyền quản trị viên cho tài khoản telegram:12345.",
    )
    bad = run_cli("admin", "grant", "12345", database_url=database_url, cwd=tmp_path)
    assert bad.returncode == 1
    assert bad.stderr.strip() == (
        '"12345" không đúng dạng nền_tảng:mã_người_dùng (ví dụ telegram:123456789).'
    )


def test_db_upgrade_and_english_output(empty_database_url: str, tmp_path: Path) -> None:
    result = run_cli(
        "db", "upgrade", database_url=empty_database_url, cwd=tmp_path, env={"BOT_LANGUAGE": "en"}
    )
    assert (result.returncode, result.stdout.strip()) == (0, "The database is up to date.")


def test_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    result = run_cli(
        "units",
        "list",
        database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Không kết nối được cơ sở dữ liệu")
    assert len(result.stderr.strip().splitlines()) == 1


def test_wrong_arguments_are_one_line(tmp_path: Path) -> None:
    for args in (("invite",), ("units", "explode"), ("nonsense",)):
        result = run_cli(*args, database_url="sqlite+aiosqlite:///x.db", cwd=tmp_path)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("python -m bot")
