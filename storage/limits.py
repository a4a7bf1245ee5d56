"""The lengths the schema allows, read from the models, and enforced before every write.

PostgreSQL refuses a value longer than its VARCHAR(n); SQLite stores it anyway. Either way
the bot must answer "too long (max n)" rather than apologise or keep on one database what the
other refuses. The limits live in one place, the `String(n)` of storage/models.py: this module
reads them from there, and a `before_flush` hook checks every new or changed row against its
columns, so a field added later is covered without a line here. The router and the command
line turn `TooLong` into a polite message (error.field_too_long).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import InstrumentedAttribute, Session, UOWTransaction


class TooLong(ValueError):
    """A value longer than its column allows; nothing of the transaction is written."""

    def __init__(self, field: str, limit: int, length: int) -> None:
        super().__init__(f"{field}: {length} characters, at most {limit}")
        self.field = field
        self.limit = limit
        self.length = length


def max_length(attribute: InstrumentedAttribute[Any]) -> int:
    """The n of a `String(n)` column, e.g. `max_length(Unit.name)` → 200."""
    length = getattr(attribute.property.columns[0].type, "length", None)
    if length is None:
        raise TypeError(f"{attribute} has no length limit")
    return int(length)


def clip(value: str, attribute: InstrumentedAttribute[Any]) -> str:
    """`value` cut to what its column holds: for names the platform gives (a display name,
    a chat's title), which the person cannot shorten by retyping a message."""
    return value[: max_length(attribute)]


def check(session: Session, flush_context: UOWTransaction | None = None, _: Any = None) -> None:
    """Raise TooLong for the first string in a new or changed row that its column cannot
    hold. Only String(n) columns are checked; Text has no limit on either database."""
    for row in (*session.new, *session.dirty):
        mapper = inspect(row).mapper
        for attribute in mapper.column_attrs:
            length = getattr(attribute.columns[0].type, "length", None)
            if length is None:
                continue
            value = getattr(row, attribute.key, None)
            if isinstance(value, str) and len(value) > length:
                raise TooLong(f"{mapper.class_.__tablename__}.{attribute.key}", length, len(value))


def install() -> None:
    """Check every session's rows before each flush (once per process)."""
    if not event.contains(Session, "before_flush", check):
        event.listen(Session, "before_flush", check)
