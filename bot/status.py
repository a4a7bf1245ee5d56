"""`python -m bot status`: what an admin checks when pushes seem not to arrive. For now the
scheduler's failures (which producer, reminder or outbox row keeps failing, how often, since
when), so a bad row is seen without reading the logs."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.app import App
from bot.channels.text import to_plain
from campaign.dates import format_datetime
from handlers.context import Translate
from storage import failures


def add_parser(sub: Any) -> None:
    status = sub.add_parser("status", help="what is failing in the scheduler")
    status.add_argument("--json", action="store_true")


async def show(app: App, args: argparse.Namespace, t: Translate) -> int:
    async with app.db.transaction() as session:
        rows = await failures.current(session)
    zone = app.services.zone
    if args.json:
        items = [
            {
                "source": row.source,
                "count": row.count,
                "error": row.error,
                "since": row.first_at.isoformat(),
                "last": row.last_at.isoformat(),
            }
            for row in rows
        ]
        print(json.dumps({"scheduler_failures": items}, ensure_ascii=False))
        return 0
    if not rows:
        print(to_plain(t("status.scheduler_ok")))
        return 0
    print(to_plain(t("status.scheduler_failing", count=len(rows))))
    for row in rows:
        line = t(
            "status.scheduler_failure",
            source=row.source,
            times=row.count,
            since=format_datetime(row.first_at.astimezone(zone)),
            last=format_datetime(row.last_at.astimezone(zone)),
            error=row.error,
        )
        print(to_plain(line))
    return 0
