"""A chat in the terminal: lines from stdin, replies on stdout, through the same router.

It is the main job when no platform token is set, and the harness of scripted end-to-end
tests (`printf '/start\n/trogiup\n' | python -m bot console`). Options are printed numbered;
typing the number chooses one.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TextIO

from bot.channels.text import numbered, to_plain
from handlers.messages import Incoming, Reply
from handlers.router import Router

PLATFORM = "console"
MENTION = "@bot"


def render(reply: Reply, files: Path | None = None) -> str:
    """The reply as terminal text; a file is saved in `files` (when given) and named."""
    lines = [to_plain(reply.text), *numbered((o.label for o in reply.options), "  ")]
    if reply.file is not None:
        where = reply.file.filename
        if files is not None:
            path = files / reply.file.filename
            path.write_bytes(reply.file.data)
            where = str(path)
        lines.append(f"  [{where}, {len(reply.file.data):,} bytes]")
    return "\n".join(lines)


class ConsoleChannel:
    buttons = False

    def __init__(
        self,
        router: Router,
        *,
        user_id: str = "local",
        name: str = "",
        chat_id: str | None = None,
        group: bool = False,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        files: Path | None = None,
    ) -> None:
        self.router = router
        self.user_id = user_id
        self.name = name
        self.group = group
        self.chat_id = chat_id or ("group" if group else user_id)
        self.stdin = stdin
        self.stdout = stdout
        self.files = files or Path.cwd()
        """Where files the bot sends (reports) are saved."""

    def incoming(self, line: str) -> Incoming:
        text = line.strip()
        addressed = not self.group
        if self.group and text.lower().startswith(MENTION):
            text, addressed = text[len(MENTION) :].strip(), True
        return Incoming(
            platform=PLATFORM,
            user_id=self.user_id,
            chat_id=self.chat_id,
            chat_kind="group" if self.group else "private",
            text=text,
            user_name=self.name,
            chat_title="console group" if self.group else None,
            addressed=addressed,
        )

    async def run(self) -> None:
        interactive = self.stdin.isatty()
        while True:
            if interactive:
                self.stdout.write("> ")
                self.stdout.flush()
            line = await asyncio.to_thread(self.stdin.readline)
            if not line:
                break
            for reply in await self.router.handle(self.incoming(line)):
                await self.send(self.chat_id, reply)
            self.stdout.flush()

    async def send(self, chat_id: str, reply: Reply, *, push: bool = False) -> str:
        """An answer printed in the terminal (the console has one chat: `chat_id` is it)."""
        self.stdout.write(render(reply, self.files) + "\n\n")
        return ""


class ConsoleSender:
    """Push messages (reminders, announcements) printed into the console chat, each with the
    chat it is for: the dispatcher's channel when no platform is configured."""

    buttons = False

    def __init__(self, stdout: TextIO = sys.stdout) -> None:
        self.stdout = stdout
        self.count = 0

    async def send(self, chat_id: str, reply: Reply, *, push: bool = False) -> str:
        self.count += 1
        lines = [f"[→ {chat_id}] {to_plain(reply.text)}"]
        lines += numbered((o.label for o in reply.options), "  ")
        self.stdout.write("\n".join(lines) + "\n\n")
        self.stdout.flush()
        return f"console-{self.count}"
