"""The table of commands: names, aliases, who may use them, and the function that answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from campaign.roles import Role
from campaign.text import fold
from handlers.context import Context
from handlers.messages import Reply

CommandHandler = Callable[[Context, str], Awaitable[list[Reply]]]
DialogHandler = Callable[[Context, str, str, dict], Awaitable[list[Reply]]]
"""Gets the context, the answer (a button payload or the text typed), the step the dialog is
at, and the dialog's data."""


@dataclass(frozen=True)
class Command:
    name: str
    """The Vietnamese command without the slash: "trogiup"."""
    english: str
    """The English alias: "help"."""
    phrases: tuple[str, ...]
    """Vietnamese words that also call it, typed with or without diacritics: ("trợ giúp",)."""
    run: CommandHandler
    required: Role | None = None
    """The lowest role that may use it anywhere; None for everyone."""
    in_groups: bool = True
    """Whether it makes sense in a group chat (menus of group chats show only these)."""
    more_for: Role | None = None
    """The role from which help adds `help_more.<name>` (what leads or admins may do besides):
    a member's help shows a member's commands only."""
    writes: bool = True
    """False for commands that only read (help, events, questions, the standing view): on
    SQLite they run first without the writer lock; one that writes after all (an admin's
    sub-command) is stopped before the write and run again in a write session."""

    @property
    def help_key(self) -> str:
        return f"help.{self.name}"


@dataclass(frozen=True)
class Feature:
    """What one handler module contributes: its commands and its dialogs."""

    commands: tuple[Command, ...] = ()
    dialogs: dict[str, DialogHandler] | None = None
    free_text: CommandHandler | None = None
    """What answers text that is no command (the question answering feature)."""
    buttons: dict[str, CommandHandler] | None = None
    """Buttons that work outside any dialog, by payload prefix ("snooze:" → handler)."""


class Registry:
    def __init__(self, features: Iterable[Feature]) -> None:
        self.commands: list[Command] = []
        self.dialogs: dict[str, DialogHandler] = {}
        self._by_name: dict[str, Command] = {}
        self.phrases: dict[str, str] = {}
        self.free_text: CommandHandler | None = None
        self.buttons: dict[str, CommandHandler] = {}
        for feature in features:
            for command in feature.commands:
                self.commands.append(command)
                self._by_name[command.name] = command
                self._by_name[command.english] = command
                for phrase in command.phrases:
                    self.phrases[fold(phrase)] = command.name
            self.dialogs.update(feature.dialogs or {})
            self.free_text = feature.free_text or self.free_text
            self.buttons.update(feature.buttons or {})

    def get(self, name: str) -> Command | None:
        return self._by_name.get(name.lower())

    @property
    def names(self) -> list[str]:
        return list(self._by_name)
