"""A consistent copy of the SQLite database while the bot runs.

SQLite's online backup API copies the database page by page under its own locks, so the bot
keeps answering and the copy is one moment of the database, not a file copied half before
and half after a write (which `cp` of a WAL database can give). The copy is written beside
its target and renamed into place only once checked, so a cron job that overwrites last
night's backup never leaves a broken one behind. PostgreSQL has pg_dump for this."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL


@dataclass(frozen=True)
class BackupDone:
    path: Path
    size: int


class BackupRefused(Exception):
    """Why no copy was made: a catalogue key and its values."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def target_path(target: Path, now: datetime) -> Path:
    """A folder gets a file named for the moment (thidua-20261204-0930.db), so daily copies
    accumulate; a file name is used as given."""
    if target.is_dir():
        return target / f"thidua-{now:%Y%m%d-%H%M}.db"
    return target


def pg_dump_command(url: URL, target: Path) -> str:
    """The pg_dump line for this database, without its password (pg_dump reads PGPASSWORD or
    ~/.pgpass)."""
    parts = ["pg_dump", "-Fc"]
    if url.host:
        parts += ["-h", url.host]
    if url.port:
        parts += ["-p", str(url.port)]
    if url.username:
        parts += ["-U", url.username]
    parts += ["-f", str(target), url.database or ""]
    return " ".join(parts)


async def backup(url: URL, target: Path, now: datetime) -> BackupDone:
    """Copy the SQLite database at `url` to `target` (a file, or a folder)."""
    if url.get_backend_name() != "sqlite":
        raise BackupRefused("backup.postgres", command=pg_dump_command(url, target))
    if not url.database or url.database == ":memory:":
        raise BackupRefused("backup.memory")
    source = Path(url.database)
    if not source.exists():
        raise BackupRefused("backup.no_database", path=str(source))
    path = target_path(target, now)
    if not path.parent.is_dir():
        raise BackupRefused("backup.no_folder", path=str(path.parent))
    if path.resolve() == source.resolve():
        raise BackupRefused("backup.same_file", path=str(path))
    size = await asyncio.to_thread(_copy, source, path)
    return BackupDone(path, size)


def _copy(source: Path, path: Path) -> int:
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
            checked = dst.execute("PRAGMA quick_check").fetchone()
        if not checked or checked[0] != "ok":
            raise BackupRefused("backup.check_failed", result=str(checked))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path.stat().st_size
