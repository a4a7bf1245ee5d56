"""The calendar, pure: national days for all, packs by place and sector, the document's days,
the admins' added and hidden days."""

from dataclasses import dataclass
from datetime import date

import pytest

from campaign import calendar
from campaign.calendar import HiddenDay, Observance
from campaign.document import parse
from campaign.facts import read_facts
from tests.documents import seed_text

COMMEMORATIONS = read_facts(parse(seed_text())).commemorations
DEMO_PACKS = calendar.packs(["lang-son"], ["giao-thong"])
"""The bundled document is Lạng Sơn's transport department's: the packs its agency chooses."""
DAYS = calendar.build(calendar.document_days(COMMEMORATIONS, DEMO_PACKS), DEMO_PACKS)
LANG_SON_NAMES = {o.name for o in calendar.PROVINCE_PACKS["lang-son"]}


def find(name: str, days: list[Observance] = DAYS) -> Observance:
    return next(o for o in days if o.name == name)


def every_table_day() -> list[Observance]:
    tables = (*calendar.PROVINCE_PACKS.values(), *calendar.SECTOR_PACKS.values())
    days: list[Observance] = list(calendar.NATIONAL)
    for table in tables:
        days.extend(d for d in table if d not in days)
    return days


def test_no_pack_means_the_national_days_only() -> None:
    assert calendar.packs() == calendar.NATIONAL
    days = calendar.build((), calendar.packs())
    assert {o.scope for o in days} == {"national"}
    assert not LANG_SON_NAMES & {o.name for o in days}
    assert "Ngày truyền thống ngành Giao thông vận tải" not in {o.name for o in days}


def test_the_national_table_knows_the_well_known_days() -> None:
    national = {(o.day, o.month, o.first_year): o.name for o in calendar.NATIONAL}
    assert national[(19, 12, 1946)] == "Ngày Toàn quốc kháng chiến"
    assert national[(21, 6, 1925)] == "Ngày Báo chí cách mạng Việt Nam"
    assert national[(13, 10, 2004)] == "Ngày Doanh nhân Việt Nam"
    assert (10, 10) not in {(o.day, o.month) for o in calendar.NATIONAL}
    assert [(o.day, o.month, o.first_year) for o in calendar.PROVINCE_PACKS["ha-noi"]] == [
        (10, 10, 1954)
    ]


def test_packs_add_their_days_once_after_the_national_ones() -> None:
    chosen = calendar.packs(["lang-son"], ["giao-thong", "xay-dung"])
    assert chosen[: len(calendar.NATIONAL)] == calendar.NATIONAL
    added = chosen[len(calendar.NATIONAL) :]
    assert [o.scope for o in added] == ["province"] * 4 + ["sector"] * 3
    transport = [o for o in chosen if o.name == "Ngày truyền thống ngành Giao thông vận tải"]
    assert len(transport) == 1  # carried by both giao-thong and xay-dung
    building = find("Ngày truyền thống ngành Xây dựng", list(chosen))
    assert (building.day, building.month, building.first_year) == (29, 4, 1958)
    with pytest.raises(ValueError, match="lang-son"):
        calendar.packs(["ca-mau"])


def test_every_table_day_has_a_known_scope_and_none_swallows_another() -> None:
    days = every_table_day()
    assert {o.scope for o in days} <= set(calendar.SCOPES)
    for i, a in enumerate(days):
        for b in days[i + 1 :]:
            assert not calendar.same_day(a, b), (a.name, b.name)


def test_pack_names_are_forgiving_about_spelling() -> None:
    assert calendar.pack_name(" Lạng Sơn ") == "lang-son"
    assert calendar.pack_name("XAY_DUNG") == "xay-dung"


def test_the_document_days_come_first_and_are_not_repeated_by_the_tables() -> None:
    document = [o for o in DAYS if o.scope == "document"]
    assert len(document) == 8
    assert DAYS[:8] == document
    party = [o for o in DAYS if (o.month, o.day) == (2, 3)]
    assert len(party) == 1 and party[0].scope == "document"


def test_dates_missing_from_the_document_come_from_the_chosen_packs() -> None:
    lang_son = find("Ngày thành lập tỉnh Lạng Sơn")
    assert (lang_son.day, lang_son.month, lang_son.dated_by) == (4, 11, "table")
    assert lang_son.scope == "document" and lang_son.source == "14"  # the passage of I.5
    assert find("Ngày truyền thống ngành Giao thông vận tải").dated_by == "document"
    # Without the Lạng Sơn pack nothing dates them: they cannot be put on a calendar.
    national_only = calendar.document_days(COMMEMORATIONS)
    assert len(national_only) == 6
    assert "Ngày thành lập tỉnh Lạng Sơn" not in {o.name for o in national_only}


@dataclass(frozen=True)
class Named:
    """Any object with a document day's attributes will do (calendar.NamedDay)."""

    name: str
    day: int | None
    month: int | None
    anniversary: int | None = None
    first_year: int | None = None
    phrase: str | None = None
    section: str | None = None


def test_document_days_take_any_named_day() -> None:
    days = calendar.document_days(
        [
            Named("Ngày truyền thống Hội Nông dân", 14, 10, 95, 1930, "…95 năm…", "I.5"),
            Named("Ngày tưởng niệm các nạn nhân tử vong do tai nạn giao thông", None, None),
            Named("Ngày hội không ai biết", None, None),
        ],
        calendar.packs(sector=["giao-thong"]),
    )
    assert [(o.name, o.scope, o.dated_by) for o in days] == [
        ("Ngày truyền thống Hội Nông dân", "document", "document"),
        ("Ngày tưởng niệm các nạn nhân tử vong do tai nạn giao thông", "document", "table"),
    ]
    assert days[1].on(2025) == date(2025, 11, 16)  # the third Sunday, from the pack


