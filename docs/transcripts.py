"""Replay the transcripts of docs/huong-dan.md through the real bot and write its answers back.

    python docs/transcripts.py            # rewrite the guide with what the bot answers today
    python docs/transcripts.py --check    # exit 1 with a diff when the guide is out of date

Every fenced block of the guide whose first line is a prompt is a transcript. Its lines are:

    [Lan] > /trogiup              Lan types in her private chat on the console channel
    [Hùng, trong nhóm] > @bot …    Hùng types in the unit's group chat
    [Mai, Zalo] > /dangky          Mai types in her private chat on Zalo (also: Telegram;
                                   "Zalo, trong nhóm" for a Zalo group)
    $ python -m bot campaign list  Văn phòng runs the command line on the server
    (30 phút sau)                  the clock moves on (phút, giờ, ngày); the scheduler runs

and, under each, the bot's answer. The blocks are replayed in document order against one
fresh SQLite database in a temporary folder, with a fixed clock (RECORDED_AT) and the people
of PEOPLE; only the answer lines are rewritten. Invite and link codes are drawn from a seeded
generator, so they are the same at every run; when they change anyway (a block was added
before), the codes typed later in the guide are rewritten to match. Messages the bot pushes
(reminders, confirmations through the outbox) follow the turn that caused them, under a line
"(bot nhắn riêng cho …)" or "(bot gửi vào nhóm …)".

The command line runs in this process (bot.cli.main with stdout and stderr captured), on the
same database and clock; the documents it imports are in docs/examples/, copied into the
temporary folder, which is the command line's working folder.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import difflib
import io
import logging
import os
import random
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python docs/transcripts.py` from a checkout not installed
    sys.path.insert(0, str(ROOT))

from bot import cli  # noqa: E402
from bot.app import App, open_app  # noqa: E402
from bot.channels.console import MENTION  # noqa: E402
from bot.channels.text import numbered, to_plain  # noqa: E402
from bot.channels.zalo import ZaloChannel, strip_mention  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.delivery import Sender  # noqa: E402
from bot.health import Watched  # noqa: E402
from bot.scheduler import Scheduler  # noqa: E402
from campaign import invites  # noqa: E402
from handlers.messages import Incoming, Reply  # noqa: E402

GUIDE = ROOT / "docs" / "huong-dan.md"
EXAMPLES = ROOT / "docs" / "examples"
"""The documents the guide's command lines import, by the names the guide types."""

RECORDED_AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
"""Thứ Ba 01/12/2026, 09:00 giờ Hà Nội: past the registration deadline (31/3), inside the
self-assessment window of the example plan (01–15/12), a few weeks before the year ends.
The guide's header names this date."""

SEED = 2026
"""Invite and link codes come from random.Random(SEED): the same codes at every run."""

ZALO_BOT_NAME = "Bot Thi Đua"
"""The Zalo bot's display name, which Zalo group messages mention."""


@dataclass(frozen=True)
class Person:
    user_id: str
    """The same id on every platform (console:lan, zalo:lan…)."""
    name: str
    """The display name the platform gives the bot."""


PEOPLE = {
    "Văn phòng": Person("vp", "Văn phòng"),
    "Hùng": Person("hung", "Trần Văn Hùng"),
    "Lan": Person("lan", "Nguyễn Thị Lan"),
    "Minh": Person("minh", "Phạm Văn Minh"),
    "Mai": Person("mai", "Đỗ Thị Mai"),
}
"""The guide's people. Văn phòng is an admin from the start (SETTINGS); everyone else gets
their unit and role from the invite codes the guide itself makes."""

SETTINGS = {
    "BOT_ADMINS": "console:vp",
    "BOT_TIMEZONE": "Asia/Ho_Chi_Minh",
    "BOT_LANGUAGE": "vi",
    "BOT_PROVINCE": "lang-son",
    "BOT_SECTOR": "giao-thong",
}
"""The deployment of the guide's agency (the header says so); BOT_DATABASE_URL is added."""

SETTING_PREFIXES = ("BOT_", "TELEGRAM_", "ZALO_")

PROMPT = re.compile(r"^\[(?P<who>[^\]]+)\] > (?P<text>.*)$")
COMMAND = re.compile(r"^\$ python -m bot(?P<args>(?: .*)?)$")
WAIT = re.compile(r"^\((?P<amount>\d+) (?P<unit>phút|giờ|ngày) sau\)$")
FENCE = "```"
CODE = re.compile(rf"\b[{invites.ALPHABET}]{{{invites.CODE_LENGTH}}}\b")
UNITS = {"phút": "minutes", "giờ": "hours", "ngày": "days"}
PLATFORMS = {"telegram": "telegram", "zalo": "zalo"}
GROUP = "trong nhóm"


