"""`python -m bot backup PATH`: a checked copy of the SQLite database, made while a writer
holds the database, and the pg_dump line on PostgreSQL."""

import asyncio
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.backup import backup, pg_dump_command, target_path
from tests.conftest import run_cli

UNITS_CSV = "code,name,kind\nVP,Văn phòng,department\nKT,Kế toán,department\n"


def sqlite_file(database_url: str) -> Path:
    return Path(make_url(database_url).database or "")


def units_in(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [code for (code,) in connection.execute("SELECT code FROM unit ORDER BY code")]


def test_the_copy_is_the_committed_database_while_a_writer_holds_it(
    database_url: str, tmp_path: Path
) -> None:
    (tmp_path / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    assert (
        run_cli("units", "import", "units.csv", database_url=database_url, cwd=tmp_path).returncode
        == 0
    )
    if not database_url.startswith("sqlite"):
        result = run_cli("backup", "backup.dump", database_url=database_url, cwd=tmp_path)
        assert result.returncode == 1
        assert result.stderr.startswith("Cơ sở dữ liệu là PostgreSQL: sao lưu bằng pg_dump")
        assert "pg_dump -Fc -h 127.0.0.1" in result.stderr and "password" not in result.stderr
        return
    result = run_cli("backup", "copy.db", database_url=database_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Đã sao lưu cơ sở dữ liệu vào copy.db (")
    with closing(sqlite3.connect(sqlite_file(database_url))) as writer:
        writer.execute("BEGIN IMMEDIATE")  # the bot in the middle of a write
        writer.execute(
            "INSERT INTO unit (code, name, kind, created_at)"
            " VALUES ('NS', 'Nhân sự', 'department', CURRENT_TIMESTAMP)"
        )
        url = make_url(database_url)
        done = asyncio.run(backup(url, tmp_path / "during.db", datetime(2026, 12, 4)))
        writer.rollback()
    assert done.size > 0 and units_in(tmp_path / "during.db") == ["KT", "VP"]
    assert units_in(tmp_path / "copy.db") == ["KT", "VP"]
    assert not list(tmp_path.glob(".*.partial"))
    again = run_cli("backup", "copy.db", database_url=database_url, cwd=tmp_path)
    assert again.returncode == 0  # last night's copy is replaced, whole
    assert units_in(tmp_path / "copy.db") == ["KT", "VP"]


def test_bad_targets_are_refused_and_nothing_is_written(database_url: str, tmp_path: Path) -> None:
    if not database_url.startswith("sqlite"):
        return
    assert run_cli("db", "upgrade", database_url=database_url, cwd=tmp_path).returncode == 0
    missing = run_cli("backup", "no/such/folder/x.db", database_url=database_url, cwd=tmp_path)
    assert (missing.returncode, missing.stderr.strip()) == (
        1,
        "Thư mục no/such/folder không tồn tại. Tạo thư mục trước, hoặc chọn đường dẫn khác.",
    )
    itself = str(sqlite_file(database_url))
    same = run_cli("backup", itself, database_url=database_url, cwd=tmp_path)
    assert same.returncode == 1 and "chính là tệp cơ sở dữ liệu đang dùng" in same.stderr
    usage = run_cli("backup", database_url=database_url, cwd=tmp_path)
    assert usage.returncode == 2


def test_a_folder_gets_a_file_named_for_the_moment(tmp_path: Path) -> None:
    now = datetime(2026, 12, 4, 9, 30)
    assert target_path(tmp_path, now) == tmp_path / "thidua-20261204-0930.db"
    assert target_path(tmp_path / "x.db", now) == tmp_path / "x.db"


def test_the_pg_dump_line_never_carries_the_password() -> None:
    url = make_url("postgresql+asyncpg://bot:s3cret@db.local:5433/thidua")
    assert pg_dump_command(url, Path("/backups/x.dump")) == (
        "pg_dump -Fc -h db.local -p 5433 -U bot -f /backups/x.dump thidua"
    )
