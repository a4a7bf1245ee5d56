"""Numbers in messages: English ordinals from Babel's rules, plural forms from the catalogue's
Plural-Forms rule chosen by `count`, Vietnamese unchanged."""

import pytest

from bot.i18n import Catalog, ordinal

CATALOG = Catalog.load()
EN = CATALOG.translator("en")
VI = CATALOG.translator("vi")


@pytest.mark.parametrize(
    ("number", "written"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (82, "82nd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
        (113, "113th"),
        (135, "135th"),
    ],
)
def test_english_ordinals(number: int, written: str) -> None:
    assert ordinal(number, "en") == written


def test_a_language_without_suffixes_writes_the_number() -> None:
    assert ordinal(82, "vi") == "82"


@pytest.mark.parametrize(
    ("number", "english"), [(82, "82nd"), (52, "52nd"), (23, "23rd"), (111, "111th"), (1, "1st")]
)
def test_anniversaries_are_ordinals_in_english_and_unchanged_in_vietnamese(
    number: int, english: str
) -> None:
    assert EN("events.anniversary", number=number) == f" ({english} anniversary)"
    assert VI("events.anniversary", number=number) == f" (kỷ niệm {number} năm)"
    assert EN("show.day", anniversary=number, name="X", year=2025).startswith(english)
    assert VI("show.day", anniversary=number, name="X", year=2025).startswith(f"Kỷ niệm {number}")


@pytest.mark.parametrize(
    ("count", "english", "vietnamese"),
    [(0, "in 0 days", "còn 0 ngày"), (1, "in 1 day", "còn 1 ngày"), (2, "in 2 days", "còn 2 ngày")],
)
def test_days_left_has_its_plural_form(count: int, english: str, vietnamese: str) -> None:
    assert EN("events.days_left", count=count) == english
    assert VI("events.days_left", count=count) == vietnamese


def test_counted_headers_and_phrases() -> None:
    assert EN("events.header", count=1) == "The next event:"
    assert EN("events.header", count=30) == "The next 30 events:"
    assert VI("events.header", count=1) == "1 sự kiện sắp tới:"
    assert EN("remind.list_header", count=1) == "1 reminder:"
    assert EN("remind.list_header", count=3) == "3 reminders:"
    assert EN("count.members", count=1) == "1 member"
    assert EN("count.members", count=2) == "2 members"
    assert VI("count.members", count=1) == "1 thành viên"
    assert EN("push.event", count=1, name="N", anniversary="", day="D").startswith("📅 1 day to")
    assert EN("push.event", count=7, name="N", anniversary="", day="D").startswith("📅 7 days to")


def test_a_message_with_several_counts_is_built_from_counted_phrases() -> None:
    values = {
        "members": EN("count.members", count=1),
        "chats": EN("count.group_chats", count=2),
        "reminders": EN("count.reminders", count=1),
    }
    text = EN("units.deleted", unit="KT", **values)
    assert (
        text == "Deleted the unit KT: 1 member left it, 2 group chats unlinked, 1 reminder stopped."
    )


def test_a_plural_message_needs_its_count() -> None:
    with pytest.raises(TypeError, match="count"):
        EN("events.days_left")


def test_counted_values_are_still_escaped() -> None:
    assert EN("units.line", unit="<b>", kind="x", count=1) == "• &lt;b&gt;: x, 1 member"
