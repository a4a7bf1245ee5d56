"""Quick polls ("bình chọn", "biểu quyết"): the one-line form's grammar, the rules a poll must
keep, how a press changes a vote, and the results as shares.

Pure: no database, no chat. The one-line form is `<question>; <option>; <option>…`, options
also one a line; trailing parts that read as settings are settings, in any order and in either
language: "nhiều lựa chọn" / "multiple", "ẩn danh" / "anonymous", "đóng 17h thứ sáu" /
"closes friday 5pm" (a time phrase, campaign/timephrase.py), "đơn vị KT, TH" / "units KT TH".
Only trailing parts are read so: an option in the middle of the list is an option whatever it
says. Without a closing phrase a poll closes DEFAULT_OPEN (24 hours) after it is made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from campaign.text import fold
from campaign.timephrase import TimePhraseError, read

MIN_OPTIONS = 2
MAX_OPTIONS = 10
MAX_QUESTION = 300
"""Characters of a question: a poll is read on a phone, in a group, between other messages."""
MAX_OPTION = 100
"""Characters of an option: it is a button's label."""
DEFAULT_OPEN = timedelta(hours=24)
"""A poll without a closing phrase closes a day later: long enough for everyone to see it in
a working day, short enough to stay a quick poll."""
MAX_OPEN = timedelta(days=60)
"""The farthest closing time: a poll is quick; a longer consultation is not a poll."""

MULTIPLE_WORDS = frozenset(
    {"nhieu lua chon", "chon nhieu", "nhieu dap an", "multiple", "multiple choice", "multi"}
)
ANONYMOUS_WORDS = frozenset({"an danh", "bo phieu kin", "phieu kin", "anonymous", "secret"})
CLOSING_WORDS = ("het han", "ket thuc", "dong luc", "dong", "closes", "close", "closing")
_TIME_HINT = re.compile(
    r"\d|\b(mai|thu|chu nhat|cn|tuan|ngay|sang|trua|chieu|toi|dem|tomorrow|today|tonight|week|"
    r"day|monday|tuesday|wednesday|thursday|friday|saturday|sunday|hours?|noon)\b"
)
"""A closing part must name a time: "Đông Anh" as the last option is an option, not "đóng"."""
UNIT_WORDS = ("don vi", "units", "unit", "dv")
_SEPARATORS = re.compile(r"[;\n]")


