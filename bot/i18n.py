"""Messages in Vietnamese and English from the gettext catalogues in locales/.

Catalogues are read with Babel straight from the .po files: no compile step to forget when a
translator edits a message. Message ids are stable keys ("invite.created"); the values use
Python's {name} placeholders, and every value put into a message is HTML-escaped, so a user's
"<b>&" reaches Telegram as text.

Numbers are never glued to words in the code. A message that holds a count is a gettext plural
entry (msgid_plural, msgstr[n]); the caller passes `count=n` and the form is chosen by the
catalogue's own `Plural-Forms` rule (Vietnamese has one form, English two: "in 1 day", "in 2
days"). An ordinal is written `{number:ordinal}` in the message, so English says "82nd" from
Babel's (CLDR) ordinal rules while Vietnamese keeps "kỷ niệm 82 năm".
"""

from __future__ import annotations

import gettext
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.pofile import read_po

from handlers.context import Translate
from handlers.messages import Safe, escape
from locales import DOMAIN, LOCALES_DIR

DEFAULT_LANGUAGE = "vi"

ORDINAL_SPEC = "ordinal"
"""The format spec that writes a number as an ordinal: "{number:ordinal}"."""

_ORDINAL_SUFFIXES: dict[str, dict[str, str]] = {
    "en": {"one": "st", "two": "nd", "few": "rd", "other": "th"},
}
"""The suffix of each CLDR ordinal category, by language. A language without an entry writes
the bare number (Vietnamese says "thứ 82" with the word in the message, not a suffix)."""


@cache
def _ordinal_rule(language: str) -> Callable[[int], str]:
    return Locale.parse(language).ordinal_form


def ordinal(number: int, language: str) -> str:
    """The ordinal of `number` in `language`: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st,
    82nd, 101st, 111th in English; the bare number where the language has no suffixes.

    Babel's CLDR rules decide the category, so 11–13 and 111–113 come out right without a
    hand-written exception list."""
    suffixes = _ORDINAL_SUFFIXES.get(language)
    if not suffixes:
        return str(number)
    return f"{number}{suffixes[_ordinal_rule(language)(abs(number))]}"


@dataclass(frozen=True)
class Language:
    """One catalogue: its messages (a plural entry by its last, most general form, so that
    the checks of placeholders and HTML see every key), its plural entries with every form,
    and the rule from a count to the index of the form."""

    messages: dict[str, str]
    plurals: dict[str, tuple[str, ...]]
    plural_index: Callable[[int], int]
    number_of_forms: int


def read_language(path: Path) -> Language:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or not message.string:
            continue
        if message.pluralizable:
            key = str(message.id[0])
            forms = tuple(str(form) for form in message.string)
            plurals[key] = forms
            messages[key] = forms[-1]
        else:
            messages[str(message.id)] = str(message.string)
    return Language(messages, plurals, gettext.c2py(catalog.plural_expr), catalog.num_plurals)


def read_catalogue(path: Path) -> dict[str, str]:
    return read_language(path).messages


def placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


class _MessageFormatter(string.Formatter):
    """str.format with every value escaped, and `{n:ordinal}` written by `ordinal`."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == ORDINAL_SPEC:
            return ordinal(int(value), self.language)
        if not format_spec:
            return escape(value)
        return escape(format(value, format_spec))


class Catalog:
    """All messages of all languages; `translator(lang)` gives the function handlers call."""

    def __init__(
        self,
        messages: dict[str, dict[str, str]],
        languages: Mapping[str, Language] | None = None,
    ) -> None:
        self.messages = messages
        self.languages = tuple(sorted(messages))
        self.catalogues: dict[str, Language] = dict(languages or {})

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR) -> Catalog:
        languages = {
            po.parent.parent.name: read_language(po)
            for po in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
        }
        return cls({name: language.messages for name, language in languages.items()}, languages)

    def plural_forms(self, language: str) -> dict[str, tuple[str, ...]]:
        """The plural entries of a language, every form (empty for a catalogue built by hand)."""
        catalogue = self.catalogues.get(language)
        return catalogue.plurals if catalogue is not None else {}

    def _template(self, language: str, key: str, values: Mapping[str, object]) -> str | None:
        """The message for `key` in `language`; for a plural entry, the form for `count`."""
        catalogue = self.catalogues.get(language)
        if catalogue is not None and key in catalogue.plurals:
            count = values.get("count")
            if not isinstance(count, int):
                raise TypeError(f"message {key!r} has plural forms: pass count=<int>")
            forms = catalogue.plurals[key]
            index = catalogue.plural_index(abs(count))
            return forms[min(index, len(forms) - 1)]
        return self.messages.get(language, {}).get(key)

    def translator(self, language: str) -> Translate:
        own = language if language in self.messages else DEFAULT_LANGUAGE
        formatters = {
            own: _MessageFormatter(own),
            DEFAULT_LANGUAGE: _MessageFormatter(DEFAULT_LANGUAGE),
        }

        def translate(key: str, /, **values: object) -> Safe:
            for name in (own, DEFAULT_LANGUAGE):
                template = self._template(name, key, values)
                if template:
                    return Safe(formatters[name].format(template, **values))
            raise KeyError(f"no message {key!r}")

        return translate
