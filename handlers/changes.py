"""What the chat and the command line share when an admin or a lead changes something.

The use cases of the lifecycle commands (units, members, admins) are plain functions over a
session. They take `Who` (written to the audit log) and raise `Refused` with a catalogue key
when the input is wrong; the chat answers it with ctx.reply, the command line prints it on
stderr with a non-zero status. One function, one set of checks, for both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit


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
        detail: dict[str, Any] | None = None,
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
    values: dict[str, Any] = field(default_factory=dict)  # keyword values of Context.reply

    def __post_init__(self) -> None:
        super().__init__(self.key)
