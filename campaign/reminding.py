"""What a reminder's words say (pure): the time they start with, the text after it, and what
is wrong with them, said back to the user instead of storing a wrong reminder.

"/nhacnho 8h mai Nộp báo cáo" and the sentence "nhắc tôi 8h mai nộp báo cáo" (moved into that
order by campaign/understand.py) come here as words. The time is the longest leading run of
words the time grammar reads (campaign/timephrase.py). Three mistakes are caught here rather
than stored as a reminder nobody meant:

- a time already past, even when a shorter part of it would be a future one: "8h sáng hôm
  qua nộp báo cáo" is yesterday's 8:00, not tomorrow's with the text "hôm qua nộp báo cáo";
- no text: "8h mai" is a time with nothing to remind of;
- two times joined as one sentence: "8h mai và 9h ngày kia họp" is two reminders, and which
  one the user wants stored cannot be guessed.

A time inside the text that is not joined that way stays text: "8h mai họp lúc 9h" reminds at
8:00 of the 9:00 meeting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from campaign.text import fold
from campaign.timephrase import Reading, TimePhraseError, read

MAX_PHRASE_WORDS = 8
"""The longest time phrase tried ("16h chiều thứ sáu tuần sau hằng tuần" is seven words)."""
REPORTED = frozenset({"time.past", "time.bad_date", "time.bad_clock", "time.too_far"})
"""Time errors worth telling as they are: the user wrote a time, but not a usable one."""
JOINING_WORDS = frozenset({"va", "hoac", "roi", "voi", "and", "or", "then", "&", "+"})
"""Words that join a second time to the first ("8h mai và 9h ngày kia")."""


@dataclass(frozen=True)
class ReminderWords:
    """A usable reminder: when, the user's words for it, and what to remind of."""

    reading: Reading
    when: str
    text: str


@dataclass(frozen=True)
class ReminderProblem(Exception):
    """Why the words are no reminder to store; `key` names the message, and the values say
    what was understood: the time phrase (`when`), a second one (`second`), the text."""

    key: str
    when: str
    second: str = ""
    text: str = ""
    reading: Reading | None = field(default=None, compare=False)


def _is_time(words: Sequence[str], now: datetime) -> bool:
    """Whether the words read as a time, future or past (a past one is still a time said)."""
    try:
        read(" ".join(words), now)
    except TimePhraseError as error:
        return error.key == "time.past"
    return True


def second_time(
    text: Sequence[str], now: datetime, *, joined: bool = False
) -> tuple[int, int] | None:
    """Where a second time starts in a reminder's text and how many words it has: after a
    joining word ("và 9h ngày kia") or a comma, or at the very start when the first time
    ended with a comma (`joined`). None when there is none."""
    for start in range(len(text)):
        before = text[start - 1] if start else ""
        if start == 0 and not joined:
            continue
        if start and fold(before).strip(",;") not in JOINING_WORDS and not before.endswith(","):
            continue
        for size in range(min(MAX_PHRASE_WORDS, len(text) - start), 0, -1):
            if _is_time(text[start : start + size], now):
                return start, size
    return None


def read_reminder(words: Sequence[str], now: datetime) -> ReminderWords | None:
    """The reminder the words make, None when they do not start with a time; raises
    ReminderProblem when they start with one but make no reminder to store."""
    reported: ReminderProblem | None = None  # the shortest phrase with a time error:
    # "sau 99999999 ngày" of "sau 99999999 ngày họp", not the whole of it
    for size in range(min(MAX_PHRASE_WORDS, len(words)), 0, -1):
        when = " ".join(words[:size])
        try:
            reading = read(when, now)
        except TimePhraseError as error:
            if error.key == "time.past":
                raise ReminderProblem("time.past", when) from None
            if error.key in REPORTED:
                reported = ReminderProblem(error.key, when)
            continue
        text = list(words[size:])
        if not text:
            raise ReminderProblem("remind.no_text", when, reading=reading)
        second = second_time(text, now, joined=words[size - 1].endswith(","))
        if second is not None:
            start, length = second
            joiner = start > 0 and fold(text[start - 1]).strip(",;") in JOINING_WORDS
            rest = text[: start - 1 if joiner else start] + text[start + length :]
            raise ReminderProblem(
                "remind.two_times",
                when.rstrip(","),
                second=" ".join(text[start : start + length]).rstrip(","),
                text=" ".join(rest).strip(" ,"),
            )
        return ReminderWords(reading, when, " ".join(text))
    if reported is not None:
        raise reported
    return None
