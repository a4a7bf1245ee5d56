"""The parser on the real 2025 document, and on the same document as .docx and .pdf."""

from datetime import date
from pathlib import Path

import pytest

from bot.documents import read_text
from campaign.document import DocumentError, paragraphs, parse
from tests.documents import make_docx, make_numbered_docx, make_pdf, seed_text

CAMPAIGN = parse(seed_text())


def test_header_fields() -> None:
    assert CAMPAIGN.title == (
        "Phong trào thi đua, phấn đấu hoàn thành thắng lợi nhiệm vụ chính trị năm 2025"
    )
    assert CAMPAIGN.year == 2025
    assert CAMPAIGN.issuer == "Sở Giao thông vận tải"
    assert (CAMPAIGN.signer_title, CAMPAIGN.signer) == ("GIÁM ĐỐC", "Dương Công Vĩ")
    assert CAMPAIGN.theme == (
        "Siết chặt kỷ cương, tăng cường trách nhiệm, quyết liệt hành động, tăng tốc bứt phá"
    )


def test_period_ends_on_the_last_day_of_the_year() -> None:
    assert CAMPAIGN.period_start is None  # "Từ ngày phát động": the day is not written
    assert CAMPAIGN.period_end == date(2025, 12, 31)
    assert CAMPAIGN.period_clause is not None and CAMPAIGN.period_clause.section == "III.1"


def test_section_tree() -> None:
    numbers = [s.number for s in CAMPAIGN.sections]
    assert numbers == [
        "I", "I.1", "I.2", "I.3", "I.4", "I.5", "I.6",
        "II", "II.1", "II.2",
        "III", "III.1", "III.2", "III.3", "III.4",
    ]  # fmt: skip
    assert [s.title for s in CAMPAIGN.sections if "." not in s.number] == [
        "NỘI DUNG CHỦ YẾU",
        "CHỈ TIÊU PHẤN ĐẤU THI ĐUA",
        "TỔ CHỨC THỰC HIỆN",
    ]
    assert CAMPAIGN.section("II.1").title == "Nhiệm vụ chuyên môn"  # type: ignore[union-attr]
    assert len(CAMPAIGN.section("II.1").clauses) == 3  # type: ignore[union-attr]


def test_targets_of_part_two() -> None:
    assert [(t.percent, t.metric) for t in CAMPAIGN.targets] == [
        (100, "key_tasks"),
        (100, "done"),
        (95, "good"),
        (5, "excellent"),
    ]
    assert CAMPAIGN.targets[2].phrase == "95% hoàn thành tốt nhiệm vụ trở lên"


def test_eight_commemorations_with_their_dates_and_anniversaries() -> None:
    found = [(c.day, c.month, c.first_year, c.anniversary) for c in CAMPAIGN.commemorations]
    assert found == [
        (3, 2, 1930, 95),
        (30, 4, 1975, 50),
        (19, 5, 1890, 135),
        (None, None, 1831, 194),  # Lạng Sơn: the document gives only "194 năm"
        (17, 8, 1910, 115),
        (27, 9, 1940, 85),
        (None, None, 1909, 116),  # Hoàng Văn Thụ: only "116 năm"
        (28, 8, 1945, 80),  # despite the typo "28/8/1945-128/8/2025"
    ]
    assert CAMPAIGN.commemorations[7].name == "Ngày truyền thống ngành Giao thông vận tải"
    assert "128/8/2025" in CAMPAIGN.commemorations[7].phrase


def test_recipients_and_appendix() -> None:
    assert CAMPAIGN.recipients[0] == "Bộ GTVT (Bc)"
    assert "CĐCS Sở GTVT" in CAMPAIGN.recipients
    assert len(CAMPAIGN.recipients) == 8
    assert [c.section for c in CAMPAIGN.appendix] == ["appendix.1", "appendix.2"]
    assert "Lai Châu" in CAMPAIGN.appendix[1].text


def test_sentences_broken_across_paragraphs_are_joined() -> None:
    text = " ".join(c.text for c in CAMPAIGN.clauses)
    assert "Mỗi công chức, viên chức và người lao động phấn đầu lập thành tích" in text
    assert "nâng cao hiệu lực, hiệu quả chỉ đạo" in text


def test_wrapped_pdf_lines_are_joined_and_short_lines_end_paragraphs() -> None:
    block = (
        "1. Thời gian thực hiện: Từ ngày phát động thi đua đến hết ngày 31 tháng 12 năm\n"
        "2025 và các đơn vị báo cáo kết quả thực hiện về Văn phòng trước ngày 10 tháng\n"
        "12 năm 2025.\n"
        "2. Trưởng các phòng triển khai.\n"
    )
    assert paragraphs(block) == [
        "1. Thời gian thực hiện: Từ ngày phát động thi đua đến hết ngày 31 tháng 12 năm "
        "2025 và các đơn vị báo cáo kết quả thực hiện về Văn phòng trước ngày 10 tháng "
        "12 năm 2025.",
        "2. Trưởng các phòng triển khai.",
    ]


def test_year_can_be_given() -> None:
    assert parse(seed_text(), year=2026).year == 2026


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "document.empty"),
        ("   \n\n  ", "document.empty"),
        ("Một đoạn văn bình thường.\n\nKhông có mục nào cả.", "document.no_sections"),
    ],
)
def test_what_is_not_a_launch_document(text: str, key: str) -> None:
    with pytest.raises(DocumentError) as raised:
        parse(text)
    assert raised.value.key == key


def _shape(campaign):  # type: ignore[no-untyped-def]
    return [(s.number, s.title) for s in campaign.sections]


def test_docx_gives_the_same_sections(tmp_path: Path) -> None:
    from_docx = parse(read_text(make_docx(tmp_path / "pd.docx", seed_text())))
    assert _shape(from_docx) == _shape(CAMPAIGN)
    assert from_docx.period_end == CAMPAIGN.period_end
    assert [(t.percent, t.metric) for t in from_docx.targets] == [
        (t.percent, t.metric) for t in CAMPAIGN.targets
    ]


def test_docx_numbered_by_word_reads_as_the_typed_one(tmp_path: Path) -> None:
    numbered = read_text(make_numbered_docx(tmp_path / "tu-dong.docx", seed_text()))
    assert numbered == read_text(make_docx(tmp_path / "go-tay.docx", seed_text()))
    assert _shape(parse(numbered)) == _shape(CAMPAIGN)


def test_pdf_gives_the_same_sections(tmp_path: Path) -> None:
    from_pdf = parse(read_text(make_pdf(tmp_path / "pd.pdf", seed_text())))
    assert _shape(from_pdf) == _shape(CAMPAIGN)
    assert from_pdf.title == CAMPAIGN.title
    assert from_pdf.signer == "Dương Công Vĩ"
    assert [(c.day, c.month, c.anniversary) for c in from_pdf.commemorations] == [
        (c.day, c.month, c.anniversary) for c in CAMPAIGN.commemorations
    ]


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("notes.doc", b"old word file", "document.legacy_word"),
        ("sheet.xlsx", b"PK", "document.unsupported_type"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "document.unreadable"),
        ("broken.docx", b"PK not a zip", "document.unreadable"),
        ("binary.txt", b"\xff\xfe\x00\xd8\x00\x00garbage\x00", "document.unreadable"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, key: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as raised:
        parse(read_text(path))
    assert raised.value.key == key
