"""Vietnamese text folding.

Staff type on phones, often without diacritics ("tro giup") or with the old tone placement
("hoà" for "hòa"). Matching folds everything to plain lowercase ASCII letters first, so that
every spelling of a word meets the same key.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


class _Folding(dict[int, str]):
    """Character → folded character, filled as characters are met: str.translate then folds
    a whole text in one pass (folding is the hot path of indexing and of every question).

    `aligned` keeps one character for one (a lone combining mark stays as it is), so that a
    span found in the folded text is the same span of the original."""

    def __init__(self, aligned: bool) -> None:
        super().__init__()
        self.aligned = aligned

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            folded = "d"
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn"
            ).lower()
            if self.aligned and len(base) != 1:
                base = ch.lower()[:1] or " "
            folded = base
        self[code] = folded
        return folded


_FOLD = _Folding(aligned=False)
_FOLD_ALIGNED = _Folding(aligned=True)


def fold(text: str) -> str:
    """Lowercase, strip diacritics (both tone placements), map "đ" to "d", squeeze spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(_FOLD)).strip()


def squeeze(text: str) -> str:
    """Collapse runs of white space into one space and trim the ends."""
    return _SPACES.sub(" ", text).strip()


def is_caps(text: str) -> bool:
    """Whether every letter is a capital (a heading or a letterhead line), with at least two."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SENTENCE_BREAK = re.compile(r"(?:[.!?:;“\"(]|^[-+•–]|[0-9a-zđ]\))\s*$")


def _spaced(line: str, left: re.Match[str], right: re.Match[str]) -> bool:
    return not line[left.end() : right.start()].strip()


def case_habits(corpus: str) -> dict[str, str]:
    """How the text itself writes each word, alone and after the word before it, when it is
    not at the start of a sentence or in a capitalised line: {"hải phòng": "Phòng",
    "phòng": "phòng", "ubnd": "UBND"}. Keys are lower case with their diacritics: folding
    would make "hải" and "hài" one word."""
    counts: dict[str, dict[str, int]] = {}

    def count(key: str, word: str) -> None:
        forms = counts.setdefault(key, {})
        forms[word] = forms.get(word, 0) + 1

    for line in corpus.split("\n"):
        if is_caps(line):
            continue
        previous, previous_end = "", 0
        matches = list(_WORD.finditer(line))
        shouted = [len(m.group(0)) > 1 and m.group(0).isupper() for m in matches]
        for at, match in enumerate(matches):
            word = match.group(0)
            lower = word.lower()
            before = line[max(0, match.start() - 4) : match.start()]
            in_caps_run = shouted[at] and (
                (at > 0 and shouted[at - 1] and _spaced(line, matches[at - 1], match))
                or (
                    at + 1 < len(matches)
                    and shouted[at + 1]
                    and _spaced(line, match, matches[at + 1])
                )
            )  # "Chương III QUY TRÌNH XÉT …": a heading run on a mixed line; not "CT-UBND"
            if match.start() > 0 and not in_caps_run and not _SENTENCE_BREAK.search(before):
                count(lower, word)
                if previous and not line[previous_end : match.start()].strip():
                    count(f"{previous} {lower}", word)
            previous, previous_end = lower, match.end()
    return {key: max(forms, key=forms.__getitem__) for key, forms in counts.items()}


_PLACE_WORDS = frozenset(
    {"tỉnh", "thành phố", "huyện", "quận", "xã", "phường", "thị xã", "thị trấn", "đặc khu"}
)


def recase(text: str, corpus: str | dict[str, str]) -> str:
    """A capitalised heading ("ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK") written the way the document
    writes those words elsewhere ("Ủy ban nhân dân tỉnh Đắk Lắk"); the first word capitalised,
    words the text never writes otherwise in lower case. Text that is not capitalised is kept."""
    if not is_caps(text):
        return text
    habits = case_habits(corpus) if isinstance(corpus, str) else corpus
    parts: list[str] = []
    previous = ""
    last = 0
    named = False
    """After "tỉnh", "thành phố", … comes a proper name, capitalised even when unknown."""
    for match in _WORD.finditer(text):
        word = match.group(0)
        lower = word.lower()
        known = habits.get(f"{previous} {lower}") or habits.get(lower)
        if known is not None and known.isupper() and len(known) > 1:
            cased = word
        elif (known is not None and known[0].isupper()) or (known is None and named):
            cased = word[0] + word[1:].lower()
        else:
            cased = lower
        named = (
            lower in _PLACE_WORDS
            or f"{previous} {lower}" in _PLACE_WORDS
            or (named and known is None)
        )
        parts.append(text[last : match.start()])
        parts.append(cased)
        last = match.end()
        previous = lower
    parts.append(text[last:])
    result = "".join(parts)
    return result[0].upper() + result[1:] if result else result


def fold_aligned(text: str) -> str:
    """`fold` character by character, spaces kept: position i of the result is character i of
    `text`, so a match found in the folded text quotes the original at the same span."""
    return text.translate(_FOLD_ALIGNED)
