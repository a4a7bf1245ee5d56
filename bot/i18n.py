"""Messages in Vietnamese and English from the gettext catalogues in locales/.

Catalogues are read with Babel straight from the .po files: no compile step to forget when a
translator edits a message. Message ids are stable keys ("invite.created"); the values use
Python's {name} placeholders, and every value put into a message is HTML-escaped, so a user's
"<b>&" reaches Telegram as text.
"""

from __future__ import annotations

import string
from pathlib import Path

from babel.messages.pofile import read_po

from handlers.context import Translate
from handlers.messages import Safe, escape
from locales import DOMAIN, LOCALES_DIR

DEFAULT_LANGUAGE = "vi"


def read_catalogue(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string}


def placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


class Catalog:
    """All messages of all languages; `translator(lang)` gives the function handlers call."""

    def __init__(self, messages: dict[str, dict[str, str]]) -> None:
        self.messages = messages
        self.languages = tuple(sorted(messages))

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR) -> Catalog:
        messages = {
            po.parent.parent.name: read_catalogue(po)
            for po in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
        }
        return cls(messages)

    def translator(self, language: str) -> Translate:
        own = self.messages.get(language) or {}
        fallback = self.messages.get(DEFAULT_LANGUAGE, {})

        def translate(key: str, /, **values: object) -> Safe:
            template = own.get(key) or fallback.get(key)
            if template is None:
                raise KeyError(f"no message {key!r}")
            return Safe(template.format(**{k: escape(v) for k, v in values.items()}))

        return translate
