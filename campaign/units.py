"""Units of the department: codes and kinds."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from campaign.text import fold


class UnitKind(StrEnum):
    DEPARTMENT = "department"
    UNION = "union"
    YOUTH = "youth"
    LEADERSHIP = "leadership"


_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,31}$")


def normalize_code(code: str) -> str:
    """Unit codes are compared in upper case so that "kt" and "KT" name one unit."""
    return code.strip().upper()


def is_valid_code(code: str) -> bool:
    """A code is 1–32 letters, digits, '-', '_' or '.', starting with a letter or digit."""
    return bool(_CODE.match(normalize_code(code)))


def parse_kind(word: str) -> UnitKind | None:
    """Read a kind given in English or Vietnamese ("công đoàn", "đoàn thanh niên", …)."""
    folded = fold(word)
    for kind in UnitKind:
        if folded == kind.value:
            return kind
    return _KIND_WORDS.get(folded)


_KIND_WORDS = {
    "phong": UnitKind.DEPARTMENT,
    "phong ban": UnitKind.DEPARTMENT,
    "cong doan": UnitKind.UNION,
    "cdcs": UnitKind.UNION,
    "doan thanh nien": UnitKind.YOUTH,
    "chi doan": UnitKind.YOUTH,
    "doan": UnitKind.YOUTH,
    "lanh dao": UnitKind.LEADERSHIP,
}


def guess_kind(name: str) -> UnitKind:
    """The kind a unit's name suggests, so "/donvi them CDCS Công đoàn cơ sở" needs no flag.

    The trade union ("Công đoàn", "CĐCS") and the youth union ("Đoàn Thanh niên", "Chi đoàn")
    are told apart before the generic word "đoàn" can mislead.
    """
    folded = f" {fold(name)} "
    if " cong doan " in folded or " cdcs " in folded:
        return UnitKind.UNION
    if " doan thanh nien " in folded or " chi doan " in folded or " dtn " in folded:
        return UnitKind.YOUTH
    if folded.strip().startswith("lanh dao") or " ban giam doc " in folded:
        return UnitKind.LEADERSHIP
    return UnitKind.DEPARTMENT


@dataclass(frozen=True)
class UnitRow:
    line: int
    code: str
    name: str
    kind: UnitKind


@dataclass(frozen=True)
class RowError:
    """A problem on one line of an imported file; `key` names the message shown to the user."""

    line: int
    key: str
    values: dict[str, str] = field(default_factory=dict)


REQUIRED_COLUMNS = ("code", "name", "kind")


def _records(reader: Iterator[list[str]], errors: list[RowError]) -> Iterator[list[str]]:
    """The reader's records until one it cannot read (a stray quote or carriage return), which
    becomes an error of its line instead of an exception."""
    try:
        yield from reader
    except csv.Error:
        errors.append(RowError(getattr(reader, "line_num", 0) + 1, "csv.unreadable"))


def parse_units_csv(text: str) -> tuple[list[UnitRow], list[RowError]]:
    """Read `code,name,kind` rows (a header line first; kind may be left empty to be guessed).

    Every problem is collected with its line number so the user can fix the whole file at
    once; the caller imports nothing unless the error list is empty.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows: list[UnitRow] = []
    errors: list[RowError] = []
    header: list[str] | None = None
    seen: dict[str, int] = {}
    for record in _records(reader, errors):
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [fold(cell) for cell in record]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                errors.append(RowError(line, "csv.missing_column", {"column": ", ".join(missing)}))
                return [], errors
            continue
        cells = dict(zip(header, (cell.strip() for cell in record), strict=False))
        code, name, kind_text = (cells.get(c, "") for c in REQUIRED_COLUMNS)
        if not code or not name:
            errors.append(RowError(line, "csv.missing_value"))
            continue
        if not is_valid_code(code):
            errors.append(RowError(line, "csv.bad_code", {"code": code}))
            continue
        code = normalize_code(code)
        if code in seen:
            errors.append(RowError(line, "csv.duplicate", {"code": code, "first": str(seen[code])}))
            continue
        seen[code] = line
        kind = parse_kind(kind_text) if kind_text else guess_kind(name)
        if kind is None:
            errors.append(RowError(line, "csv.bad_kind", {"kind": kind_text}))
            continue
        rows.append(UnitRow(line, code, name, kind))
    if header is None:
        errors.append(RowError(1, "csv.empty"))
    return rows, errors
