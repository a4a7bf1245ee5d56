"""References to platform accounts written as `<platform>:<user id>` (BOT_ADMINS, CLI)."""

from __future__ import annotations

from datetime import datetime, timedelta

PLATFORMS = ("telegram", "zalo", "console")


def parse_account_ref(text: str) -> tuple[str, str] | None:
    """("telegram", "12345") from "telegram:12345"; None when the text is not of that form."""
    platform, sep, user_id = text.strip().partition(":")
    platform, user_id = platform.strip().lower(), user_id.strip()
    if not sep or platform not in PLATFORMS or not user_id or any(c.isspace() for c in user_id):
        return None
    return platform, user_id


CHAT_APPS = ("telegram", "zalo")
"""The platforms staff chat from; the console is for developers and scripts."""


def other_chat_apps(platform: str) -> tuple[str, ...]:
    """Where to send a link code made on `platform` from: the chat apps other than this one."""
    return tuple(app for app in CHAT_APPS if app != platform)


MAX_WRONG_CODES = 5
GUESS_WINDOW = timedelta(hours=1)
"""Five wrong link codes an hour: enough for typos, far too few to guess one of 31**8."""


def next_guess_at(wrong: list[datetime], now: datetime) -> datetime | None:
    """When this person may type a link code again, given when they typed wrong ones (oldest
    first); None when they may now."""
    recent = [moment for moment in wrong if moment > now - GUESS_WINDOW]
    if len(recent) < MAX_WRONG_CODES:
        return None
    return recent[-MAX_WRONG_CODES] + GUESS_WINDOW
