"""The numbers Word's automatic numbering shows before paragraphs: "I.", "1.2.", "a)", "Điều 3.".

Agencies often number headings, articles and points with Word's lists instead of typing the
numbers, so the number is not in the paragraph's text, and the parser in campaign/ (which
recognises a document's structure by the numbers that start its paragraphs) would see none.
ListNumbering works out, paragraph by paragraph in document order, the number Word displays,
from word/numbering.xml and word/styles.xml:

- A paragraph's list is its own w:numPr (w:numId, w:ilvl), else its style's, following w:basedOn;
  a style tied to a level by that level's w:pStyle gives the level. w:numId 0 switches it off.
- w:num names a w:abstractNum (through w:numStyleLink to the list style that holds the levels)
  and may override levels (w:lvlOverride: w:startOverride, or a whole w:lvl).
- Counters belong to the w:abstractNum, as in Word: two w:num of one definition continue each
  other's numbers; the first paragraph of a w:num that overrides a level's start starts that
  level over (that is how Word writes "Restart numbering"). A paragraph at level n counts one at
  level n and starts the deeper levels over (w:lvlRestart can say later, or never). A level not
  yet used shows its start minus one, as Word does ("0.1" under a missing chapter).
- w:lvlText says what is shown ("%1.%2.", "Điều %1.", "%4)"), w:numFmt how each %n is written
  (w:isLgl: in decimal), w:suff what follows (a tab or a space: one space; nothing: nothing).
- A bullet is written "-", or "+" under another bullet level, as Vietnamese documents type
  them; Word's symbol-font bullets ("", "", "o", "§") mean nothing as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from campaign.inputs import is_number, read_int

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_VAL = _W + "val"
_LEVELS = 9
_LARGEST = 32767
"""The largest start Word accepts; past it letters and Roman numerals would grow without end."""
_PLACEHOLDER = re.compile(r"%([1-9])")
_DASHES = frozenset("-–—−‐‑")
_TYPED_BULLETS = _DASHES | frozenset("+•*▪◦·")
_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


@dataclass(frozen=True)
class _Level:
    """One w:lvl: how its number is written, where it starts and when it starts over."""

    number_format: str
    text: str
    start: int
    restart: int | None
    """w:lvlRestart: start over after a paragraph at this 1-based level or above; 0: never."""
    legal: bool
    suffix: str
    style: str | None


@dataclass(frozen=True)
class _List:
    """A w:num made ready to count: its levels, overrides applied, and whose counters it uses."""

    counters: str
    """The w:abstractNum whose counters the list shares."""
    levels: tuple[_Level | None, ...]
    restarted: frozenset[int]
    """Levels whose start the w:num overrides: they start over at its first paragraph."""


class ListNumbering:
    """The number Word shows before each paragraph, counted in document order."""

    def __init__(self, numbering: Any | None, styles: Any | None) -> None:
        """`numbering` and `styles` are the root elements of numbering.xml and styles.xml."""
        self._abstracts = _by_id(numbering, "abstractNum", "abstractNumId")
        self._nums = _by_id(numbering, "num", "numId")
        self._styles = _by_id(styles, "style", "styleId")
        self._default_style = next(
            (
                style_id
                for style_id, style in self._styles.items()
                if style.get(_W + "type") == "paragraph" and _on(style.get(_W + "default"))
            ),
            None,
        )
        self._lists: dict[str, _List | None] = {}
        self._style_lists: dict[str | None, tuple[str | None, int | None]] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._started: set[str] = set()

    def marker(self, paragraph: Any) -> str:
        """What Word writes before the paragraph ("1. ", "Điều 3. ", "- "), or "" for nothing.

        Each call counts the paragraph, so call it once per paragraph, in document order.
        """
        found = self._list_and_level(paragraph)
        if found is None:
            return ""
        num_id, numbered, index = found
        values = self._count(num_id, numbered, index)
        level = numbered.levels[index]
        assert level is not None
        label = _label(numbered.levels, index, values)
        if level.number_format != "bullet" and not any(ch.isalnum() for ch in label):
            return ""  # "%1." at a level of no number ("none") leaves a stray "."
        if not label.strip():
            return ""
        return label if level.suffix == "nothing" else label.rstrip() + " "

    def _list_and_level(self, paragraph: Any) -> tuple[str, _List, int] | None:
        """The paragraph's w:numId, its list and its level: its own w:numPr, else its style's."""
        properties = paragraph.find(_W + "pPr")
        style_id = _val(properties, "pStyle") or self._default_style
        own = properties.find(_W + "numPr") if properties is not None else None
        num_id, index = _val(own, "numId"), _int(_val(own, "ilvl"))
        if num_id is None or index is None:
            if style_id not in self._style_lists:
                self._style_lists[style_id] = self._style_numbering(style_id)
            style_num_id, style_index = self._style_lists[style_id]
            num_id = num_id if num_id is not None else style_num_id
            index = index if index is not None else style_index
        if num_id is None or num_id == "0":
            return None
        numbered = self._list(num_id)
        if numbered is None:
            return None
        if index is None:  # a style tied to a level by the level's w:pStyle, else the first level
            linked = (i for i, lvl in enumerate(numbered.levels) if lvl and lvl.style == style_id)
            index = next(linked, 0) if style_id else 0
        if not 0 <= index < _LEVELS or numbered.levels[index] is None:
            return None
        return num_id, numbered, index

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """The w:numId and w:ilvl a paragraph style gives, each from the nearest style in its
        w:basedOn chain that sets it."""
        num_id: str | None = None
        index: int | None = None
        seen: set[str] = set()
        while style_id and style_id not in seen and (num_id is None or index is None):
            seen.add(style_id)
            style = self._styles.get(style_id)
            if style is None:
                break
            numbering = style.find(f"{_W}pPr/{_W}numPr")
            if numbering is not None:
                num_id = num_id if num_id is not None else _val(numbering, "numId")
                index = index if index is not None else _int(_val(numbering, "ilvl"))
            style_id = _val(style, "basedOn")
        return num_id, index

    def _list(self, num_id: str) -> _List | None:
        if num_id not in self._lists:
            self._lists[num_id] = self._build_list(num_id)
        return self._lists[num_id]

    def _build_list(self, num_id: str) -> _List | None:
        """The w:num's levels: its w:abstractNum's, with its w:lvlOverride applied."""
        num = self._nums.get(num_id)
        abstract = self._abstract(_val(num, "abstractNumId"))
        if num is None or abstract is None:
            return None
        levels: list[_Level | None] = [None] * _LEVELS
        for lvl in abstract.iterchildren(_W + "lvl"):
            index = _int(lvl.get(_W + "ilvl"))
            if index is not None and 0 <= index < _LEVELS:
                levels[index] = _level(lvl)
        restarted: set[int] = set()
        for override in num.iterchildren(_W + "lvlOverride"):
            index = _int(override.get(_W + "ilvl"))
            if index is None or not 0 <= index < _LEVELS:
                continue
            lvl = override.find(_W + "lvl")
            if lvl is not None:
                levels[index] = _level(lvl)
                if lvl.find(_W + "start") is not None:
                    restarted.add(index)
            start = _int(_val(override, "startOverride"))
            current = levels[index]
            if start is not None and current is not None:
                levels[index] = replace(current, start=start)
                restarted.add(index)
        return _List(abstract.get(_W + "abstractNumId", ""), tuple(levels), frozenset(restarted))

    def _abstract(self, abstract_id: str | None, depth: int = 0) -> Any | None:
        """The w:abstractNum that holds the levels: one that only names a list style
        (w:numStyleLink) leads, through that style's w:numId, to the one defining it."""
        abstract = self._abstracts.get(abstract_id or "")
        link = _val(abstract, "numStyleLink")
        if link is None or depth > 3:
            return abstract
        style = self._styles.get(link)
        numbering = style.find(f"{_W}pPr/{_W}numPr") if style is not None else None
        linked_num = self._nums.get(_val(numbering, "numId") or "")
        target = self._abstract(_val(linked_num, "abstractNumId"), depth + 1)
        if target is None or _val(target, "numStyleLink") is not None:
            target = next(
                (a for a in self._abstracts.values() if _val(a, "styleLink") == link), None
            )
        return target if target is not None else abstract

    def _count(self, num_id: str, numbered: _List, index: int) -> list[int]:
        """Count a paragraph at this level; the value of every level, for the %n in w:lvlText."""
        counters = self._counters.setdefault(numbered.counters, [None] * _LEVELS)
        if num_id not in self._started:
            self._started.add(num_id)
            for level in numbered.restarted:
                counters[level] = None
        current = counters[index]
        counted = numbered.levels[index]
        assert counted is not None
        counters[index] = counted.start if current is None else current + 1
        for deeper in range(index + 1, _LEVELS):
            if _starts_over(numbered.levels[deeper], deeper, index):
                counters[deeper] = None
        return [
            value if value is not None else max(lvl.start - 1 if lvl else 0, 0)
            for value, lvl in zip(counters, numbered.levels, strict=True)
        ]


