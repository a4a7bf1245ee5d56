"""How many rows an INSERT, UPDATE or DELETE changed.

`AsyncSession.execute` is typed as returning a plain `Result`, whose type has no `rowcount`; for
a DML statement it is a `CursorResult`, which does. One cast here keeps the storage functions
that answer "was it me who changed it?" (a claim, a consumed code) typed without an ignore.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy.engine import CursorResult, Result


def rowcount(result: Result[Any]) -> int:
    """The rows the statement changed (0 when the driver cannot tell)."""
    return cast(CursorResult[Any], result).rowcount or 0