class GuideError(Exception):
    """A transcript line the script cannot replay (an unknown person, a bad qualifier)."""


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


# -- the guide's structure ----------------------------------------------------------------------


@dataclass
class Turn:
    line: str
    """What is typed (kept, except codes that changed)."""
    answer: list[str] = field(default_factory=list)


@dataclass
class Block:
    start: int
    """Index of the first line inside the fence."""
    end: int
    """Index of the closing fence."""
    turns: list[Turn]


def is_typed(line: str) -> bool:
    return bool(PROMPT.match(line) or COMMAND.match(line) or WAIT.match(line))


def transcript_blocks(lines: list[str]) -> list[Block]:
    """The fenced blocks (a bare ``` fence) whose first line is typed, with their turns."""
    blocks, index = [], 0
    while index < len(lines):
        if lines[index].strip() != FENCE:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end].strip() != FENCE:
            end += 1
        body = lines[index + 1 : end]
        if body and is_typed(body[0]):
            turns: list[Turn] = []
            for line in body:
                if is_typed(line):
                    turns.append(Turn(line))
                else:
                    turns[-1].answer.append(line)
            for turn in turns:
                while turn.answer and not turn.answer[-1].strip():
                    turn.answer.pop()
            blocks.append(Block(index + 1, end, turns))
        index = end + 1
    return blocks


def block_lines(turns: list[Turn]) -> list[str]:
    out: list[str] = []
    for number, turn in enumerate(turns):
        if number:
            out.append("")
        out.append(turn.line)
        out.extend(turn.answer)
    return out


# -- the replay ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Speaker:
    person: Person
    label: str
    platform: str
    group: bool

    @property
    def chat_id(self) -> str:
        return f"nhom-{self.platform}" if self.group else self.person.user_id


def speaker(who: str) -> Speaker:
    name, *qualifiers = [part.strip() for part in who.split(",")]
    if name not in PEOPLE:
        raise GuideError(f"[{who}]: no such person in PEOPLE ({', '.join(PEOPLE)})")
    platform, group = "console", False
    for qualifier in qualifiers:
        if qualifier == GROUP:
            group = True
        elif qualifier.lower() in PLATFORMS:
            platform = PLATFORMS[qualifier.lower()]
        else:
            raise GuideError(f"[{who}]: unknown qualifier {qualifier!r}")
    return Speaker(PEOPLE[name], name, platform, group)


class PushRecorder:
    """The dispatcher's channel for one platform: what it sends is kept for the transcript."""

    def __init__(self, platform: str, buttons: bool) -> None:
        self.platform = platform
        self.buttons = buttons
        self.sent: list[tuple[str, str, list[dict[str, Any]]]] = []

    async def send(self, chat_id: str, reply: Reply, *, push: bool = False) -> str:
        self.sent.append((chat_id, str(reply.text), [o.to_json() for o in reply.options]))
        return f"{self.platform}-{len(self.sent)}"