class PollError(ValueError):
    """A poll that cannot be made: `key` names the message, `values` fill it."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class PollSpec:
    """What the one-line form (or the dialog) says of a poll, before any check of roles."""

    question: str
    options: tuple[str, ...]
    multiple: bool = False
    anonymous: bool = False
    closes: str | None = None
    """The closing time as typed (None: the default)."""
    units: tuple[str, ...] = field(default_factory=tuple)
    """Unit codes as typed (empty: the author's default audience)."""


def _setting(part: str) -> tuple[str, str | bool | tuple[str, ...]] | None:
    """What a trailing part sets, or None when it is not a setting (then it is an option)."""
    folded = fold(part).strip(" .")
    if folded in MULTIPLE_WORDS:
        return "multiple", True
    if folded in ANONYMOUS_WORDS:
        return "anonymous", True
    words = part.strip().split()
    for prefix in CLOSING_WORDS:
        size = len(prefix.split())
        rest = " ".join(words[size:])
        if " ".join(fold(w) for w in words[:size]) == prefix and _TIME_HINT.search(fold(rest)):
            return "closes", rest
    for prefix in UNIT_WORDS:
        size = len(prefix.split())
        if len(words) > size and " ".join(fold(w) for w in words[:size]) == prefix:
            codes = re.split(r"[\s,]+", " ".join(words[size:]).strip(" ,"))
            return "units", tuple(code.upper() for code in codes if code)
    return None


def parse(text: str) -> PollSpec:
    """`<question>; <option>; <option>…[; settings]` → PollSpec, checked (`check`)."""
    question, *rest = [part.strip() for part in _SEPARATORS.split(text.strip())]
    if not question:
        raise PollError("poll.no_question")  # "; Sa Pa; Hạ Long": the options are no question
    parts = [question, *(part for part in rest if part)]  # "A; B;" and "A;; B" are forgiven
    settings: dict[str, str | bool | tuple[str, ...]] = {}
    while len(parts) > 1:
        found = _setting(parts[-1])
        if found is None or found[0] in settings:
            break
        settings[found[0]] = found[1]
        parts.pop()
    spec = PollSpec(
        question=parts[0],
        options=tuple(parts[1:]),
        multiple=bool(settings.get("multiple", False)),
        anonymous=bool(settings.get("anonymous", False)),
        closes=str(settings["closes"]) if "closes" in settings else None,
        units=_codes(settings.get("units", ())),
    )
    check(spec.question, spec.options)
    return spec


def _codes(value: str | bool | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else ()


def check_question(question: str) -> str:
    """The question, stripped; refused when empty or too long."""
    question = question.strip()
    if not question:
        raise PollError("poll.no_question")
    if len(question) > MAX_QUESTION:
        raise PollError("poll.question_too_long", limit=MAX_QUESTION)
    return question


def check_option(option: str, taken: tuple[str, ...] = ()) -> str:
    """One option, stripped: not empty, not too long, not the same as one already there
    (compared folded: "Hà Nội" and "ha noi" are the same choice)."""
    option = option.strip()
    if not option:
        raise PollError("poll.empty_option")
    if len(option) > MAX_OPTION:
        raise PollError("poll.option_too_long", option=option[:40], limit=MAX_OPTION)
    folded = fold(option)
    for other in taken:
        if fold(other) == folded:
            raise PollError("poll.duplicate_option", option=option)
    return option


def check(question: str, options: tuple[str, ...]) -> None:
    """The rules of a poll: a question, 2–10 options, none twice, none too long."""
    check_question(question)
    if len(options) < MIN_OPTIONS:
        raise PollError("poll.too_few_options", minimum=MIN_OPTIONS)
    if len(options) > MAX_OPTIONS:
        raise PollError("poll.too_many_options", maximum=MAX_OPTIONS, count=len(options))
    for index, option in enumerate(options):
        check_option(option, options[:index])


def closing_time(phrase: str | None, now: datetime) -> datetime:
    """When a poll made at `now` (aware, in the bot's zone) closes: the phrase read as
    /nhacnho reads times, or DEFAULT_OPEN later; in the future and within MAX_OPEN."""
    if phrase is None or not phrase.strip():
        return now + DEFAULT_OPEN
    try:
        moment = read(phrase, now).at
    except TimePhraseError as error:
        raise PollError(error.key, phrase=phrase) from None
    if moment <= now:
        raise PollError("time.past", phrase=phrase)
    if moment - now > MAX_OPEN:
        raise PollError("poll.closes_too_far", days=MAX_OPEN.days)
    return moment


def press(chosen: frozenset[int], position: int, multiple: bool) -> frozenset[int]:
    """The choices after a press of option `position`. Single choice: a press chooses, another
    option changes the vote, the same one again withdraws it. Multiple: a press toggles."""
    if multiple:
        return chosen ^ {position}
    if chosen == {position}:
        return frozenset()
    return frozenset({position})


@dataclass(frozen=True)
class Share:
    position: int
    text: str
    votes: int
    percent: int
    """Of the people who voted (on a multiple-choice poll the shares add up to more than 100)."""


def shares(options: list[tuple[int, str]], counts: dict[int, int], voters: int) -> list[Share]:
    """Each option (position, text) with its votes and its rounded share of the voters."""
    return [
        Share(position, text, counts.get(position, 0),
              round(100 * counts.get(position, 0) / voters) if voters else 0)
        for position, text in options
    ]  # fmt: skip
