"""Several `python -m bot run` processes in webhook mode behind one "proxy" (the caller posts
each update to one of them), against a fake Telegram Bot API: shared by
tests/test_processes.py and bench/scale.py."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tests.fakes.telegram_api import FakeTelegram

SECRET = "several-processes-secret"
"""BOT_WEBHOOK_SECRET: shared by every process (each one sets the webhook with it)."""
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
SETTING_PREFIXES = ("BOT_", "TELEGRAM_", "ZALO_")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Bot:
    """One `run` process: its webhook address and its log."""

    process: subprocess.Popen[bytes]
    url: str
    log_path: Path
    log: IO[bytes]

    def kill(self) -> None:
        """What a crash does: no goodbye, no step-down."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=60)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return int(self.process.returncode)

    def logged(self) -> str:
        return self.log_path.read_text("utf-8", "replace")


def environment(database_url: str, fake: FakeTelegram, port: int, **extra: str) -> dict[str, str]:
    """The machine's environment without the developer's bot settings, plus these."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(SETTING_PREFIXES)}
    return {
        **keep,
        "BOT_DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "BOT_WEBHOOK_URL": "https://bot.example.vn",
        "BOT_WEBHOOK_SECRET": SECRET,
        "BOT_LISTEN": f"127.0.0.1:{port}",
        **extra,
    }


def start_bots(
    count: int, database_url: str, fake: FakeTelegram, folder: Path, **extra: str
) -> list[Bot]:
    """Start `count` processes and return once every one has told Telegram its webhook (its
    web server listens before that). The timeout only ends a broken run."""
    webhooks_before = len(fake.sent(method="setWebhook"))
    bots: list[Bot] = []
    for _ in range(count):
        port = free_port()
        log_path = folder / f"bot-{port}.log"
        log = log_path.open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=folder,
            env=environment(database_url, fake, port, **extra),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        bots.append(Bot(process, f"http://127.0.0.1:{port}/telegram", log_path, log))
    deadline = time.monotonic() + 180
    while len(fake.sent(method="setWebhook")) < webhooks_before + count:
        dead = [bot for bot in bots if bot.process.poll() is not None]
        if dead or time.monotonic() > deadline:
            for bot in bots:
                bot.stop()
            raise RuntimeError(f"a bot did not start:\n{(dead or bots)[0].logged()[-2000:]}")
        time.sleep(0.05)
    return bots


def message(update_id: int, chat: int, text: str) -> dict[str, Any]:
    """A private message as Telegram posts it to a webhook."""
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "text": text,
            "entities": entities if text.startswith("/") else [],
            "chat": {"id": chat, "type": "private", "first_name": f"User {chat}"},
            "from": {"id": chat, "is_bot": False, "first_name": f"User {chat}",
                     "language_code": "vi"},
        },
    }  # fmt: skip
