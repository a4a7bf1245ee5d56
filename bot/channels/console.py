"""A chat in the terminal: lines from stdin, replies on stdout, through the same router.

It is the main job when no platform token is set, and the harness of scripted end-to-end
tests (`printf '/start\n/trogiup\n' | python -m bot console`). Options are printed numbered;
typing the number chooses one.

The console runs the scheduler beside the chat (`ConsoleSession`), so a reminder set for "1
phút nữa" is printed when it is due while the user sits at the prompt. Standard input is read
without a thread where the system can watch it (a terminal, a pipe): a blocking readline in a
worker thread would keep Ctrl+C waiting for Enter, since asyncio waits for its threads before
it exits.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import stat
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TextIO

from bot.app import App
from bot.channels.text import numbered, to_plain
from bot.leader import leader_for
from bot.scheduler import Scheduler, scheduler_for
from handlers.messages import Incoming, Reply
from handlers.router import Router

PLATFORM = "console"
MENTION = "@bot"
PROMPT = "> "
READ_SIZE = 65536


def render(reply: Reply, files: Path | None = None) -> str:
    """The reply as terminal text; a file is saved in `files` (when given, created if missing)
    and named by its full path, so the user can open it from wherever the bot was started."""
    lines = [to_plain(reply.text), *numbered((o.label for o in reply.options), "  ")]
    if reply.file is not None:
        where = reply.file.filename
        if files is not None:
            files.mkdir(parents=True, exist_ok=True)
            path = (files / reply.file.filename).resolve()
            path.write_bytes(reply.file.data)
            where = str(path)
        lines.append(f"  [{where}, {len(reply.file.data):,} bytes]")
    return "\n".join(lines)


def _watchable(stream: TextIO) -> int | None:
    """The descriptor of `stream` when the event loop can watch it (a terminal, a pipe, a
    socket); None for a regular file or an in-memory stream, which never block for long."""
    try:
        descriptor = stream.fileno()
        mode = os.fstat(descriptor).st_mode
    except (OSError, ValueError, AttributeError):
        return None
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return descriptor
    return None


async def _watched_lines(descriptor: int) -> AsyncIterator[str]:
    """Lines read from `descriptor` as the loop sees it readable: nothing blocks, so a
    cancellation (Ctrl+C) ends the wait at once. Bytes are decoded as UTF-8 incrementally (a
    character split between two reads is kept), and several lines pasted at once all come."""
    loop = asyncio.get_running_loop()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""

    def wake(ready: asyncio.Future[None]) -> None:
        if not ready.done():
            ready.set_result(None)

    while True:
        ready: asyncio.Future[None] = loop.create_future()
        loop.add_reader(descriptor, wake, ready)
        try:
            await ready
        finally:
            loop.remove_reader(descriptor)
        try:
            chunk = os.read(descriptor, READ_SIZE)
        except BlockingIOError:
            continue
        pending += decoder.decode(chunk, final=not chunk)
        *lines, pending = pending.split("\n")
        for line in lines:
            yield line + "\n"
        if not chunk:
            if pending:
                yield pending
            return


async def _thread_lines(stream: TextIO) -> AsyncIterator[str]:
    """Lines of a stream the loop cannot watch (a file, a StringIO): each read is short."""
    while line := await asyncio.to_thread(stream.readline):
        yield line


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
        """Where files the bot sends (reports) are saved: BOT_DATA_DIR when run by the CLI."""
        self.interactive = False
        """Whether a person types at a prompt (stdin is a terminal): pushes then re-show it."""

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

    def lines(self) -> AsyncIterator[str]:
        descriptor = _watchable(self.stdin)
        if descriptor is not None:
            return _watched_lines(descriptor)
        return _thread_lines(self.stdin)

    def _prompt(self) -> None:
        if self.interactive:
            self.stdout.write(PROMPT)
            self.stdout.flush()

    async def run(self) -> None:
        """Until end of input (Ctrl+D, or the end of a pipe); a cancellation stops it at once."""
        self.interactive = self.stdin.isatty()
        self._prompt()
        async for line in self.lines():
            for reply in await self.router.handle(self.incoming(line)):
                await self.send(self.chat_id, reply)
            self.stdout.flush()
            self._prompt()

    async def send(self, chat_id: str, reply: Reply, *, push: bool = False) -> str:
        """An answer printed in the terminal (the console has one chat: `chat_id` is it)."""
        self.stdout.write(render(reply, self.files) + "\n\n")
        return ""

    def show_push(self, reply: Reply) -> None:
        """A message the scheduler sends to this chat (a reminder), printed when it is due;
        at a prompt, on a line of its own and followed by the prompt again."""
        if self.interactive:
            self.stdout.write("\n")
        self.stdout.write(render(reply, self.files) + "\n\n")
        self.stdout.flush()
        self._prompt()


class ConsoleSender:
    """Push messages (reminders, announcements) printed into the console chat, each with the
    chat it is for: the dispatcher's channel when no platform is configured. With `channel`,
    those for the console's own chat are printed as the chat shows them, the others (another
    console user's chat, a console group) with their chat's id."""

    buttons = False

    def __init__(self, stdout: TextIO = sys.stdout, channel: ConsoleChannel | None = None) -> None:
        self.stdout = channel.stdout if channel is not None else stdout
        self.channel = channel
        self.count = 0

    async def send(self, chat_id: str, reply: Reply, *, push: bool = False) -> str:
        self.count += 1
        if self.channel is not None and chat_id == self.channel.chat_id:
            self.channel.show_push(reply)
            return f"console-{self.count}"
        lines = [f"[→ {chat_id}] {to_plain(reply.text)}"]
        lines += numbered((o.label for o in reply.options), "  ")
        self.stdout.write("\n".join(lines) + "\n\n")
        self.stdout.flush()
        return f"console-{self.count}"


class ConsoleSession:
    """The console chat and the scheduler together, as `python -m bot console` runs them: the
    scheduler's console sender prints into the chat's stdout. Pushes to chats of the other
    platforms find no sender here and wait in the outbox for the process that runs them
    (bot/scheduler.py: "no channel"), so a console started beside a running bot takes nothing
    from it; like `run`, only the leader of several processes produces (bot/leader.py)."""

    def __init__(self, app: App, channel: ConsoleChannel, *, interval: float = 1.0) -> None:
        self.app = app
        self.channel = channel
        self.interval = interval
        self.leader = leader_for(app.db, announce=False)
        self.scheduler: Scheduler = scheduler_for(app)
        self.scheduler.should_produce = self.leader.check
        self.scheduler.senders[PLATFORM] = ConsoleSender(channel=channel)

    async def run(self) -> None:
        """What is due already is printed first (reminders that came due while no bot ran),
        then the chat reads its input while the scheduler ticks beside it; the end of input or
        a cancellation (Ctrl+C) stops both."""
        stop = asyncio.Event()
        clock = self.app.services.clock
        try:
            await self.scheduler.tick(clock())
            pushing = asyncio.create_task(self.scheduler.run(stop, clock, self.interval))
            try:
                await self.channel.run()
            finally:
                stop.set()
                with contextlib.suppress(asyncio.CancelledError):
                    await pushing
        finally:
            await self.leader.release()
