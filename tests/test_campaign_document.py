"""The document model: letterhead, kind, title, the heading tree in whatever numbering the
text uses, signature, recipients, attachments, footnotes; on the real 2025 launch document,
the test campaign of 2026, small texts of each shape, and the same documents as .docx / .pdf."""

from datetime import date
from pathlib import Path

import pytest

from bot.documents import read_text
from campaign.document import Document, DocumentError, Kind, Passage, Zone, locator, parse
from campaign.layout import paragraphs
from tests.conftest import CAMPAIGN_2026
from tests.documents import make_docx, make_numbered_docx, make_pdf, seed_text

SEED = parse(seed_text())
PLAN_2026 = parse(CAMPAIGN_2026.read_text("utf-8"))


def test_the_2025_launch_document() -> None:
    assert SEED.kind == Kind.PHAT_DONG
    assert SEED.title == (
        "Phong trào thi đua, phấn đấu hoàn thành thắng lợi nhiệm vụ chính trị năm 2025"
    )
    assert SEED.year == 2025
    # The copy has no letterhead body: the issuer is read from "Giám đốc Sở … phát động".
    assert SEED.issuer == "Sở Giao thông vận tải"
    assert SEED.number is None  # "Số: /PĐ-SGTVT": the number is left blank
    assert (SEED.letterhead.place, SEED.letterhead.issued_month) == ("Lạng Sơn", (2025, 1))
    assert SEED.issued_on is None  # "ngày tháng 01 năm 2025": no day
    assert SEED.signature is not None
    assert (SEED.signature.position, SEED.signature.name) == ("GIÁM ĐỐC", "Dương Công Vĩ")


def test_the_2026_plan_has_a_two_level_letterhead() -> None:
    assert PLAN_2026.kind == Kind.KE_HOACH
    assert PLAN_2026.letterhead.bodies == ("UBND tỉnh Lạng Sơn", "Sở Xây dựng")
    assert (PLAN_2026.issuer, PLAN_2026.letterhead.parent) == ("Sở Xây dựng", "UBND tỉnh Lạng Sơn")
    assert (PLAN_2026.number, PLAN_2026.issued_on) == ("15/KH-SXD", date(2026, 1, 12))
    assert PLAN_2026.title.startswith("Phát động phong trào thi đua")


def _tree(document: Document) -> list[tuple[str, str]]:
    return [
        (".".join(a.marker.label for a in document.ancestors(p.index) if a.marker), p.marker.label)
        for p in document.headings()
        if p.marker
    ]


def test_the_heading_tree_of_a_plan() -> None:
    assert _tree(SEED) == [
        ("", "I"),
        ("", "II"),
        ("II", "1"),
        ("II", "2"),
        ("", "III"),
        ("", "DANH SÁCH GỬI VB"),
    ]
    targets = [p for p in SEED.passages if p.marker and p.marker.kind == "dash" and "95%" in p.text]
    assert [locator(SEED, p.index) for p in targets] == [(("item", "II.1"),)]


def test_recipients_signature_and_what_follows_it() -> None:
    assert SEED.recipients[0] == "Bộ GTVT (Bc)"
    assert "CĐCS Sở GTVT" in SEED.recipients and len(SEED.recipients) == 8
    after = [p for p in SEED.passages if p.zone == Zone.ATTACHMENT]
    assert after[0].text == "DANH SÁCH GỬI VB"
    assert "Lai Châu" in after[-1].text
    assert locator(SEED, after[-1].index) == (("attachment", "Danh sách gửi vb"), ("item", "2"))


def test_sentences_broken_across_paragraphs_are_joined() -> None:
    text = " ".join(p.text for p in SEED.passages)
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