def with_marker(marker: str, line: str) -> str:
    """The paragraph's first line with Word's number before it, unless it was typed there too
    (documents that mix both would show it twice otherwise)."""
    if not marker:
        return line
    shown = marker.strip()
    if shown in ("-", "+"):
        typed = line[:1] in _TYPED_BULLETS
    else:
        rest = line[len(shown) :] if line.startswith(shown) else None
        typed = rest is not None and (
            not rest or rest[0].isspace() or (not shown[-1].isalnum() and not is_number(rest[0]))
        )
    return line if typed else " ".join((marker + line).split())


def _label(levels: tuple[_Level | None, ...], index: int, values: list[int]) -> str:
    """The level's w:lvlText with each %n written in level n's format."""
    level = levels[index]
    assert level is not None
    if level.number_format == "bullet":
        under_bullet = any(lvl and lvl.number_format == "bullet" for lvl in levels[:index])
        return _bullet(level.text, under_bullet)

    def number(match: re.Match[str]) -> str:
        other = int(match.group(1)) - 1
        referenced = levels[other]
        if referenced is None:
            return ""
        number_format = "decimal" if level.legal else referenced.number_format
        return format_number(values[other], number_format)

    return _PLACEHOLDER.sub(number, level.text)


def _bullet(text: str, under_bullet: bool) -> str:
    """A typed dash or plus stays; any other bullet character is "-", or "+" under a bullet."""
    char = text.strip()
    if not char:
        return ""
    if char in _DASHES:
        return "-"
    if char == "+":
        return "+"
    return "+" if under_bullet else "-"


