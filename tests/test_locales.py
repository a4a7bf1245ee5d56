"""The catalogues: both languages complete, same placeholders, valid Telegram HTML, and every
message the code asks for exists."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.i18n import Catalog, placeholders
from handlers.features import build_registry
from handlers.messages import Safe

ROOT = Path(__file__).resolve().parent.parent
CATALOG = Catalog.load()
ALLOWED_TAGS = {"b", "i", "u", "s", "code", "pre", "a"}


def test_both_languages_are_there() -> None:
    assert CATALOG.languages == ("en", "vi")


def test_every_message_exists_in_every_language() -> None:
    vi, en = set(CATALOG.messages["vi"]), set(CATALOG.messages["en"])
    assert vi - en == set(), "only in Vietnamese"
    assert en - vi == set(), "only in English"


@pytest.mark.parametrize("key", sorted(CATALOG.messages["vi"]))
def test_placeholders_agree(key: str) -> None:
    assert placeholders(CATALOG.messages["vi"][key]) == placeholders(CATALOG.messages["en"][key])


class _TagChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        assert tag in ALLOWED_TAGS, f"<{tag}> is not Telegram HTML"
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag, f"</{tag}> closes nothing"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_messages_are_valid_telegram_html(language: str) -> None:
    for key, message in CATALOG.messages[language].items():
        checker = _TagChecker()
        checker.feed(message)
        checker.close()
        assert checker.open == [], f"{language} {key}: unclosed {checker.open}"


def test_values_are_escaped_but_safe_html_is_kept() -> None:
    t = CATALOG.translator("vi")
    assert t("units.exists", code="<b>&") == "Đã có đơn vị mã <code>&lt;b&gt;&amp;</code>."
    assert t("link.done", unit=Safe("<b>KT</b>")).count("<b>KT</b>") == 1


def test_unknown_language_falls_back_to_vietnamese() -> None:
    assert CATALOG.translator("fr")("weekday.0") == "Thứ Hai"


KEY_USE = re.compile(r"""(?:\bt|\.t|\.reply|RowError\([^,]+,)\(\s*"([a-z_]+\.[a-z_.0-9]+)\"""")


def _keys_used_in_code() -> set[str]:
    keys: set[str] = set()
    for folder in ("bot", "handlers", "campaign"):
        for path in (ROOT / folder).rglob("*.py"):
            keys |= set(KEY_USE.findall(path.read_text(encoding="utf-8")))
            keys |= set(re.findall(r'RowError\([^,]+, "([a-z_]+\.[a-z_]+)"', path.read_text()))
    return keys


def test_every_message_the_code_names_exists() -> None:
    used = _keys_used_in_code()
    assert len(used) > 40
    missing = used - set(CATALOG.messages["vi"])
    assert missing == set()


def test_every_command_has_help_in_both_languages() -> None:
    for command in build_registry().commands:
        for language in ("vi", "en"):
            assert command.help_key in CATALOG.messages[language]
            if command.more_for is not None:
                assert f"help_more.{command.name}" in CATALOG.messages[language]


def test_plural_entries_are_the_same_keys_in_both_languages() -> None:
    vi, en = CATALOG.plural_forms("vi"), CATALOG.plural_forms("en")
    assert set(vi) == set(en)
    assert len(vi) > 20
    assert CATALOG.catalogues["vi"].number_of_forms == 1
    assert CATALOG.catalogues["en"].number_of_forms == 2


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_plural_entry_has_all_its_forms(language: str) -> None:
    wanted = CATALOG.catalogues[language].number_of_forms
    for key, forms in CATALOG.plural_forms(language).items():
        assert len(forms) == wanted, f"{language} {key}"
        assert all(forms), f"{language} {key}: an empty form"


@pytest.mark.parametrize("key", sorted(CATALOG.plural_forms("vi")))
def test_plural_forms_take_the_same_values(key: str) -> None:
    """Every form of both languages has the Vietnamese placeholders; only the singular may
    leave the count out ("The next event:")."""
    wanted = placeholders(CATALOG.plural_forms("vi")[key][0])
    assert "count" in wanted
    en = CATALOG.plural_forms("en")[key]
    assert placeholders(en[-1]) == wanted
    assert placeholders(en[0]) - {"count"} == wanted - {"count"}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_plural_forms_are_valid_telegram_html(language: str) -> None:
    for key, forms in CATALOG.plural_forms(language).items():
        for message in forms:
            checker = _TagChecker()
            checker.feed(message)
            checker.close()
            assert checker.open == [], f"{language} {key}: unclosed {checker.open}"