DECISION = """ỦY BAN NHÂN DÂN

TỈNH HÀ GIANG

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

Độc lập - Tự do - Hạnh phúc

Số: 12/2026/QĐ-UBND

Hà Giang, ngày 05 tháng 3 năm 2026

QUYẾT ĐỊNH

BAN HÀNH QUY CHẾ THI ĐUA, KHEN THƯỞNG

ỦY BAN NHÂN DÂN TỈNH HÀ GIANG

Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Quy chế thi đua, khen thưởng.

Điều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 3 năm 2026.

Nơi nhận:

- Như Điều 2;

- Lưu: VT.

TM. ỦY BAN NHÂN DÂN

KT. CHỦ TỊCH

PHÓ CHỦ TỊCH

Nguyễn Văn An

QUY CHẾ

THI ĐUA, KHEN THƯỞNG

(Ban hành kèm theo Quyết định số 12/2026/QĐ-UBND)

Chương I

QUY ĐỊNH CHUNG

Điều 1. Tiêu chuẩn danh hiệu

1. Danh hiệu “Lao động tiên tiến” tặng cho cá nhân đạt các tiêu chuẩn sau:

a) Hoàn thành tốt nhiệm vụ trở lên;

b) Chấp hành tốt chủ trương của Đảng[1].

Có một trong các tiêu chí sau đây thì không xét tặng:

- Bị kỷ luật từ khiển trách trở lên;

+ kể cả kỷ luật đảng.

Phụ lục 01

BẢNG ĐIỂM

TT | Tiêu chí | Điểm

1 | Chính trị tư tưởng | 5

2 | Đạo đức, lối sống | 5

[1] Theo Quy định số 144-QĐ/TW.
"""


def test_a_decision_with_the_rules_it_issues() -> None:
    document = parse(DECISION)
    assert document.kind == Kind.QUYET_DINH
    assert document.attachments == [Kind.QUY_CHE]
    assert document.regulation
    assert document.title == "Ban hành Quy chế thi đua, khen thưởng"  # as the text writes it
    assert document.issuer == "Ủy ban nhân dân tỉnh Hà Giang"
    assert (document.number, document.issued_on) == ("12/2026/QĐ-UBND", date(2026, 3, 5))
    assert document.signature is not None
    assert document.signature.lines == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert (document.signature.position, document.signature.name) == (
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn An",
    )
    assert document.recipients == ["Như Điều 2", "Lưu: VT"]
    # The decision's articles are sentences, not headings; the rules have their own root,
    # chapter, article and clause, and the appendix another root:
    assert _tree(document) == [
        ("", "QUY CHẾ"),
        ("QUY CHẾ", "I"),
        ("QUY CHẾ.I", "1"),
        ("QUY CHẾ.I.1", "1"),
        ("", "Phụ lục 01"),
    ]


def _find(document: Document, words: str) -> Passage:
    return next(p for p in document.passages if words in p.text)


def test_points_lead_ins_and_bullets_hang_where_they_belong() -> None:
    document = parse(DECISION)
    point = _find(document, "Hoàn thành tốt nhiệm vụ trở lên")
    assert locator(document, point.index) == (
        ("attachment", "Quy chế"),
        ("chapter", "I"),
        ("article", "1"),
        ("clause", "1"),
        ("point", "a"),
    )
    clause = _find(document, "Danh hiệu “Lao động tiên tiến”")
    assert [p.marker and p.marker.label for p in document.items(clause.index)] == ["a", "b"]
    lead_in = _find(document, "Có một trong các tiêu chí sau đây")
    items = document.items(lead_in.index)
    assert [p.text for p in items] == ["- Bị kỷ luật từ khiển trách trở lên;"]
    assert [p.text for p in document.children(items[0].index)] == ["+ kể cả kỷ luật đảng."]


def test_footnotes_tables_and_appendices() -> None:
    document = parse(DECISION)
    referring = _find(document, "chủ trương của Đảng[1]")
    assert [p.text for p in document.footnotes_of(referring.index)] == [
        "[1] Theo Quy định số 144-QĐ/TW."
    ]
    row = _find(document, "Đạo đức, lối sống")
    assert row.cells == ("2", "Đạo đức, lối sống", "5")
    assert row.header is not None and document.passages[row.header].cells[1] == "Tiêu chí"
    appendix = _find(document, "Phụ lục 01")
    assert appendix.marker is not None and appendix.marker.kind == "attachment"
    assert appendix.text == "Phụ lục 01 BẢNG ĐIỂM"


