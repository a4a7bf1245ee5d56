"""What a free-typed message means: a command with its arguments, a question for the documents,
smalltalk, or nothing to read (pure; the router and `python -m bot understand` call it).

Staff type sentences, not commands: "nhắc tôi 8h sáng mai nộp báo cáo", "em xong 70% rồi",
"mình đã đăng ký chưa", "cảm ơn nhé". Each intent below is a small set of cue patterns on the
folded text (lowercase, no diacritics, so typing with or without accents is alike), tried in
order; the arguments are cut from the user's own spelling at the same place. A message that
asks something (a question word, a question mark) and fits no personal intent stays a
question for the documents: "hạn chót đăng ký là khi nào" is about the document, not a wish to
register. Reminders find their time anywhere in the sentence with the time-phrase grammar
(campaign/timephrase.py) and put it first, where /nhacnho reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from campaign.commands import match_phrase
from campaign.text import fold, fold_aligned, squeeze
from campaign.timephrase import TimePhraseError, read

ASK = "hoi"
"""The command that asks the documents: a sentence that begins with it is just a question."""
Kind = Literal["command", "question", "smalltalk", "unknown"]
MAX_TIME_WORDS = 8


@dataclass(frozen=True)
class Reading:
    kind: Kind
    command: str | None = None
    """The Vietnamese command name ("nhacnho"), for kind "command"."""
    args: str = ""
    doubt: Reading | None = None
    """Another reading the sentence may well mean (a reminder that reads as a question too):
    the chat asks which one, with a button for each."""


QUESTION = re.compile(
    r"\?|\b(khi nao|bao gio|luc nao|la gi|la ai|gi|nao|ra sao|the nao|nhu the nao|bao nhieu|"
    r"o dau|tai sao|vi sao|co phai|what|when|who|how|why|which)\b"
)
"""A question word anywhere, or a question mark."""
ME = r"(toi|minh|em|anh|chi|tao|me|my|us|ca nhom|ca phong|moi nguoi|chung ta|chung toi)"
SMALLTALK_WORDS = frozenset(
    "chao xin hi hello hey alo cam on thanks thank you ok oke okay okie vang da u uh uhm duoc "
    "tot good great bye tam biet hen gap lai morning buoi sang nhe nha nhe a ah bot ban em anh "
    "chi nhieu rat lam roi nhe ha hi hihi haha thankyou tks thx cool yes no khong sure fine "
    "got it".split()
)
SMALLTALK_CORE = frozenset(
    "chao hi hello hey alo cam on thanks thank ok oke okay okie vang da u uh uhm duoc bye "
    "tam biet thankyou tks thx cool yes sure fine".split()
)
"""At least one of these makes a short message smalltalk rather than noise."""
SMALLTALK_MAX_WORDS = 5

Rule = Callable[[str, str, datetime | None], Reading | None]
"""(original text, folded text aligned with it, now) → a reading, or None: not this intent."""


def understand(
    text: str, phrases: Mapping[str, str] | None = None, now: datetime | None = None
) -> Reading:
    """The reading of a message that is not a slash command. `phrases`: the registry's
    command words (folded → name), the last resort before "question"; `now`: when the message
    was written, to find a reminder's time (None: times are not looked for)."""
    text = squeeze(text)
    folded = fold_aligned(text.lower())
    words = re.findall(r"[a-z0-9]+", folded)
    if not words:
        return Reading("unknown")
    if _smalltalk(words):
        return Reading("smalltalk")
    for rule in RULES:
        found = rule(text, folded, now)
        if found is not None:
            return found
    asks = QUESTION.search(folded) is not None
    phrase = match_phrase(text, dict(phrases or {}))
    if phrase is not None and not asks:
        return Reading("command", phrase.name, phrase.args)
    if phrase is not None and phrase.name != ASK:
        # "đăng ký thi đua thế nào?": begins as the command (match_phrase reads only the
        # beginning), asks like a question
        return Reading("question", args=text, doubt=Reading("command", phrase.name, phrase.args))
    return Reading("question", args=text)


def _smalltalk(words: list[str]) -> bool:
    return (
        len(words) <= SMALLTALK_MAX_WORDS
        and all(w in SMALLTALK_WORDS for w in words)
        and any(w in SMALLTALK_CORE for w in words)
    )


def _after(text: str, match: re.Match[str]) -> str:
    """The user's own words after a match of the folded text."""
    return text[match.end() :].strip(" ,.:;-")


def _asks(folded: str) -> bool:
    return QUESTION.search(folded) is not None


# -- the intents, in the order they are tried ------------------------------------------------

