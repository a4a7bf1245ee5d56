"""`python -m bot backup PATH`: a consistent copy of the SQLite database, safe while the bot
runs (see storage/backup.py); on PostgreSQL it prints the pg_dump command to use instead."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bot.app import App
from bot.channels.text import to_plain
from handlers.context import Translate
from storage.backup import BackupRefused, backup


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("backup", help="copy the SQLite database while the bot runs")
    parser.add_argument("path", help="a file, or a folder for a file named with the time")


async def run(app: App, args: argparse.Namespace, t: Translate) -> int:
    url = make_url(app.settings.database_url)
    now = app.services.clock().astimezone(app.services.zone)
    try:
        done = await backup(url, Path(args.path), now)
    except BackupRefused as refused:
        print(to_plain(t(refused.key, **refused.values)), file=sys.stderr)
        return 1
    megabytes = f"{done.size / 1_000_000:.1f}".replace(".", ",")
    print(to_plain(t("backup.done", path=str(done.path), size=megabytes)))
    return 0