class Replay:
    """One bot, one database, one clock: every transcript of the guide in order."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.clock = Clock(RECORDED_AT)
        self.environment = {
            **SETTINGS,
            "BOT_DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'thidua.db'}",
            "BOT_DATA_DIR": str(workdir / "data"),
        }
        self.codes: dict[str, str] = {}
        """Codes the guide shows → codes the bot gave this time."""
        self.buttons: dict[tuple[str, str], list[tuple[str, str]]] = {}
        """Last options shown as buttons in a Telegram chat: (label, payload)."""
        self.app: App | None = None
        self.scheduler: Scheduler | None = None
        self.zalo: ZaloChannel | None = None
        self.pushes: dict[str, PushRecorder] = {}

    async def open(self) -> None:
        settings = load_settings()
        self.app = await open_app(settings, clock=self.clock)
        self.zalo = ZaloChannel(self.app, "0:transcripts")
        self.pushes = {
            "console": PushRecorder("console", buttons=False),
            "zalo": PushRecorder("zalo", buttons=False),
            "telegram": PushRecorder("telegram", buttons=True),
        }
        senders: dict[str, Sender] = {  # watched, as bot/launch.py does: /trangthai reads it
            name: Watched(name, recorder, self.app.db, self.clock)
            for name, recorder in self.pushes.items()
        }
        self.scheduler = Scheduler(self.app, senders=senders, owner="transcripts")

    async def close(self) -> None:
        if self.zalo is not None:
            await self.zalo.api.close()
        if self.app is not None:
            await self.app.close()

    # a chat turn

    async def say(self, who: str, text: str) -> list[str]:
        assert self.app is not None
        person = speaker(who)
        text = text.strip()
        addressed = not person.group
        if person.group and person.platform == "zalo":
            stripped = strip_mention(text, (ZALO_BOT_NAME,))
            text, addressed = stripped, addressed or stripped != text.strip()
        elif person.group and text.lower().startswith(MENTION):
            text, addressed = text[len(MENTION) :].strip(), True
        payload = None
        if person.platform == "telegram" and text.startswith("[") and text.endswith("]"):
            shown = self.buttons.get((person.chat_id, person.person.user_id), [])
            payload = next((p for label, p in shown if label == text[1:-1]), None)
            if payload is None:
                raise GuideError(f"[{who}] > {text}: no such button shown")
            text = ""
        incoming = Incoming(
            platform=person.platform,
            user_id=person.person.user_id,
            chat_id=person.chat_id,
            chat_kind="group" if person.group else "private",
            text=text,
            payload=payload,
            user_name=person.person.name,
            chat_title=f"Nhóm {person.platform}" if person.group else None,
            addressed=addressed,
        )
        replies = await self.app.router.handle(incoming)
        lines = await self.render(person, replies)
        pushes = await self.pushed()
        return lines + ([""] if lines and pushes else []) + pushes

    async def render(self, person: Speaker, replies: list[Reply]) -> list[str]:
        pieces: list[str] = []
        for reply in replies:
            if person.platform == "zalo":
                assert self.zalo is not None
                pieces.extend(await self.zalo.render(_without_file(reply)))
                if reply.file is not None:
                    pieces.append(_file_line(reply))
                continue
            lines = [to_plain(reply.text)]
            if person.platform == "telegram":
                lines += [f"  [{to_plain(o.label)}]" for o in reply.options]
                key = (person.chat_id, person.person.user_id)
                self.buttons[key] = [(to_plain(o.label), o.payload) for o in reply.options]
            else:
                lines += numbered((o.label for o in reply.options), "  ")
            if reply.file is not None:
                lines.append(_file_line(reply))
            pieces.append("\n".join(lines))
        return "\n\n".join(pieces).splitlines()

    async def pushed(self) -> list[str]:
        """What the scheduler sends now (reminders due, confirmations waiting in the outbox)."""
        assert self.scheduler is not None
        await self.scheduler.tick(self.clock())
        lines: list[str] = []
        for platform, recorder in self.pushes.items():
            for chat_id, text, options in recorder.sent:
                lines += ["", self.push_heading(platform, chat_id)]
                if platform == "zalo":
                    body = to_plain(text).strip()
                    if options:
                        body += "\n\n" + "\n".join(numbered(o["label"] for o in options))
                    lines += body.splitlines()
                elif platform == "telegram":
                    lines += to_plain(text).splitlines()
                    lines += [f"  [{to_plain(o['label'])}]" for o in options]
                    owner = next((p for p in PEOPLE.values() if p.user_id == chat_id), None)
                    if owner is not None:
                        shown = [(to_plain(o["label"]), str(o["payload"])) for o in options]
                        self.buttons[(chat_id, owner.user_id)] = shown
                else:
                    lines += to_plain(text).splitlines()
                    lines += numbered((o["label"] for o in options), "  ")
            recorder.sent.clear()
        return lines[1:] if lines[:1] == [""] else lines

    def push_heading(self, platform: str, chat_id: str) -> str:
        where = "" if platform == "console" else f" trên {platform.capitalize()}"
        if chat_id.startswith("nhom-"):
            return f"(bot gửi vào nhóm{where})"
        owner = next((name for name, p in PEOPLE.items() if p.user_id == chat_id), chat_id)
        return f"(bot nhắn riêng cho {owner}{where})"

    async def wait(self, amount: int, unit: str) -> list[str]:
        self.clock.now += timedelta(**{UNITS[unit]: amount})
        return await self.pushed()

    # a command line

    def command(self, args: str) -> list[str]:
        out = io.StringIO()
        root = logging.getLogger()
        handlers = list(root.handlers)
        with (
            mock.patch.object(cli, "open_app", partial(open_app, clock=self.clock)),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(out),
        ):
            try:
                cli.main(_split(args))
            except SystemExit:  # argparse's usage errors: their message is in `out`
                pass
            finally:  # main's logging.basicConfig wrote to this `out`: not to the next one
                for handler in set(root.handlers) - set(handlers):
                    root.removeHandler(handler)
        return out.getvalue().rstrip("\n").splitlines()


def _split(args: str) -> list[str]:
    import shlex

    return shlex.split(args)


def _without_file(reply: Reply) -> Reply:
    return Reply(reply.text, options=reply.options)


def _file_line(reply: Reply) -> str:
    """Files are named, not sized: a spreadsheet's bytes change with the library's version."""
    assert reply.file is not None
    kind = "ảnh" if reply.file.kind == "photo" else "tệp"
    return f"  [{kind} {reply.file.filename}]"


def _codes_changed(old: list[str], new: list[str], codes: dict[str, str]) -> None:
    """Codes shown in the guide's answer → those in the bot's answer, when they differ (each
    code once, in order of appearance; codes have a digit, unlike the words of a reply)."""

    def shown(lines: list[str]) -> list[str]:
        found = [c for line in lines for c in CODE.findall(line) if any(ch.isdigit() for ch in c)]
        return list(dict.fromkeys(found))

    before, after = shown(old), shown(new)
    if len(before) == len(after):
        codes.update({b: a for b, a in zip(before, after, strict=True) if b != a})


def _with_codes(line: str, codes: dict[str, str]) -> str:
    return CODE.sub(lambda m: codes.get(m.group(0), m.group(0)), line) if codes else line


# -- the environment of one replay ---------------------------------------------------------------


@contextlib.contextmanager
def replay_environment(workdir: Path) -> Iterator[dict[str, str]]:
    """The bot's settings in os.environ (the command line reads them there), the working folder
    with the example documents, seeded codes and the fixed clock in rows' default times."""
    for document in EXAMPLES.iterdir():
        if document.is_file():
            shutil.copy(document, workdir / document.name)
    saved_environment, saved_folder = dict(os.environ), Path.cwd()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(SETTING_PREFIXES)}
    seeded = random.Random(SEED)
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(workdir)
    root = logging.getLogger()
    level = root.level
    try:
        with mock.patch.object(invites, "secrets", seeded):
            yield environment
    finally:
        root.setLevel(level)
        os.chdir(saved_folder)
        os.environ.clear()
        os.environ.update(saved_environment)


