"""Sums of money in VND as people type them in a chat, and as the bot shows them.

Members write amounts the way they say them: "500k", "500 nghìn", "1tr2" (one million two
hundred thousand), "1,5tr", "2 triệu", "1.200.000", "1,200,000", "200.000đ", "200000 vnd".
`read_amount` reads all of these to a whole number of đồng, or says why it cannot
(`MoneyError.reason`): unreadable, negative, zero, too small (under 1.000 đ, most likely
"500" meant "500k"), too large (over 10 tỷ, a typo rather than a gift). `read_gift` adds
gifts in kind ("10 kg gạo", "2 thùng mì"): text with a quantity and a word that is no amount.

`format_vnd` shows an amount as each language writes it ("1.200.000 đ", "1,200,000 VND", by
Babel's number formats), and `read_amount` reads that back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal

from campaign.text import fold

MAX_VND = 10_000_000_000
"""10 tỷ: above it an amount is a slip of the keyboard, not a contribution."""
MIN_VND = 1_000
"""The smallest note in use; "500" alone almost always meant "500k"."""
MAX_TYPED = 40
"""Characters of an amount worth reading (the longest real one is "10.000.000.000 đồng")."""

_UNITS = {
    "k": 1_000,
    "ng": 1_000,
    "ngh": 1_000,
    "nghin": 1_000,
    "ngan": 1_000,
    "tr": 1_000_000,
    "trieu": 1_000_000,
    "cu": 1_000_000,
    "m": 1_000_000,
    "ty": 1_000_000_000,
    "ti": 1_000_000_000,
}
_CURRENCY = re.compile(r"^(?:vnd\s*)?(.*?)\s*(?:vnd|dong|d|₫)?\.?$")
_PLAIN = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:(?P<sep>[.,\s])[0-9]{3})(?:(?P=sep)[0-9]{3})*")
_NUMBER = r"[0-9]+(?:[.,][0-9]+)*"
_PAIR = re.compile(
    rf"\s*({_NUMBER})\s*({'|'.join(sorted(_UNITS, key=len, reverse=True))})(?![a-z])"
)
_TAIL = re.compile(r"\s*([0-9]{1,3})\s*")


@dataclass(frozen=True)
class MoneyError(Exception):
    """Why a typed amount is refused: "unreadable", "negative", "zero", "too_small",
    "too_large" (the message keys end so: money.<reason>)."""

    reason: str

    def __post_init__(self) -> None:
        super().__init__(self.reason)


def format_vnd(amount: int, language: str) -> str:
    """ "1.200.000 đ" in Vietnamese, "1,200,000 VND" in English."""
    if language == "en":
        return f"{format_decimal(amount, locale='en')} VND"
    return f"{format_decimal(amount, locale='vi')} đ"


def read_amount(text: str) -> int:
    """The amount in đồng that `text` writes; raises MoneyError saying why not."""
    typed = fold(text.replace("\xa0", " ").replace("\u202f", " "))
    if not typed or len(typed) > MAX_TYPED:
        raise MoneyError("unreadable")
    negative = typed.startswith(("-", "−", "am "))
    if negative:
        typed = typed.lstrip("-−").removeprefix("am ").strip()
    match = _CURRENCY.fullmatch(typed.lstrip("+").strip())
    body = match.group(1).strip() if match else ""
    value = _number(body) if body else None
    if value is None:
        raise MoneyError("unreadable")
    if negative and value > 0:
        raise MoneyError("negative")
    return checked(value)


def checked(value: int) -> int:
    """`value` when it is an amount a contribution may have, else the reason it may not."""
    if value <= 0:
        raise MoneyError("zero")
    if value < MIN_VND:
        raise MoneyError("too_small")
    if value > MAX_VND:
        raise MoneyError("too_large")
    return value


def read_gift(text: str) -> int | str:
    """An amount of money (int), or gifts in kind as typed (str: "10 kg gạo"); raises
    MoneyError when it is neither. Gifts in kind have a number and a word that is not an
    amount's ("kg", "thùng"), so "abc" and "1e9" are refused, not stored as gifts."""
    try:
        return read_amount(text)
    except MoneyError as error:
        if error.reason != "unreadable" or not _is_gift(text):
            raise
    return " ".join(text.split())


def _is_gift(text: str) -> bool:
    typed = fold(text)
    if typed.startswith(("-", "−")) or not any("0" <= ch <= "9" for ch in typed):
        return False
    words = [word.strip(".,;:()") for word in typed.split()]
    return any(len(word) >= 2 and word.isalpha() and word not in _UNITS for word in words)


def _number(body: str) -> int | None:
    """A number without currency: plain, grouped by thousands, or with units ("1tr2")."""
    if _PLAIN.fullmatch(body):
        return int(body) if len(body) <= len(str(MAX_VND)) + 2 else MAX_VND + 1
    if _GROUPED.fullmatch(body):
        return int(re.sub(r"[.,\s]", "", body))
    return _with_units(body)


def _with_units(body: str) -> int | None:
    """ "1 triệu 200 nghìn", "1tr2", "1,5tr", "5k5": pairs of a number and a unit, each unit
    smaller than the one before, then maybe a short number that continues the last unit
    ("1tr2": 2 tenths of a million; "1 triệu 200": 200 thousandths)."""
    total, position, scale = Decimal(0), 0, None
    while position < len(body):
        pair = _PAIR.match(body, position)
        if pair is None:
            break
        number, unit = _decimal(pair.group(1)), _UNITS[pair.group(2)]
        if number is None or (scale is not None and (unit >= scale or number * unit >= scale)):
            return None
        total, position, scale = total + number * unit, pair.end(), unit
    if scale is None:
        return None
    if position < len(body):
        tail = _TAIL.fullmatch(body, position)
        if tail is None or ("." in body[:position] and "," in body[:position]):
            return None
        digits = tail.group(1)
        total += Decimal(int(digits)) * scale / Decimal(10) ** len(digits)
    if total != total.to_integral_value():
        return None
    return int(total)


def _decimal(number: str) -> Decimal | None:
    """ "1,5" and "1.5" are one and a half; "1.500" (three digits after) fifteen hundred."""
    parts = re.split(r"[.,]", number)
    if len(parts) == 1:
        return Decimal(number)
    if all(len(part) == 3 for part in parts[1:]):
        return Decimal("".join(parts))
    if len(parts) != 2:
        return None
    try:
        return Decimal(f"{parts[0]}.{parts[1]}")
    except InvalidOperation:
        return None