REMIND = re.compile(
    rf"^(?:(?:hay|nho|vui long|please)\s+)?(?:nhac(?:\s+nho)?\s+{ME}|"
    rf"dat\s+(?:lich\s+)?nhac(?:\s+viec)?(?:\s+cho\s+{ME})?|"
    rf"remind\s+{ME}|set\s+(?:a\s+)?reminder)(?:\s+(?:la|rang|to|that|ve))?\b"
)
CANCEL_REMINDER = re.compile(
    r"\b(?:huy|xoa|bo|cancel|delete)\s+(?:cai\s+)?(?:nhac(?:\s+viec)?|reminder)"
    r"(?:\s+(?:so|number|#))?\s*#?(\d+)\b"
)
LIST_REMINDERS = re.compile(
    r"\b(?:(?:xem|liet ke|danh sach|cac|nhung)\s+(?:cac\s+)?nhac(?:\s+viec)?|lich nhac|"
    r"(?:my|list|show)\s+(?:my\s+)?reminders)\b"
)
PERCENT = re.compile(r"\b(\d{1,3})\s*(?:%|phan tram|percent)")
PROGRESS = re.compile(
    r"\b(?:tien do|cap nhat tien do|progress|(?:da\s+)?(?:xong|hoan thanh|lam duoc|dat|done))\b"
)
COMMITMENT_DONE = re.compile(
    r"\bcam ket\s+(?:so\s+)?(\d{1,2})\s+(?:da\s+)?(?:xong|hoan thanh|done)\b"
)
MY_PLEDGE = re.compile(
    rf"\b(?:(?:da|co)\s+dang ky\s+(?:thi dua\s+)?chua|(?:xem\s+)?cam ket\s+(?:cua\s+)?{ME}|"
    r"xem cam ket|my pledge|my commitments)\b"
)
REGISTER = re.compile(
    r"^(?:(?:em|toi|minh|anh|chi)\s+)?(?:(?:muon|xin|can|se|cho|de)\s+)*dang ky(?:\s+thi dua)?\b"
    r"|^(?:i want to\s+)?(?:register|sign up)\b"
)
STANDING = re.compile(
    r"\b(?:thong ke|(?:don vi|phong|to|ban|doan|cong doan|chi doan)\s+(?:cua\s+)?"
    rf"{ME}\s+(?:the nao|ra sao|sao roi|dang the nao|co dat|dat chua)|"
    r"how is my unit|standing|stats)\b"
)
EVENTS = re.compile(r"\b(?:su kien|ngay le|ngay ky niem|ky niem|le ky niem|events?|holidays?)\b")
SOON = re.compile(
    r"\b(?:sap toi|sap|tuan nay|tuan toi|thang nay|thang toi|nam nay|gan day|coming|upcoming|"
    r"this week|next week|this month)\b"
)
HELP = re.compile(
    r"\b(?:(?:bot|ban|em)\s+(?:lam duoc|lam|giup duoc|biet lam|co the lam)\s+(?:nhung\s+)?gi|"
    r"huong dan(?:\s+su dung)?|tro giup|cach dung|what can you do|how to use)\b"
)
LANGUAGE = re.compile(
    r"\b(?:(?:chuyen|doi)\s+(?:sang|qua)\s+tieng\s+(anh|viet)|"
    r"(?:switch|change)\s+(?:to\s+)?(english|vietnamese)|(?:speak|in)\s+(english|vietnamese))\b"
)
SELF_ASSESS = re.compile(r"^(?:(?:em|toi|minh)\s+)?tu danh gia\b")
REPORT = re.compile(
    r"\b(?:(?:xuat|tai|lay|gui|lam|tao)\s+(?:file\s+)?bao cao|bao cao excel|"
    r"export(?: the)? report)\b"
)
ANNOUNCE = re.compile(
    r"^(?:gui\s+)?thong bao\s+(?:cho|toi|den)\s+(?:ca|toan|tat ca|moi|cac)\s+"
    r"(?:\w+\s+){0,2}?(?:phong|don vi|co quan|nhom|nguoi|doan|ban|to|anh chi em)\b"
)


def _remind(text: str, folded: str, now: datetime | None) -> Reading | None:
    match = REMIND.search(folded)
    if match is None:
        return None
    rest = _after(text, match)
    found = _time_in(rest, now)
    reading = Reading("command", "nhacnho", _time_first(rest, found))
    if now is not None and found is None and _asks(folded):
        # "nhắc tôi hạn nộp báo cáo là khi nào": no time to remind at, and it asks
        question = Reading("question", args=rest)  # what to remind of, asked instead
        return Reading(reading.kind, reading.command, reading.args, question)
    return reading


def _time_in(rest: str, now: datetime | None) -> tuple[int, int] | None:
    """Where the first time phrase of the words is (first word, number of words); None when
    there is none, or no `now` to read one against."""
    words = rest.split(" ")
    if now is None:
        return None
    for start in range(len(words)):
        for size in range(min(MAX_TIME_WORDS, len(words) - start), 0, -1):
            try:
                read(" ".join(words[start : start + size]), now)
            except TimePhraseError as error:
                if error.key != "time.past":  # a past time is still the time said: /nhacnho
                    continue  # refuses it, rather than store "hôm qua" as the text
            return start, size
    return None