def test_anniversaries_for_any_year() -> None:
    sector = find("Ngày truyền thống ngành Giao thông vận tải")
    assert sector.anniversary(2025) == 80
    assert sector.anniversary(2030) == 85
    assert find("Ngày thành lập tỉnh Lạng Sơn").anniversary(2025) == 194
    assert find("Ngày Pháp luật Việt Nam").anniversary(2025) is None


def test_third_sunday_of_november() -> None:
    victims = next(o for o in DAYS if o.nth_weekday is not None)
    assert victims.on(2025) == date(2025, 11, 16)
    assert victims.on(2026) == date(2026, 11, 15)


def test_upcoming_window_counts_days_left_and_includes_today() -> None:
    found = calendar.upcoming(DAYS, date(2025, 8, 17), days=12)
    assert [(o.date, o.anniversary, o.days_left) for o in found] == [
        (date(2025, 8, 17), 115, 0),
        (date(2025, 8, 19), 80, 2),
        (date(2025, 8, 28), 80, 11),
    ]


def test_upcoming_crosses_the_new_year() -> None:
    found = calendar.upcoming(DAYS, date(2025, 12, 20), limit=3)
    assert [o.date for o in found] == [date(2025, 12, 22), date(2026, 2, 3), date(2026, 3, 8)]


def test_custom_days() -> None:
    yearly = Observance("Ngày truyền thống Hội Nông dân", 10, 14, 1930, "custom")
    once = Observance("Hội nghị tổng kết", 12, 20, 2025, "custom", only_year=2025)
    again = Observance("Ngày Quốc tế Phụ nữ", 3, 8, 1910, "custom")
    days = calendar.build((), calendar.packs(), [yearly, once, again])
    found = calendar.upcoming(days, date(2025, 10, 1), days=91)
    names = [(o.observance.name, o.anniversary) for o in found]
    assert ("Ngày truyền thống Hội Nông dân", 95) in names
    assert ("Hội nghị tổng kết", None) in names
    assert once.on(2026) is None
    women = [o for o in days if o.name == "Ngày Quốc tế Phụ nữ"]
    assert [o.scope for o in women] == ["national"]  # the same day added by hand is dropped


def test_hidden_days_are_left_out_whatever_their_source() -> None:
    own = calendar.document_days(COMMEMORATIONS, DEMO_PACKS)
    hidden = [
        HiddenDay("Ngày Quốc tế Phụ nữ", 8, 3),
        HiddenDay("Ngày thành lập Đảng cộng sản Việt Nam", 3, 2),  # the document's words
        HiddenDay("Ngày Thế giới tưởng niệm các nạn nhân tử vong do tai nạn giao thông", 16, 11),
    ]
    days = calendar.build(own, DEMO_PACKS, (), hidden)
    names = {o.name for o in days}
    assert "Ngày Quốc tế Phụ nữ" not in names
    # Hiding the document's day does not bring back the national table's entry for it.
    assert not [o for o in days if (o.day, o.month) == (3, 2)]
    # A day like "the third Sunday of November" is hidden for every year, whatever its date.
    assert not [o for o in days if o.nth_weekday is not None]
    assert len(days) == len(DAYS) - 3


def test_a_hidden_day_added_again_by_hand_shows() -> None:
    hidden = [HiddenDay("Ngày Quốc tế Phụ nữ", 8, 3)]
    mine = Observance("Ngày Quốc tế Phụ nữ", 3, 8, 1910, "custom", dated_by="admin")
    days = calendar.build((), calendar.packs(), [mine], hidden)
    assert [o.scope for o in days if o.name == "Ngày Quốc tế Phụ nữ"] == ["custom"]


def test_a_hidden_day_hides_only_its_own_date() -> None:
    hidden = [HiddenDay("Ngày sinh đồng chí Hoàng Văn Thụ", 4, 11)]
    days = calendar.build((), calendar.packs(["lang-son"]), (), hidden)
    on_4_11 = [o.name for o in days if (o.day, o.month) == (4, 11)]
    assert on_4_11 == ["Ngày thành lập tỉnh Lạng Sơn"]


def test_the_29th_of_february_falls_on_the_28th_in_other_years() -> None:
    leap = Observance("Ngày nhuận", 2, 29, 2024, "custom")
    assert leap.on(2025) == date(2025, 2, 28)
    assert leap.on(2028) == date(2028, 2, 29)


def test_a_limit_counts_events_across_years_but_not_without_end() -> None:
    one_day = [Observance("Ngày truyền thống", 10, 14, 1930, "custom")]
    found = calendar.upcoming(one_day, date(2025, 10, 15), limit=5)
    assert [o.date.year for o in found] == [2026, 2027, 2028, 2029, 2030]
    assert [o.anniversary for o in found] == [96, 97, 98, 99, 100]
    lonely = calendar.upcoming(one_day, date(2025, 10, 15), limit=50)
    assert len(lonely) == calendar.LOOKAHEAD_YEARS
    national = calendar.upcoming(calendar.packs(), date(2026, 12, 5), limit=50)
    assert len(national) == 50
    assert [o.date for o in national] == sorted(o.date for o in national)