def test_a_cable_has_addressees_and_items_but_no_sections() -> None:
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nSố: 9/CĐ-TTg\n\n"
        "Hà Nội, ngày 02 tháng 01 năm 2026\n\nCÔNG ĐIỆN\n\nVỀ VIỆC THI ĐUA CAO ĐIỂM\n\n"
        "THỦ TƯỚNG CHÍNH PHỦ điện:\n\n- Bộ trưởng các Bộ;\n\n- Chủ tịch UBND các tỉnh.\n\n"
        "Để hoàn thành các mục tiêu, Thủ tướng yêu cầu:\n\n1. Các Bộ khẩn trương thi đua.\n\n"
        "2. Văn phòng Chính phủ theo dõi.\n\nNơi nhận:\n\n- Như trên;\n\nTHỦ TƯỚNG\n\nTrần Văn B"
    )
    document = parse(text)
    assert document.kind == Kind.CONG_DIEN
    assert document.addressees == ["Bộ trưởng các Bộ", "Chủ tịch UBND các tỉnh"]
    assert document.title == "Về việc thi đua cao điểm"
    assert [p.text for p in document.in_zones(Zone.BODY)] == [
        "1. Các Bộ khẩn trương thi đua.",
        "2. Văn phòng Chính phủ theo dõi.",
    ]
    assert document.signature is not None and document.signature.name == "Trần Văn B"


def test_a_copy_without_letterhead_names_itself_in_an_appendix_caption() -> None:
    text = (
        "NGHỊ QUYẾT\n\nVỀ PHONG TRÀO XANH\n\nCHÍNH PHỦ\n\nI. MỤC TIÊU\n\n1. Giảm rác thải.\n\n"
        "TM. CHÍNH PHỦ\n\nTHỦ TƯỚNG\n\nLê Văn C\n\nPHỤ LỤC\n\n"
        "(Kèm theo Nghị quyết số 77/NQ-CP ngày 03 tháng 12 năm 2025 của Chính phủ)\n\n"
        "TT | Đề án\n\n1 | Đề án xanh"
    )
    document = parse(text)
    assert document.kind == Kind.NGHI_QUYET
    assert (document.number, document.issued_on) == ("77/NQ-CP", date(2025, 12, 3))
    assert document.letterhead.source is not None


def test_plain_text_imports_as_passages_with_a_warning() -> None:
    document = parse("Một đoạn văn năm 2026 bình thường.\n\nKhông có mục nào cả.")
    assert document.warnings == ["document.unstructured"]
    assert document.kind == Kind.VAN_BAN
    assert [p.text for p in document.passages] == [
        "Một đoạn văn năm 2026 bình thường.",
        "Không có mục nào cả.",
    ]


def test_year_can_be_given() -> None:
    assert parse(seed_text(), year=2026).year == 2026


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "document.empty"),
        ("   \n\n  ", "document.empty"),
        ("Một đoạn văn bình thường.\n\nKhông có năm nào cả.", "document.no_year"),
    ],
)
def test_what_cannot_be_read(text: str, key: str) -> None:
    with pytest.raises(DocumentError) as raised:
        parse(text)
    assert raised.value.key == key


def _shape(document: Document) -> list[tuple[Zone, str, bool]]:
    return [(p.zone, p.marker.label if p.marker else "", p.heading) for p in document.headings()]


def test_docx_gives_the_same_model(tmp_path: Path) -> None:
    from_docx = parse(read_text(make_docx(tmp_path / "pd.docx", seed_text())))
    assert _shape(from_docx) == _shape(SEED)
    assert [p.text for p in from_docx.passages] == [p.text for p in SEED.passages]


def test_docx_numbered_by_word_reads_as_the_typed_one(tmp_path: Path) -> None:
    numbered = read_text(make_numbered_docx(tmp_path / "tu-dong.docx", seed_text()))
    assert numbered == read_text(make_docx(tmp_path / "go-tay.docx", seed_text()))
    assert _shape(parse(numbered)) == _shape(SEED)


def test_pdf_gives_the_same_model(tmp_path: Path) -> None:
    from_pdf = parse(read_text(make_pdf(tmp_path / "pd.pdf", seed_text())))
    assert _shape(from_pdf) == _shape(SEED)
    assert from_pdf.title == SEED.title
    assert from_pdf.signature is not None and from_pdf.signature.name == "Dương Công Vĩ"


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