def format_number(value: int, number_format: str) -> str:
    """The value as w:numFmt writes it; formats we do not write (ordinal, cardinalText, Asian
    counting systems) come out in decimal, which the parser reads."""
    if number_format in ("none", "bullet"):
        return ""
    if value <= 0 or value > _LARGEST:
        return str(value)
    if number_format == "decimalZero":
        return f"{value:02d}"
    if number_format in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if number_format == "upperRoman" else roman.lower()
    if number_format in ("upperLetter", "lowerLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)  # z, aa, bb
        return letter.upper() if number_format == "upperLetter" else letter
    return str(value)


def _roman(value: int) -> str:
    result = []
    for amount, numeral in _ROMAN:
        count, value = divmod(value, amount)
        result.append(numeral * count)
    return "".join(result)


def _starts_over(level: _Level | None, depth: int, used: int) -> bool:
    """Whether a paragraph at level `used` starts the deeper level `depth` over.

    By default every deeper level does. w:lvlRestart r (1-based) starts it over only after a
    paragraph at level r or above; 0 never (articles numbered on across chapters); a value that
    is not above the level itself is ignored, as the standard says.
    """
    restart = level.restart if level is not None else None
    if restart is None or restart > depth:
        restart = depth
    return used < restart


def _level(lvl: Any) -> _Level:
    """A w:lvl read with the standard's defaults: start 0, decimal, no text, a tab after."""
    number_format = _val(lvl, "numFmt")
    if number_format is None:  # Word 2010's formats come as a choice with a fallback for older
        number_format = _val(lvl.find(f"{_MC}AlternateContent/{_MC}Fallback"), "numFmt")
    legal = lvl.find(_W + "isLgl")
    return _Level(
        number_format=number_format or "decimal",
        text=_val(lvl, "lvlText") or "",
        start=_int(_val(lvl, "start")) or 0,
        restart=_int(_val(lvl, "lvlRestart")),
        legal=legal is not None and _on(legal.get(_VAL, "true")),
        suffix=_val(lvl, "suff") or "tab",
        style=_val(lvl, "pStyle"),
    )


def _by_id(root: Any | None, name: str, key: str) -> dict[str, Any]:
    if root is None:
        return {}
    return {child.get(_W + key): child for child in root.iterchildren(_W + name)}


def _val(element: Any | None, name: str) -> str | None:
    """The w:val of the element's `name` child."""
    if element is None:
        return None
    child = element.find(_W + name)
    return child.get(_VAL) if child is not None else None


def _int(value: str | None) -> int | None:
    """The attribute as a number; None if it is missing or not a number of at most 9 digits."""
    return None if value is None else read_int(value, -999_999_999, 999_999_999, signed=True)


def _on(value: str | None) -> bool:
    return value in ("1", "true", "on")
