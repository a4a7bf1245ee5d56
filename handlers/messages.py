"""Platform-neutral messages between the channels and the handlers.

`Reply.text` is always safe HTML: made by the translator, which escapes every value it puts
into a message, or by `escape`. Telegram sends it as HTML; the console and Zalo strip the tags.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from campaign.inputs import clean_text

ChatKind = Literal["private", "group"]


class Safe(str):
    """Text that is already safe HTML and must not be escaped again."""


def escape(value: object) -> Safe:
    """Escape a user-provided value for HTML (no-op for text that is already Safe)."""
    if isinstance(value, Safe):
        return value
    return Safe(html.escape(str(value), quote=False))


_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """Safe HTML as plain text: tags dropped, entities decoded ("<b>A &amp; B</b>" → "A & B")."""
    return html.unescape(_TAG.sub("", text))


def join(lines: list[Safe] | list[str], sep: str = "\n") -> Safe:
    """Join pieces of safe HTML, escaping any plain string among them."""
    return Safe(sep.join(escape(line) for line in lines))


@dataclass(frozen=True)
class Incoming:
    """One message or button press from a user, as every channel describes it."""

    platform: str
    user_id: str
    chat_id: str
    chat_kind: ChatKind = "private"
    text: str = ""
    payload: str | None = None
    language: str | None = None
    user_name: str = ""
    username: str | None = None
    """The sender's @handle where the platform has one (Telegram)."""
    chat_title: str | None = None
    addressed: bool = True
    """In a group: the bot was mentioned or replied to. Private chats are always addressed."""
    update_id: str | None = None
    """The platform's id of this update: a replay with the same id is ignored."""
    thread_id: str | None = None
    """The forum topic the message was written in (Telegram supergroups with topics), None
    for the chat's main thread: the answer goes back there, and `/lienket` typed there links
    the unit to that topic."""

    def __post_init__(self) -> None:
        """Every text that comes in, cleaned once, here, whichever channel built it: what the
        router, the handlers and the database see is NFC without control characters."""
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, str):
                object.__setattr__(self, item.name, clean_text(value))

    @property
    def account_ref(self) -> str:
        return f"{self.platform}:{self.user_id}"


LASTING_BUTTONS = ("poll:",)
"""Payload prefixes of buttons pressed many times, by many people (a poll in a group: vote,
change, withdraw): the message keeps them after a press. Any other button is a one-time
answer, and Telegram's message shows the choice instead of its keyboard."""


def keeps_buttons(payload: str) -> bool:
    return payload.startswith(LASTING_BUTTONS)


@dataclass(frozen=True)
class Option:
    """A choice shown as a button (Telegram) or a numbered line (console, Zalo)."""

    label: str
    payload: str

    def to_json(self) -> dict[str, str]:
        return {"label": self.label, "payload": self.payload}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Option:
        return cls(Safe(data["label"]), str(data["payload"]))


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    kind: Literal["document", "photo"] = "document"
    caption: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "data": base64.b64encode(self.data).decode("ascii"),
            "kind": self.kind,
            "caption": self.caption,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Attachment:
        kind: Literal["document", "photo"] = "photo" if data.get("kind") == "photo" else "document"
        return cls(str(data["filename"]), base64.b64decode(data["data"]), kind,
                   str(data.get("caption") or ""))  # fmt: skip


@dataclass(frozen=True)
class Reply:
    text: Safe
    options: tuple[Option, ...] = field(default_factory=tuple)
    file: Attachment | None = None
    key: str | None = field(default=None, compare=False)
    """The catalogue key the text came from, when it came from one: what the role matrix test
    and logs name a reply by, whatever the language."""
    thread: str | None = field(default=None, compare=False)
    """Where in the chat it goes: a forum topic (Telegram), None for the chat's main thread;
    channels without topics ignore it. Not part of the stored message (`to_json`): the
    channel sets it on an answer from the message answered, the dispatcher on a push from
    the chat's linked topic when it sends it, so a relinked or deleted topic is followed."""

    def to_json(self) -> dict[str, Any]:
        """The reply as JSON values, as the outbox keeps a message until it is sent: options as
        {"label", "payload"} (the form the outbox has always stored, so older rows read the
        same), the file only when there is one."""
        data: dict[str, Any] = {
            "text": str(self.text),
            "options": [option.to_json() for option in self.options],
        }
        if self.file is not None:
            data["file"] = self.file.to_json()
        if self.key is not None:
            data["key"] = self.key
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        """A reply from `to_json`'s form; the text was safe HTML when it was stored."""
        file = data.get("file")
        return cls(
            Safe(data.get("text") or ""),
            tuple(Option.from_json(option) for option in data.get("options") or ()),
            Attachment.from_json(file) if file else None,
            key=data.get("key"),
        )
