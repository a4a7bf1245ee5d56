"""Facts read from real documents of other agencies (tests/data/documents, never special-cased
in the code): kind, issuer, number, date, signer, the period or its absence, deadlines,
targets, theme and motto, anniversaries; then dates in text, and the campaign calendar rules."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from campaign.docdates import find_dates
from campaign.document import Document, Kind, parse
from campaign.facts import Facts, rating_targets, read_facts
from campaign.intake import identity, is_campaign
from campaign.periods import (
    CampaignDates,
    Span,
    active,
    assessment_window,
    registration_deadline,
    span_of,
)
from tests.conftest import CAMPAIGN_2026
from tests.documents import seed_text

DOCUMENTS = Path(__file__).resolve().parent / "data" / "documents"


def read(name: str) -> tuple[Document, Facts]:
    lines = (DOCUMENTS / f"{name}.txt").read_text("utf-8").split("\n")
    document = parse("\n".join(lines[1:] if lines[0].startswith("# source") else lines))
    return document, read_facts(document)


@dataclass
class Expected:
    kind: Kind
    issuer: str
    number: str
    issued_on: date
    signer: str
    campaign: bool
    period: tuple[date | None, date | None] = (None, None)
    until: str | None = None
    """The words of an end named by an event, not a date."""
    deadlines: list[date] = field(default_factory=list)
    """Each of these dates is among the deadlines read."""
    targets: list[str] = field(default_factory=list)
    """These values come first, in this order."""
    theme: str | None = None
    motto: str | None = None


MOTTO_XIV = (
    "đổi mới tư duy, quyết tâm hành động, gương mẫu đi đầu, tận tâm cống hiến, kiến tạo phát "
    "triển, vì dân phục vụ"
)

CASES = {
    "ubnd-daklak-bau-cu-2026": Expected(
        Kind.KE_HOACH, "Ủy ban nhân dân tỉnh Đắk Lắk", "0125/KH-UBND", date(2025, 11, 18),
        "Đào Mỹ", True, (date(2025, 10, 1), date(2026, 3, 31)),
        deadlines=[date(2026, 3, 31)], targets=["≥98%", "≤5 cá nhân"],
    ),
    "ttg-thi-dua-cao-diem-2025": Expected(
        Kind.CONG_DIEN, "Thủ tướng Chính phủ", "229/CĐ-TTg", date(2025, 11, 26),
        "Phạm Minh Chính", True, targets=[">8%"],
        motto="đổi mới tư duy, kiến tạo phát triển, quyết tâm hành động, gương mẫu đi đầu, "
        "tận tâm cống hiến, vì dân phục vụ",
    ),
    "ttg-khanh-thanh-dai-hoi-xiv-2025": Expected(
        Kind.CONG_DIEN, "Thủ tướng Chính phủ", "224/CĐ-TTg", date(2025, 11, 20),
        "Phạm Minh Chính", False,
        deadlines=[date(2025, 12, 3), date(2025, 12, 10), date(2025, 12, 13), date(2025, 12, 15)],
    ),
    "ubnd-bacninh-quy-dinh-tdkt-2025": Expected(
        Kind.QUYET_DINH, "Ủy ban nhân dân tỉnh Bắc Ninh", "86/2025/QĐ-UBND", date(2025, 12, 3),
        "Phạm Hoàng Sơn", False, deadlines=[date(2025, 12, 10), date(2026, 7, 10)],
        targets=["100%", "70%", "70%", "≥80%", "≥2/3"],
    ),
    "ubnd-hanoi-cong-dan-uu-tu-2025": Expected(
        Kind.QUYET_DINH, "Ủy ban nhân dân thành phố Hà Nội", "71/2025/QĐ-UBND",
        date(2025, 11, 26), "Dương Đức Tuấn", False, deadlines=[date(2026, 3, 31)],
        targets=["≤10 cá nhân", "≥90%"],
    ),
    "ubnd-cantho-dan-van-2025": Expected(
        Kind.QUYET_DINH, "Ủy ban nhân dân thành phố Cần Thơ", "2579/QĐ-UBND",
        date(2025, 11, 21), "Trương Cảnh Tuyên", False,
        deadlines=[date(2025, 12, 15), date(2025, 12, 31)],
        targets=["≤3 điểm", "≤3 điểm", "10 điểm", "90 điểm"],
    ),
    "ubnd-haiphong-xep-loai-2025": Expected(
        Kind.QUYET_DINH, "Ủy ban nhân dân thành phố Hải Phòng", "212/2025/QĐ-UBND",
        date(2025, 11, 18), "Lê Ngọc Châu", False, deadlines=[date(2025, 12, 15)],
        targets=["20 điểm", "80 điểm"],
    ),
    "ubnd-cantho-chi-tra-khong-tien-mat-2025": Expected(
        Kind.KE_HOACH, "Ủy ban nhân dân thành phố Cần Thơ", "157/KH-UBND", date(2025, 11, 18),
        "Nguyễn Thị Ngọc Điệp", True, (date(2025, 11, 20), date(2025, 12, 10)),
        deadlines=[date(2025, 12, 31)], targets=["100%", "≥85%", "≥80%", "≥70%", "100%"],
    ),
    "ubnd-nghean-thi-dua-dai-hoi-xiv-2025": Expected(
        Kind.KE_HOACH, "Ủy ban nhân dân tỉnh Nghệ An", "982/KH-UBND", date(2025, 11, 19),
        "Phùng Thành Vinh", True, (date(2025, 11, 19), None),
        until="đến khi tổ chức thành công Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
        motto=MOTTO_XIV,
    ),
    "ubnd-daklak-thi-dua-dai-hoi-xiv-2025": Expected(
        Kind.KE_HOACH, "Ủy ban nhân dân tỉnh Đắk Lắk", "0124/KH-UBND", date(2025, 11, 18),
        "Đào Mỹ", True, (date(2025, 10, 1), None),
        until="đến khi tổ chức thành công Đại hội Đại biểu toàn quốc lần thứ XIV của Đảng",
        theme="Lập thành tích chào mừng Đại hội lần thứ XIV của Đảng; tăng tốc, bứt phá, hoàn "
        "thành thắng lợi các mục tiêu, nhiệm vụ Nghị quyết đại hội lần thứ XIII của Đảng",
        motto=MOTTO_XIV,
    ),
    "cp-phong-trao-bao-ve-moi-truong-2025": Expected(
        Kind.NGHI_QUYET, "Chính phủ", "394/NQ-CP", date(2025, 12, 3), "Phạm Minh Chính", False,
        deadlines=[date(2025, 12, 15), date(2025, 12, 31), date(2027, 1, 1)],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_facts_of_a_real_document(name: str) -> None:
    document, facts = read(name)
    expected = CASES[name]
    assert document.kind == expected.kind
    assert document.issuer == expected.issuer
    assert (document.number, document.issued_on) == (expected.number, expected.issued_on)
    assert document.signature is not None and document.signature.name == expected.signer
    assert is_campaign(document, facts) == expected.campaign
    assert (facts.period.start, facts.period.end) == expected.period
    assert facts.period.open_end == expected.until
    assert set(expected.deadlines) <= {d.date for d in facts.deadlines}
    assert [t.value for t in facts.targets][: len(expected.targets)] == expected.targets
    assert facts.theme == expected.theme
    motto = facts.motto("motto")
    assert (motto.text if motto else None) == expected.motto


def test_a_period_without_an_end_shows_none() -> None:
    _, facts = read("ttg-thi-dua-cao-diem-2025")
    assert (facts.period.start, facts.period.end, facts.period.text) == (None, None, None)
    assert facts.year == 2025  # from the title ("… NĂM 2025 …"), never shown as an end


def test_a_campaign_in_two_rounds() -> None:
    _, facts = read("ubnd-cantho-chi-tra-khong-tien-mat-2025")
    assert [(start, end) for start, end, _ in facts.period.rounds] == [
        (date(2025, 11, 20), date(2025, 12, 3)),
        (date(2025, 12, 8), date(2025, 12, 10)),
    ]


def test_deadlines_say_what_is_due_and_who_owes_it() -> None:
    _, facts = read("ttg-khanh-thanh-dai-hoi-xiv-2025")
    by_date = {(d.date, d.who) for d in facts.deadlines}
    assert (date(2025, 12, 15), "Bộ Tài chính") in by_date
    assert (date(2025, 12, 3), "Đài truyền hình Việt Nam") in by_date
    assert (date(2025, 12, 13), "Bộ Xây dựng") in by_date  # from its heading "2. Bộ Xây dựng:"
    due = next(d for d in facts.deadlines if d.date == date(2025, 12, 3))
    assert due.when == "trước ngày 03 tháng 12 năm 2025"
    assert "gửi Bộ Xây dựng" in due.text


def test_yearly_deadlines_fall_on_their_next_day_after_issue() -> None:
    _, facts = read("ubnd-bacninh-quy-dinh-tdkt-2025")
    education = next(d for d in facts.deadlines if "10/7" in d.when)
    assert (education.date, education.yearly) == (date(2026, 7, 10), True)


def test_anniversaries_named_in_the_text_with_their_dates() -> None:
    _, facts = read("ttg-khanh-thanh-dai-hoi-xiv-2025")
    assert [(c.name, c.day, c.month, c.first_year, c.anniversary) for c in facts.commemorations] == [
        ("Ngày giải phóng miền Nam, thống nhất đất nước", 30, 4, 1975, 50),
        (
            "Cách mạng Tháng Tám thành công và Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam",
            2, 9, 1945, 80,
        ),
        ("Ngày toàn quốc kháng chiến", 19, 12, 1946, 79),
    ]  # fmt: skip
    _, facts = read("ubnd-nghean-thi-dua-dai-hoi-xiv-2025")
    (election,) = facts.commemorations
    assert (election.name, election.day, election.month, election.year) == (
        "Ngày Tổng tuyển cử đầu tiên bầu Quốc hội Việt Nam",
        6,
        1,
        2026,
    )


def test_the_seed_keeps_its_eight_days_typo_included() -> None:
    facts = read_facts(parse(seed_text()))
    assert [(c.day, c.month, c.first_year, c.anniversary) for c in facts.commemorations] == [
        (3, 2, 1930, 95),
        (30, 4, 1975, 50),
        (19, 5, 1890, 135),
        (None, None, 1831, 194),  # Lạng Sơn: the document gives only "194 năm"
        (17, 8, 1910, 115),
        (27, 9, 1940, 85),
        (None, None, 1909, 116),  # Hoàng Văn Thụ: only "116 năm"
        (28, 8, 1945, 80),  # despite the typo "28/8/1945-128/8/2025"
    ]
    assert "128/8/2025" in facts.commemorations[7].phrase


def test_the_targets_a_unit_is_measured_against() -> None:
    document = parse(seed_text())
    facts = read_facts(document)
    assert facts.theme == (
        "Siết chặt kỷ cương, tăng cường trách nhiệm, quyết liệt hành động, tăng tốc bứt phá"
    )
    assert [(t.percent, t.metric) for t in rating_targets(document, facts)] == [
        (100, "key_tasks"),
        (100, "done"),
        (95, "good"),
        (5, "excellent"),
    ]
    assert (facts.period.end, facts.period.from_issue) == (date(2025, 12, 31), True)


def test_identity_lets_a_corrected_copy_replace_the_first() -> None:
    document, _ = read("ubnd-bacninh-quy-dinh-tdkt-2025")
    assert identity(document, 2025) == "so:86/2025/qd-ubnd|uy ban nhan dan tinh bac ninh"
    seed = parse(seed_text())
    assert identity(seed, 2025).startswith("ten:phong trao thi dua phan dau")


@pytest.mark.parametrize(
    ("text", "first", "last", "yearly"),
    [
        ("đến hết ngày 31 tháng 12 năm 2026", date(2026, 12, 31), date(2026, 12, 31), False),
        ("từ tháng 10 năm 2025 đến hết tháng 3 năm 2026", date(2025, 10, 1), date(2026, 3, 31), False),
        ("từ 10/2025 đến hết 3/2026", date(2025, 10, 1), date(2026, 3, 31), False),
        ("chậm nhất ngày 10 tháng 12 năm 2025,", date(2025, 12, 10), date(2025, 12, 10), False),
        ("từ ngày 16 đến ngày 31 tháng 12 hằng năm", None, None, True),
        ("trước ngày 10/7 hàng năm", None, None, True),
        ("Tổng kết vào tháng 4 năm 2026.", date(2026, 4, 1), date(2026, 4, 30), False),
        ("năm 2026", date(2026, 1, 1), date(2026, 12, 31), False),
    ],
)  # fmt: skip
def test_dates_in_a_document(
    text: str, first: date | None, last: date | None, yearly: bool
) -> None:
    (when,) = find_dates(text)
    assert (when.first, when.last, when.yearly) == (first, last, yearly)


def test_what_is_not_a_date() -> None:
    assert find_dates("có ít nhất 2/3 số thành viên dự họp") == []
    assert find_dates("Nghị định số 152/2025/NĐ-CP và 3.000 km") == []
    (day,) = find_dates("vào dịp kỷ niệm ngày Giải phóng Thủ đô (10/10) hằng năm")
    assert (day.begin.month, day.begin.day, day.yearly) == (10, 10, True)


def test_a_campaign_is_on_for_its_period_else_its_year() -> None:
    assert span_of(None, date(2025, 12, 31), None, 2025) == Span(
        date(2025, 1, 1), date(2025, 12, 31)
    )
    assert span_of(date(2025, 11, 19), None, date(2025, 11, 19), 2025) == Span(
        date(2025, 11, 19), date(2025, 12, 31)
    )  # "đến khi … thành công": the year it is named for
    assert span_of(date(2025, 10, 1), None, None, 2024).end == date(2026, 10, 1)
    yearly = CampaignDates(1, 2026, date(2026, 1, 12), date(2026, 12, 31), date(2026, 1, 12))
    drive = CampaignDates(2, 2026, date(2026, 3, 1), date(2026, 4, 30), date(2026, 2, 20))
    past = CampaignDates(3, 2025, None, date(2025, 12, 31), None)
    assert active([drive, past, yearly], date(2026, 3, 10)) == [yearly, drive]
    assert active([drive, past, yearly], date(2026, 11, 30)) == [yearly]
    assert active([past], date(2026, 11, 30)) == []


def test_windows_come_from_the_documents_deadlines() -> None:
    facts = read_facts(parse(CAMPAIGN_2026.read_text("utf-8")))
    assert registration_deadline(facts.deadlines, 2026) == date(2026, 3, 31)
    assert assessment_window(facts.deadlines, 2026) == Span(date(2026, 12, 1), date(2026, 12, 15))
    _, rules = read("ubnd-haiphong-xep-loai-2025")  # "trước ngày 15 tháng 12 hàng năm"
    assert assessment_window(rules.deadlines, 2027) == Span(date(2027, 11, 30), date(2027, 12, 15))
    assert registration_deadline([], 2027) == date(2027, 3, 31)
    assert assessment_window([], 2027) is None