def _time_first(rest: str, found: tuple[int, int] | None) -> str:
    """The reminder's words with its time phrase moved to the front ("nộp báo cáo 8h mai" →
    "8h mai nộp báo cáo"); unchanged when the time already leads or none was found. A comma
    stays where it was: "họp, 9h ngày kia"."""
    if found is None or found[0] == 0:
        return rest
    words = rest.split(" ")
    start, size = found
    phrase, before = words[start : start + size], words[:start]
    if phrase[-1].endswith(","):
        phrase = [*phrase[:-1], phrase[-1].rstrip(",")]
        before = [*before[:-1], before[-1] + ","]
    return " ".join(phrase + before + words[start + size :])


def _when_said(pattern: re.Pattern[str], command: str) -> Rule:
    """The rule of an intent that takes no arguments: the command when `pattern` is found."""

    def rule(text: str, folded: str, now: datetime | None) -> Reading | None:
        return Reading("command", command) if pattern.search(folded) else None

    return rule


def _cancel_reminder(text: str, folded: str, now: datetime | None) -> Reading | None:
    match = CANCEL_REMINDER.search(folded)
    return None if match is None else Reading("command", "huynhac", match.group(1))


def _progress(text: str, folded: str, now: datetime | None) -> Reading | None:
    done = COMMITMENT_DONE.search(folded)
    if done is not None:
        return Reading("command", "tiendo", f"{done.group(1)} 100")
    percent = PERCENT.search(folded)
    if percent is not None and (PROGRESS.search(folded) or folded.startswith(percent.group(1))):
        return Reading("command", "tiendo", percent.group(1))
    if re.search(rf"\btien do\s+(?:cua\s+)?{ME}\b|\bmy progress\b", folded):
        return Reading("command", "tiendo")
    return None


def _register(text: str, folded: str, now: datetime | None) -> Reading | None:
    match = REGISTER.search(folded)
    if match is None or _asks(folded):
        return None
    return Reading("command", "dangky", _after(text, match))


def _events(text: str, folded: str, now: datetime | None) -> Reading | None:
    if EVENTS.search(folded) and (SOON.search(folded) or _asks(folded)):
        return Reading("command", "sukien")
    return None


def _language(text: str, folded: str, now: datetime | None) -> Reading | None:
    match = LANGUAGE.search(folded)
    if match is None:
        return None
    name = next(group for group in match.groups() if group)
    return Reading("command", "ngonngu", "en" if name in ("anh", "english") else "vi")


def _self_assess(text: str, folded: str, now: datetime | None) -> Reading | None:
    match = SELF_ASSESS.search(folded)
    if match is None or _asks(folded):
        return None
    return Reading("command", "tudanhgia", _after(text, match))


def _announce(text: str, folded: str, now: datetime | None) -> Reading | None:
    match = ANNOUNCE.search(folded)
    return None if match is None else Reading("command", "thongbao", _after(text, match))


RULES: tuple[Rule, ...] = (
    _announce,
    _cancel_reminder,
    _when_said(LIST_REMINDERS, "lichnhac"),
    _remind,
    _language,
    _progress,
    _when_said(MY_PLEDGE, "camket"),
    _self_assess,
    _register,
    _when_said(STANDING, "thongke"),
    _events,
    _when_said(HELP, "trogiup"),
    _when_said(REPORT, "baocao"),
)
"""Most specific first: "huỷ nhắc số 3" before any reminder, a pledge's status before the
wish to register."""


LEAVE_WORDS = frozenset({"huy", "thoi", "thoat", "dung", "cancel", "stop", "exit", "quit"})
"""Words that leave any dialog, in either language, typed alone (or as a slash command)."""


def leaves(text: str) -> bool:
    """Whether the message asks to leave the dialog in progress: "huỷ", "thôi", "/cancel"."""
    return fold(text).strip(" /!.") in LEAVE_WORDS


INTERRUPTING = frozenset({"nhacnho", "huynhac", "lichnhac", "trogiup", "ngonngu"})
"""Commands a sentence asks for unmistakably ("nhắc tôi …", "chuyển sang tiếng Anh"): typed
while a dialog waits for free text, they are run and the dialog keeps waiting."""


def interrupts(text: str, reading: Reading, takes: str) -> bool:
    """Whether a message typed while a dialog waits is clearly something else: a question or
    another command, to answer or run while the dialog keeps waiting. `takes`: "choice" (the
    dialog asked to pick among options, so any command or question word is something else),
    "text" (free text: a commitment, a name; only a sentence ending in "?" and the
    unmistakable commands are something else) or "question" (the user's own question, a
    poll's: only the unmistakable commands)."""
    if reading.kind == "command":
        return takes == "choice" or reading.command in INTERRUPTING
    if reading.kind == "question" and takes != "question":
        asked = text.rstrip().endswith("?")
        return asked or (takes == "choice" and _asks(fold(text)))
    return False


def as_json(reading: Reading) -> dict[str, str | None]:
    """The shape `python -m bot understand --json` prints."""
    return {"kind": reading.kind, "command": reading.command, "args": reading.args}


__all__ = ["LEAVE_WORDS", "Reading", "as_json", "fold", "interrupts", "leaves", "understand"]
