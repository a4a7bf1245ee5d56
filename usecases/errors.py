"""Who acts, and how a use case says no.

Every use case is a plain function over a session (or the Database). It takes `Who` (written to
the audit log) and raises `Refused` with a catalogue key when the input is wrong or the change
is not allowed; the chat answers it with ctx.reply, the command line prints it on stderr with a
non-zero status. One function, one set of checks, for every caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit

T = TypeVar("T")
Named = str | tuple[str, dict[str, object]]
"""A catalogue key, or a key with its values."""


@dataclass(frozen=True)
class Who:
    """Who acts: "telegram:42" and their person, or "cli" (nobody in the database)."""

    ref: str
    person_id: int | None = None
    at: datetime | None = None
    """When, by the bot's clock (None: now)."""

    async def audit(
        self,
        session: AsyncSession,
        action: str,
        target: str | None = None,
        detail: dict[str, object] | None = None,
    ) -> None:
        await audit.record(
            session,
            actor=self.ref,
            actor_id=self.person_id,
            action=action,
            target=target,
            detail=detail,
            at=self.at,
        )


def cli(at: datetime) -> Who:
    """The command line: an operator at the machine, no person in the database."""
    return Who("cli", None, at)


@dataclass
class Refused(Exception):
    """Bad input or a forbidden change, with the message that explains it."""

    key: str
    values: dict[str, object] = field(default_factory=dict)
    named: dict[str, Named] = field(default_factory=dict)
    """Values that are themselves messages ("role": "role.lead", or a key with its values),
    shown in the reader's language by whoever explains the refusal."""

    def __post_init__(self) -> None:
        super().__init__(self.key)

    def explained(self, t: Callable[..., T]) -> T:
        """The message, through a translator (the chat's or the command line's)."""
        named = {
            name: t(key) if isinstance(key, str) else t(key[0], **key[1])
            for name, key in self.named.items()
        }
        return t(self.key, **self.values, **named)


class NoCampaign(Refused):
    """No campaign at all has been imported: the chat says how to import one, to whom may."""


def unit_named(code: str, name: str) -> Named:
    """A unit as every message shows it (format.unit)."""
    return ("format.unit", {"code": code, "name": name})
