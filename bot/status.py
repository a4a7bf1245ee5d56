"""`python -m bot status`: what an admin checks when pushes seem not to arrive, the same report
as /trangthai in the chat (usecases/status.py): each channel with its last error, the outbox
still to go and given up, the last delivery, the scheduler's failing parts, the campaign on
today and its next deadline."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.app import App
from bot.channels.text import to_plain
from handlers.context import Translate
from handlers.status_view import render
from usecases import status
from usecases.clock import today


def add_parser(sub: Any) -> None:
    command = sub.add_parser("status", help="channels, outbox, scheduler and campaign at a glance")
    command.add_argument("--json", action="store_true")


def configured(app: App) -> list[str]:
    """The platforms whose token is set: shown even before anything went through them."""
    settings = app.settings
    tokens = {"telegram": settings.telegram_token, "zalo": settings.zalo_token}
    return [name for name, token in tokens.items() if token]


async def show(app: App, args: argparse.Namespace, t: Translate) -> int:
    zone = app.services.zone
    async with app.db.transaction() as session:
        report = await status.report(
            session, app.services.library, today(app.services.clock(), zone), configured(app)
        )
    if args.json:
        print(json.dumps(as_json(report), ensure_ascii=False))
    else:
        print(to_plain(render(t, report, zone)))
    return 0


def as_json(report: status.Status) -> dict[str, Any]:
    def when(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "channels": [
            {
                "platform": c.platform,
                "up": c.up,
                "last_error": c.last_error,
                "error_at": when(c.error_at),
                "ok_at": when(c.ok_at),
                "last_delivery": when(c.last_delivery),
                "waiting": c.waiting,
                "dead": c.dead,
                "failed": c.failed,
                "dead_reasons": [{"reason": r, "count": n} for r, n in c.dead_reasons],
            }
            for c in report.channels
        ],
        "scheduler_failures": [
            {
                "source": row.source,
                "count": row.count,
                "error": row.error,
                "since": row.first_at.isoformat(),
                "last": row.last_at.isoformat(),
            }
            for row in report.failures
        ],
        "campaign": report.campaign,
        "next_deadline": (
            {"what": report.next_deadline.what, "day": report.next_deadline.day.isoformat()}
            if report.next_deadline is not None
            else None
        ),
    }