def regenerate(text: str, workdir: Path) -> str:
    """The guide with every transcript answered by the bot as it is."""
    lines = text.split("\n")
    blocks = transcript_blocks(lines)
    with replay_environment(workdir) as environment:
        replay = Replay(workdir)
        os.environ.update(replay.environment)
        environment.update(replay.environment)
        runner = asyncio.Runner()
        try:
            runner.run(replay.open())
            for block in blocks:
                for turn in block.turns:
                    turn.line = _with_codes(turn.line, replay.codes)
                    answer = _answer(replay, runner, turn.line)
                    _codes_changed(turn.answer, answer, replay.codes)
                    turn.answer = answer
        finally:
            runner.run(replay.close())
            runner.close()
    for block in reversed(blocks):
        lines[block.start : block.end] = block_lines(block.turns)
    return "\n".join(lines)


def _answer(replay: Replay, runner: asyncio.Runner, line: str) -> list[str]:
    if match := PROMPT.match(line):
        return [x.rstrip() for x in runner.run(replay.say(match["who"], match["text"]))]
    if match := COMMAND.match(line):
        return [x.rstrip() for x in replay.command(match["args"])]
    match = WAIT.match(line)
    assert match is not None
    return [x.rstrip() for x in runner.run(replay.wait(int(match["amount"]), match["unit"]))]


def check(text: str, workdir: Path) -> str:
    """A unified diff from the guide to what the bot says; empty when they agree."""
    fresh = regenerate(text, workdir)
    return "".join(
        difflib.unified_diff(
            text.splitlines(keepends=True),
            fresh.splitlines(keepends=True),
            "docs/huong-dan.md",
            "docs/huong-dan.md (bot)",
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 with a diff when stale")
    parser.add_argument("--guide", type=Path, default=GUIDE)
    args = parser.parse_args(argv)
    text = args.guide.read_text("utf-8")
    with tempfile.TemporaryDirectory(prefix="huong-dan-") as folder:
        if args.check:
            diff = check(text, Path(folder))
            if diff:
                sys.stdout.write(diff)
                print(
                    "\nThe guide differs from what the bot says: run python docs/transcripts.py",
                    file=sys.stderr,
                )
                return 1
            return 0
        fresh = regenerate(text, Path(folder))
    if fresh != text:
        args.guide.write_text(fresh, "utf-8")
        print(f"{args.guide}: rewritten", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
