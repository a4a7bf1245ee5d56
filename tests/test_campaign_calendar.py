from datetime import date

from campaign import calendar
from campaign.calendar import Observance
from campaign.document import parse
from tests.documents import seed_text

CAMPAIGN = parse(seed_text())
DAYS = calendar.build(CAMPAIGN)


def find(name: str) -> Observance:
    return next(o for o in DAYS if o.name == name)


def test_the_campaign_days_come_first_and_are_not_repeated_by_the_table() -> None:
    campaign_days = [o for o in DAYS if o.scope == "campaign"]
    assert len(campaign_days) == 8
    party = [o for o in DAYS if (o.month, o.day) == (2, 3)]
    assert len(party) == 1 and party[0].scope == "campaign"


def test_dates_missing_from_the_document_come_from_the_table() -> None:
    lang_son = find("Ngày thành lập tỉnh Lạng Sơn")
    assert (lang_son.day, lang_son.month, lang_son.dated_by) == (4, 11, "table")
    assert find("Ngày truyền thống ngành Giao thông vận tải").dated_by == "document"


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
    found = calendar.upcoming(DAYS, date(2025, 12, 20), limit=2)
    assert [o.date for o in found] == [date(2025, 12, 22), date(2026, 2, 3)]


def test_custom_days() -> None:
    yearly = Observance("Ngày truyền thống Hội Nông dân", 10, 14, 1930, "custom")
    once = Observance("Hội nghị tổng kết", 12, 20, 2025, "custom", only_year=2025)
    days = calendar.build(CAMPAIGN, [yearly, once])
    found = calendar.upcoming(days, date(2025, 10, 1), days=91)
    names = [(o.observance.name, o.anniversary) for o in found]
    assert ("Ngày truyền thống Hội Nông dân", 95) in names
    assert ("Hội nghị tổng kết", None) in names
    assert once.on(2026) is None


def test_the_29th_of_february_falls_on_the_28th_in_other_years() -> None:
    leap = Observance("Ngày nhuận", 2, 29, 2024, "custom")
    assert leap.on(2025) == date(2025, 2, 28)
    assert leap.on(2028) == date(2028, 2, 29)
