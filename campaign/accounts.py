"""References to platform accounts written as `<platform>:<user id>` (BOT_ADMINS, CLI)."""

from __future__ import annotations

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
