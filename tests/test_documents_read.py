"""bot.documents.read_text on files made as offices make them: Word files with a letterhead and
a signature laid out in tables, data tables, merged cells and footnotes; PDFs with running
headers and page numbers, scans; and every refusal, by its key."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement

from bot.documents import (
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    read_text,
    strip_running_lines,
)
from bot.docx_reader import letterhead_marker, looks_like_layout_table
from bot.i18n import Catalog
from bot.reading_budget import MAX_DOCX_XML_BYTES
from campaign.document import DocumentError
from tests.documents import (
    SYMBOL_BULLET,
    W_NS,
    Cell,
    Level,
    abstract_num,
    add_footnotes,
    add_table,
    fill_cell,
    footnote_reference,
    make_paged_pdf,
    make_scanned_pdf,
    num,
    number,
    set_numbering,
)

LETTERHEAD: list[list[Cell]] = [
    [["ỦY BAN NHÂN DÂN", "TỈNH ĐẮK LẮK", "_______"],
     ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "———————"]],
    ["Số: 0125/KH-UBND", "Đắk Lắk, ngày 18 tháng 11 năm 2025"],
]  # fmt: skip
SIGNATURE: list[list[Cell]] = [
    [["Nơi nhận:", "- Bộ Nội vụ;", "- Lưu: VT, NV."], ["KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "", "Đào Mỹ"]],
]  # fmt: skip


def paragraphs_of(path: Path, **limits: int) -> list[str]:
    text = read_text(path, **limits)
    assert "\n\n\n" not in text
    return text.split("\n\n")


def refusal(path: Path, **limits: int) -> str:
    with pytest.raises(DocumentError) as raised:
        read_text(path, **limits)
    return raised.value.key


# ---------------------------------------------------------------------------------- .docx


def test_a_plan_comes_out_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    add_table(document, LETTERHEAD)
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Phát động phong trào thi đua năm 2026")
    document.add_paragraph("I. CHỈ TIÊU")
    add_table(
        document,
        [
            ["TT", "Đơn vị", "Chỉ tiêu"],
            ["1", "Văn phòng", "100% hồ sơ đúng hạn"],
            ["2", "Phòng Kế hoạch", ""],
            ["3", ["Thanh tra", "tỉnh"], "Không có đơn thư tồn đọng"],
        ],
    )
    document.add_paragraph("Các chỉ tiêu trên được đánh giá vào tháng 12 năm 2026./.")
    add_table(document, SIGNATURE)
    document.add_paragraph("Phụ lục")
    add_table(document, [["STT", "Tên đơn vị", "Khối thi đua"], ["1", "Sở Nội vụ", "Khối 1"]])
    path = tmp_path / "ke-hoach.docx"
    document.save(str(path))

    assert paragraphs_of(path) == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH ĐẮK LẮK",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 0125/KH-UBND",
        "Đắk Lắk, ngày 18 tháng 11 năm 2025",
        "KẾ HOẠCH",
        "Phát động phong trào thi đua năm 2026",
        "I. CHỈ TIÊU",
        "TT | Đơn vị | Chỉ tiêu",
        "1 | Văn phòng | 100% hồ sơ đúng hạn",
        "2 | Phòng Kế hoạch",
        "3 | Thanh tra tỉnh | Không có đơn thư tồn đọng",
        "Các chỉ tiêu trên được đánh giá vào tháng 12 năm 2026./.",
        "Nơi nhận:",
        "- Bộ Nội vụ;",
        "- Lưu: VT, NV.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Đào Mỹ",
        "Phụ lục",
        "STT | Tên đơn vị | Khối thi đua",
        "1 | Sở Nội vụ | Khối 1",
    ]


def test_a_line_break_in_body_text_is_a_space(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph().add_run("Thời gian:\tTừ ngày 01/01/2026\nđến  hết ngày 31/12/2026.")
    document.add_paragraph("* * *")  # decoration, no word in it
    document.add_paragraph("   ")
    document.add_paragraph("KT. GIÁM ĐỐC").add_run().add_break()
    path = tmp_path / "breaks.docx"
    document.save(str(path))

    assert paragraphs_of(path) == [
        "Thời gian: Từ ngày 01/01/2026 đến hết ngày 31/12/2026.",
        "KT. GIÁM ĐỐC",
    ]


def test_merged_cells_are_written_once_in_a_row(tmp_path: Path) -> None:
    document = docx.Document()
    table = add_table(
        document,
        [
            ["Tiêu chí", "", ["Điểm tối đa", "(thang 100)"]],
            ["1. Chính trị", "a) Chấp hành chủ trương", "1,25"],
            ["", "b) Bản lĩnh chính trị", "1,25"],
            ["Cộng", "", "20"],
        ],
    )
    table.cell(0, 0).merge(table.cell(0, 1))  # across two columns: w:gridSpan
    table.cell(1, 0).merge(table.cell(2, 0))  # down two rows: w:vMerge
    table.cell(3, 0).merge(table.cell(3, 1))
    path = tmp_path / "bang-diem.docx"
    document.save(str(path))

    expected = [
        "Tiêu chí | Điểm tối đa (thang 100)",
        "1. Chính trị | a) Chấp hành chủ trương | 1,25",
        "1. Chính trị | b) Bản lĩnh chính trị | 1,25",
        "Cộng | 20",
    ]
    assert paragraphs_of(path) == expected
    # the same rows as python-docx's own cells, each cell object (cell._tc) taken once a row
    rows = []
    for row in docx.Document(str(path)).tables[0].rows:
        cells = list({cell._tc: cell for cell in row.cells}.values())
        rows.append(" | ".join(c.text.replace("\n", " ") for c in cells if c.text))
    assert rows == expected


def test_a_nested_table_in_a_data_cell_is_flattened_into_it(tmp_path: Path) -> None:
    document = docx.Document()
    table = add_table(document, [["TT", "Nội dung", "Điểm"], ["1", "Kết quả thực hiện", "80"]])
    inner = table.cell(1, 1).add_table(rows=2, cols=2)
    for cell, text in zip(
        (c for row in inner.rows for c in row.cells),
        ["Số lượng", "30", "Chất lượng", "50"],
        strict=True,
    ):
        fill_cell(cell, text)
    path = tmp_path / "long-bang.docx"
    document.save(str(path))

    assert paragraphs_of(path) == [
        "TT | Nội dung | Điểm",
        "1 | Kết quả thực hiện Số lượng 30 Chất lượng 50 | 80",
    ]


def test_a_layout_table_nested_in_a_layout_cell_keeps_its_lines(tmp_path: Path) -> None:
    document = docx.Document()
    outer = add_table(document, [["Nơi nhận:\n- Như trên;", ""]])
    add_inner = outer.cell(0, 1).add_table(rows=1, cols=1)
    fill_cell(add_inner.cell(0, 0), ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Hoàng Sơn"])
    path = tmp_path / "ky.docx"
    document.save(str(path))

    assert paragraphs_of(path) == [
        "Nơi nhận:",
        "- Như trên;",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Phạm Hoàng Sơn",
    ]


def test_a_one_column_table_is_a_frame_around_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Phụ lục I")
    add_table(document, [[["Mẫu số 01", "BÁO CÁO THÀNH TÍCH", "1. Sơ lược lý lịch"]]])
    path = tmp_path / "khung.docx"
    document.save(str(path))

    assert paragraphs_of(path) == [
        "Phụ lục I",
        "Mẫu số 01",
        "BÁO CÁO THÀNH TÍCH",
        "1. Sơ lược lý lịch",
    ]


def test_a_docx_of_one_table_is_read(tmp_path: Path) -> None:
    document = docx.Document()
    add_table(document, [["STT", "Đơn vị"], ["1", "Văn phòng Sở"], ["2", "Thanh tra Sở"]])
    path = tmp_path / "danh-sach.docx"
    document.save(str(path))

    assert document.paragraphs == []
    assert paragraphs_of(path) == ["STT | Đơn vị", "1 | Văn phòng Sở", "2 | Thanh tra Sở"]


@pytest.mark.parametrize("content", ["nothing", "blank paragraphs", "empty table"])
def test_a_docx_without_text_is_empty(tmp_path: Path, content: str) -> None:
    document = docx.Document()
    if content == "blank paragraphs":
        document.add_paragraph("")
        document.add_paragraph("  \t ")
    elif content == "empty table":
        document.add_table(rows=2, cols=3)
    path = tmp_path / "trong.docx"
    document.save(str(path))

    assert refusal(path) == "document.empty"


def test_footnotes_are_numbered_where_they_stand_and_follow_the_text(tmp_path: Path) -> None:
    document = docx.Document()
    first = document.add_paragraph("Căn cứ các Thông báo của Văn phòng Chính phủ")
    footnote_reference(first, 5)  # Word's ids are not the numbers shown: order of appearance is
    first.add_run(", các bộ, ngành đăng ký khánh thành")
    footnote_reference(first, 3)
    first.add_run(".")
    table = add_table(document, [["TT", "Dự án"], ["1", "Tân Phú - Bảo Lộc"]])
    footnote_reference(table.cell(1, 1).paragraphs[0], 4)
    footnote_reference(document.add_paragraph("Nhắc lại ghi chú đầu"), 5)
    path = tmp_path / "cong-dien.docx"
    document.save(str(path))
    add_footnotes(
        path,
        {
            3: ["Bộ Giáo dục và Đào tạo, Bộ Ngoại giao."],
            4: ["Các dự án có kế hoạch khởi công:", "Tân Phú - Bảo Lộc (Lâm Đồng)."],
            5: ["Thông báo số 627/TB-VPCP ngày 18/11/2025."],
            9: ["Ghi chú không được dẫn trong văn bản."],
        },
    )

    assert paragraphs_of(path) == [
        "Căn cứ các Thông báo của Văn phòng Chính phủ[1], các bộ, ngành đăng ký khánh thành[2].",
        "TT | Dự án",
        "1 | Tân Phú - Bảo Lộc[3]",
        "Nhắc lại ghi chú đầu[1]",
        "[1] Thông báo số 627/TB-VPCP ngày 18/11/2025.",
        "[2] Bộ Giáo dục và Đào tạo, Bộ Ngoại giao.",
        "[3] Các dự án có kế hoạch khởi công: Tân Phú - Bảo Lộc (Lâm Đồng).",
    ]


MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
V_NS = "urn:schemas-microsoft-com:vml"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def _xml(body: str) -> BaseOxmlElement:
    return parse_xml(
        f'<w:r xmlns:w="{W_NS}" xmlns:mc="{MC_NS}" xmlns:wps="{WPS_NS}" xmlns:v="{V_NS}">'
        f"{body}</w:r>"
    )


def test_revisions_fields_and_text_boxes_read_as_the_page_shows_them(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Hồ sơ gửi ")
    element: BaseOxmlElement = paragraph._p  # lxml types append() as same-class only
    element.append(parse_xml(f'<w:ins xmlns:w="{W_NS}"><w:r><w:t>trước ngày</w:t></w:r></w:ins>'))
    element.append(
        parse_xml(f'<w:del xmlns:w="{W_NS}"><w:r><w:delText>sau ngày</w:delText></w:r></w:del>')
    )
    for run in (
        ' <w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> DATE \\@ "dd/MM/yyyy" </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        '<w:t xml:space="preserve"> 15/12/2025</w:t>',
        '<w:fldChar w:fldCharType="end"/>',
        "<w:t>.</w:t>",
    ):
        element.append(_xml(run))
    box = "<w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent>"
    element.append(
        _xml(
            "<mc:AlternateContent>"
            f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>'
            f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
            "</mc:AlternateContent>"
        )
    )
    document.add_paragraph("I. MỤC ĐÍCH")
    path = tmp_path / "du-thao.docx"
    document.save(str(path))

    assert paragraphs_of(path) == ["Hồ sơ gửi trước ngày 15/12/2025.", "DỰ THẢO", "I. MỤC ĐÍCH"]


def test_an_equation_fraction_is_written_on_one_line(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Tỷ lệ = ")
    element: BaseOxmlElement = paragraph._p  # lxml types append() as same-class only
    element.append(
        parse_xml(
            f'<m:oMath xmlns:m="{M_NS}"><m:f>'
            "<m:num><m:r><m:t>Số nhiệm vụ hoàn thành</m:t></m:r></m:num>"
            "<m:den><m:r><m:t>Tổng số nhiệm vụ</m:t></m:r></m:den>"
            "</m:f><m:r><m:t> x 100%</m:t></m:r></m:oMath>"
        )
    )
    path = tmp_path / "cong-thuc.docx"
    document.save(str(path))

    assert paragraphs_of(path) == ["Tỷ lệ = Số nhiệm vụ hoàn thành / Tổng số nhiệm vụ x 100%"]


# ------------------------------------------------------------------ Word's automatic numbering

PLAN_LIST = abstract_num(
    1,
    Level("upperRoman", "%1."),
    Level("decimal", "%2."),
    Level("decimal", "%2.%3."),
    Level("lowerLetter", "%4)"),
    Level("bullet", SYMBOL_BULLET, start=None),
    Level("bullet", "o", start=None),
)


def numbered_paragraphs(
    document: DocxDocument, items: list[tuple[int | None, str]], num_id: int = 1
) -> None:
    """One paragraph per (level, text); a level of None is a paragraph outside the list."""
    for level, text in items:
        paragraph = document.add_paragraph(text)
        if level is not None:
            number(paragraph, num_id, level)


def test_a_plan_numbered_by_word_reads_as_if_typed(tmp_path: Path) -> None:
    document = docx.Document()
    numbered_paragraphs(
        document,
        [
            (None, "KẾ HOẠCH"),
            (0, "MỤC ĐÍCH, YÊU CẦU"),
            (1, "Mục đích"),
            (1, "Yêu cầu"),
            (0, "NỘI DUNG"),
            (1, "Chỉ tiêu"),
            (2, "Về chuyên môn"),
            (3, "Hoàn thành 100% nhiệm vụ;"),
            (4, "Đúng tiến độ;"),
            (5, "Không để tồn đọng;"),
            (4, "Bảo đảm chất lượng."),
            (3, "Không có cá nhân bị kỷ luật."),
            (2, "Về đoàn thể"),
            (1, "Giải pháp"),
            (2, "Tuyên truyền"),
            (None, "Các đơn vị triển khai thực hiện."),
            (0, "TỔ CHỨC THỰC HIỆN"),
        ],
    )
    set_numbering(document, [PLAN_LIST], [num(1, 1)])
    path = tmp_path / "ke-hoach.docx"
    document.save(str(path))

    assert paragraphs_of(path) == [
        "KẾ HOẠCH",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "2. Yêu cầu",
        "II. NỘI DUNG",
        "1. Chỉ tiêu",
        "1.1. Về chuyên môn",
        "a) Hoàn thành 100% nhiệm vụ;",
        "- Đúng tiến độ;",
        "+ Không để tồn đọng;",
        "- Bảo đảm chất lượng.",
        "b) Không có cá nhân bị kỷ luật.",
        "1.2. Về đoàn thể",
        "2. Giải pháp",
        "2.1. Tuyên truyền",
        "Các đơn vị triển khai thực hiện.",
        "III. TỔ CHỨC THỰC HIỆN",
    ]


def test_chapters_and_articles_numbered_through_styles(tmp_path: Path) -> None:
    document = docx.Document()
    styles = document.styles
    number(styles["Heading 1"], 2, level=None)  # the level comes from the list's w:pStyle
    article = styles.add_style("Dieu", WD_STYLE_TYPE.PARAGRAPH)
    number(article, 2, level=1)
    amended = styles.add_style("Dieu sua doi", WD_STYLE_TYPE.PARAGRAPH)
    amended.base_style = article  # inherits the numbering through w:basedOn
    decree = abstract_num(
        2,
        Level("upperRoman", "Chương %1", style="Heading1"),
        Level("decimal", "Điều %2.", restart=0),  # articles run on across chapters
        Level("decimal", "%3."),
        Level("lowerLetter", "%4)"),
    )
    set_numbering(document, [decree], [num(2, 2)])

    document.add_paragraph("QUY ĐỊNH CHUNG", style="Heading 1")
    document.add_paragraph("Phạm vi điều chỉnh", style="Dieu")
    numbered_paragraphs(
        document,
        [(2, "Quy chế này quy định về thi đua, khen thưởng."), (2, "Đối tượng:"), (3, "Cán bộ;")],
        num_id=2,
    )
    document.add_paragraph("Nguyên tắc", style="Dieu")
    numbered_paragraphs(document, [(2, "Tự nguyện, tự giác.")], num_id=2)
    document.add_paragraph("TIÊU CHUẨN DANH HIỆU", style="Heading 1")
    document.add_paragraph("Danh hiệu Lao động tiên tiến", style="Dieu sua doi")
    off = document.add_paragraph("Điều khoản chuyển tiếp", style="Dieu")
    number(off, 0, level=None)  # numbering switched off on this paragraph only
    document.add_paragraph("Hiệu lực thi hành", style="Dieu")
    path = tmp_path / "quy-che.docx"
    document.save(str(path))

    assert paragraphs_of(path) == [
        "Chương I QUY ĐỊNH CHUNG",
        "Điều 1. Phạm vi điều chỉnh",
        "1. Quy chế này quy định về thi đua, khen thưởng.",
        "2. Đối tượng:",
        "a) Cán bộ;",
        "Điều 2. Nguyên tắc",
        "1. Tự nguyện, tự giác.",
        "Chương II TIÊU CHUẨN DANH HIỆU",
        "Điều 3. Danh hiệu Lao động tiên tiến",
        "Điều khoản chuyển tiếp",
        "Điều 4. Hiệu lực thi hành",
    ]


def test_lists_of_one_definition_share_their_count_until_restarted(tmp_path: Path) -> None:
    document = docx.Document()
    for num_id, text in [
        (3, "Văn phòng"),
        (3, "Thanh tra"),
        (None, "Các đơn vị được khen thưởng:"),
        (4, "Phòng Nội vụ"),  # Word's "Set numbering value: 10": a w:num with a start override
        (4, "Phòng Tư pháp"),
        (3, "Phòng Kế hoạch"),  # the first list goes on from where the definition's count is
        (5, "Sở Tài chính"),  # "Restart at 1"
        (6, "Khối thi đua số 1"),  # another definition counts on its own
        (3, "Sở Xây dựng"),
    ]:
        paragraph = document.add_paragraph(text)
        if num_id is not None:
            number(paragraph, num_id)
    set_numbering(
        document,
        [abstract_num(3, Level("decimal", "%1.")), abstract_num(4, Level("decimal", "%1."))],
        [num(3, 3), num(4, 3, starts={0: 10}), num(5, 3, starts={0: 1}), num(6, 4)],
    )
    path = tmp_path / "danh-sach.docx"
    document.save(str(path))

    assert paragraphs_of(path) == [
        "1. Văn phòng",
        "2. Thanh tra",
        "Các đơn vị được khen thưởng:",
        "10. Phòng Nội vụ",
        "11. Phòng Tư pháp",
        "12. Phòng Kế hoạch",
        "1. Sở Tài chính",
        "1. Khối thi đua số 1",
        "2. Sở Xây dựng",
    ]


@pytest.mark.parametrize(
    ("level", "markers"),
    [
        (Level("lowerLetter", "%1)", start=3), ["c)", "d)", "e)"]),  # no "đ)": Word has none
        (Level("lowerLetter", "%1)", start=26), ["z)", "aa)", "bb)"]),
        (Level("upperLetter", "%1."), ["A.", "B.", "C."]),
        (Level("lowerRoman", "%1.", start=3), ["iii.", "iv.", "v."]),
        (Level("upperRoman", "Phần %1", start=8), ["Phần VIII", "Phần IX", "Phần X"]),
        (Level("decimal", "Mục %1.", suffix="space"), ["Mục 1.", "Mục 2.", "Mục 3."]),
        (Level("decimalZero", "%1.", start=9), ["09.", "10.", "11."]),
        (Level("decimalZero", "%1.", word2010_format="001, 002, 003"), ["01.", "02.", "03."]),
        (Level("ordinal", "%1."), ["1.", "2.", "3."]),  # a format we do not write: decimal
        (Level("bullet", SYMBOL_BULLET, start=None), ["-", "-", "-"]),
        (Level("bullet", "§", start=None), ["-", "-", "-"]),  # Wingdings' square
        (Level("bullet", "–", start=None), ["-", "-", "-"]),
        (Level("bullet", "+", start=None), ["+", "+", "+"]),
        (Level("none", ""), [None, None, None]),
    ],
    ids=lambda value: value.number_format + "-" + value.text if isinstance(value, Level) else "",
)
def test_number_formats(tmp_path: Path, level: Level, markers: list[str | None]) -> None:
    document = docx.Document()
    numbered_paragraphs(document, [(0, "Nội dung")] * 3, num_id=7)
    set_numbering(document, [abstract_num(7, level)], [num(7, 7)])
    path = tmp_path / "dinh-dang.docx"
    document.save(str(path))

    assert paragraphs_of(path) == [
        f"{marker} Nội dung" if marker else "Nội dung" for marker in markers
    ]


def test_legal_numbers_linked_list_styles_and_no_suffix(tmp_path: Path) -> None:
    document = docx.Document()
    list_style = document.styles.add_style("DanhSachDeMuc", WD_STYLE_TYPE.LIST)
    number(list_style, 8, level=None)
    definition = abstract_num(
        8,
        Level("upperRoman", "%1."),
        Level("decimal", "%1.%2.", legal=True),  # "2.1." under "II.", not "II.1."
        Level("decimal", "(%3)", suffix="nothing"),
        style_link="DanhSachDeMuc",
    )
    uses_the_style = abstract_num(9, num_style_link="DanhSachDeMuc")
    numbered_paragraphs(
        document, [(0, "Mở đầu"), (0, "Nội dung"), (1, "Phạm vi"), (2, "Đối tượng")], num_id=9
    )
    set_numbering(document, [definition, uses_the_style], [num(8, 8), num(9, 9)])
    path = tmp_path / "de-muc.docx"
    document.save(str(path))

    assert paragraphs_of(path) == ["I. Mở đầu", "II. Nội dung", "2.1. Phạm vi", "(1)Đối tượng"]


def test_numbers_in_table_cells_count_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Danh sách đơn vị:")
    table = add_table(
        document,
        [["TT", "Đơn vị"], ["", "Văn phòng"], ["", "Thanh tra"], ["", "Phòng Kế hoạch"]],
    )
    for row in (1, 2, 3):
        number(table.cell(row, 0).paragraphs[0], 10)  # an empty cell Word numbers "1.", "2."
    table.cell(1, 0).merge(table.cell(2, 0))  # one number for two rows
    signature = add_table(
        document,
        [[["Nơi nhận:", "Bộ Nội vụ;", "Lưu: VT, NV."], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đào Mỹ"]]],
    )
    for paragraph in signature.cell(0, 0).paragraphs[1:]:
        number(paragraph, 11)
    numbered_paragraphs(document, [(0, "Sau bảng")], num_id=10)
    set_numbering(
        document,
        [abstract_num(10, Level("decimal", "%1.")), abstract_num(11, Level("bullet", "-"))],
        [num(10, 10), num(11, 11)],
    )
    path = tmp_path / "bang.docx"
    document.save(str(path))

    assert paragraphs_of(path) == [
        "Danh sách đơn vị:",
        "TT | Đơn vị",
        "1. | Văn phòng",
        "1. | Thanh tra",
        "2. | Phòng Kế hoạch",
        "Nơi nhận:",
        "- Bộ Nội vụ;",
        "- Lưu: VT, NV.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Đào Mỹ",
        "3. Sau bảng",
    ]


def test_a_number_typed_as_well_is_not_doubled(tmp_path: Path) -> None:
    document = docx.Document()
    numbered_paragraphs(
        document,
        [
            (0, "I. MỤC ĐÍCH"),
            (1, "1. Mục đích"),
            (1, "Yêu cầu"),
            (3, "a) Đúng hạn;"),
            (3, "b)Đủ hồ sơ;"),
            (4, "- Văn phòng;"),
            (4, "Thanh tra."),
            (1, "3.1. Chỉ tiêu"),  # a different number: Word shows both
            (0, "II NỘI DUNG"),
        ],
    )
    set_numbering(document, [PLAN_LIST], [num(1, 1)])
    path = tmp_path / "go-tay.docx"
    document.save(str(path))

    assert paragraphs_of(path) == [
        "I. MỤC ĐÍCH",
        "1. Mục đích",
        "2. Yêu cầu",
        "a) Đúng hạn;",
        "b)Đủ hồ sơ;",
        "- Văn phòng;",
        "- Thanh tra.",
        "3. 3.1. Chỉ tiêu",
        "II. II NỘI DUNG",
    ]


def test_broken_numbering_gives_no_number_and_no_refusal(tmp_path: Path) -> None:
    document = docx.Document()
    loop = document.styles.add_style("Vong", WD_STYLE_TYPE.LIST)
    number(loop, 22, level=None)  # a list style whose list links back to the style
    for num_id, level, text in [
        (20, 0, "Danh sách của định nghĩa không có"),
        (21, 0, "Danh sách không có"),
        (22, 0, "Danh sách vòng"),
        (23, 4, "Cấp không được định nghĩa"),
        (23, 0, "Cấp được định nghĩa"),
    ]:
        number(document.add_paragraph(text), num_id, level)
    set_numbering(
        document,
        [abstract_num(22, num_style_link="Vong"), abstract_num(23, Level("decimal", "%1."))],
        [num(20, 99), num(22, 22), num(23, 23)],
    )
    path = tmp_path / "hong.docx"
    document.save(str(path))

    assert paragraphs_of(path) == [
        "Danh sách của định nghĩa không có",
        "Danh sách không có",
        "Danh sách vòng",
        "Cấp không được định nghĩa",
        "1. Cấp được định nghĩa",
    ]


def test_python_docx_list_styles_are_numbered(tmp_path: Path) -> None:
    document = docx.Document()  # its template numbers "List Number" and bullets "List Bullet"
    document.add_paragraph("Thứ nhất", style="List Number")
    document.add_paragraph("Thứ hai", style="List Number")
    document.add_paragraph("Gạch đầu dòng", style="List Bullet")
    path = tmp_path / "mau.docx"
    document.save(str(path))

    assert paragraphs_of(path) == ["1. Thứ nhất", "2. Thứ hai", "- Gạch đầu dòng"]


# ------------------------------------------------------------------- layout or data table


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "national"),
        ("Độc lập – Tự do – Hạnh phúc", "national"),
        ("ĐẢNG CỘNG SẢN VIỆT NAM", "national"),
        ("Số: 86/2025/QĐ-UBND", "number"),
        ("Số:      /KH-SGTVT", "number"),
        ("Hà Nội, ngày 26 tháng 11 năm 2025", "dateline"),
        ("Lạng Sơn, ngày      tháng 01 năm 2025", "dateline"),
        ("Nơi nhận:", "recipients"),
        ("TM. ỦY BAN NHÂN DÂN", "authority"),
        ("KT. CHỦ TỊCH", "authority"),
        ("Q. GIÁM ĐỐC", "authority"),
        ("TL. BỘ TRƯỞNG", "authority"),
        ("PHÓ CHỦ TỊCH", "position"),
        ("GIÁM ĐỐC", "position"),
        ("THỦ TRƯỞNG ĐƠN VỊ", "position"),
        ("(Ký, ghi rõ họ tên)", "signature"),
        ("Giám đốc Sở chủ trì thực hiện", None),
        ("Số lượng công việc được giao", None),
        ("Từ ngày phát động đến hết ngày 31 tháng 12 năm 2025", None),
        ("TMĐT dự án", None),
        ("UBND TỈNH LẠNG SƠN", None),
        ("Kt. chủ tịch", None),
    ],
)
def test_letterhead_and_signature_lines_are_known(line: str, kind: str | None) -> None:
    assert letterhead_marker(line) == kind


@pytest.mark.parametrize(
    ("rows", "layout"),
    [
        ([[["ỦY BAN NHÂN DÂN", "TỈNH X"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]]], True),
        ([[["Nơi nhận:", "- Như trên;"], ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn A"]]], True),
        ([[["NGƯỜI KÊ KHAI", "(Ký, ghi rõ họ tên)"], ["XÁC NHẬN CỦA CƠ QUAN"]]], True),
        # a signature laid out a line per row: taller, with two kinds of marks
        ([[["Nơi nhận:"], ["KT. GIÁM ĐỐC"]], [["- Như trên;"], ["PHÓ GIÁM ĐỐC"]],
          [["- Lưu: VT."], []], [[], []], [[], ["Nguyễn Văn B"]]], True),
        # data: no mark, too wide, too tall, or tall with one kind of mark only
        ([[["TT"], ["Đơn vị"], ["Chỉ tiêu"]], [["1"], ["Văn phòng"], ["100%"]]], False),
        ([[["Số: 12/KH-UBND"], ["a"], ["b"], ["c"]]], False),
        ([[["Số: 12/KH-UBND"], ["Trích yếu"]]] + [[[str(n)], ["Kế hoạch"]] for n in range(5)], False),
        ([[["Nơi nhận:"], ["x"]]] * 13, False),
        # one column: a frame around text, whatever it says
        ([[["Điều 1.", "Điều 2."]]] + [[["x"]]] * 20, True),
        ([], False),
    ],
)  # fmt: skip
def test_layout_tables_are_told_from_data_tables(rows: list, layout: bool) -> None:
    assert looks_like_layout_table(rows) is layout


# ------------------------------------------------------------------------------------ .pdf

PAGES = [
    ["KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích"],
    ["II. CHỈ TIÊU", "Điểm tối đa", "20"],
    ["III. TỔ CHỨC THỰC HIỆN", "Nơi nhận:", "KT. CHỦ TỊCH"],
]
HEADER = "UBND TỈNH ĐẮK LẮK - Kế hoạch số 0125/KH-UBND"


@pytest.mark.parametrize(
    ("number", "at_top"),
    [("- {n} -", False), ("Trang {n}/{total}", False), ("{n}", True), ("{n}", False)],
    ids=["dashes", "trang-n-of-total", "bare-at-top", "bare-at-foot"],
)
def test_pdf_lines_without_running_header_and_page_numbers(
    tmp_path: Path, number: str, at_top: bool
) -> None:
    path = make_paged_pdf(tmp_path / "kh.pdf", PAGES, HEADER, number, number_at_top=at_top)

    assert read_text(path) == "\n".join(line for page in PAGES for line in page)


def test_pdf_keeps_numbers_that_do_not_follow_the_pages(tmp_path: Path) -> None:
    pages = [["Tiêu chí 1", "5"], ["Tiêu chí 4", "15"], ["Tiêu chí 6", "20"]]
    path = make_paged_pdf(tmp_path / "diem.pdf", pages)

    assert read_text(path).split("\n") == [
        "Tiêu chí 1",
        "5",
        "Tiêu chí 4",
        "15",
        "Tiêu chí 6",
        "20",
    ]


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        # page i + 1 at the foot of every page; the last page's table ends on a number
        ([["a", "1"], ["b", "2"], ["c", "7", "3"]], [["a"], ["b"], ["c", "7"]]),
        # numbered from page 2, at the top
        ([["a", "b"], ["2", "c"], ["3", "d"]], [["a", "b"], ["c"], ["d"]]),
        ([["Kế hoạch", "a"], ["Kế hoạch", "2", "b"]], [["a"], ["b"]]),
        # a bare number at the top of page 3 that is not 3
        ([["a"], ["b"], ["5", "c"]], [["a"], ["b"], ["5", "c"]]),
        # "1/2" is page 1 of 2 only in a two-page document; "30/4" is a date
        ([["1/2", "a"], ["b", "2/2"]], [["a"], ["b"]]),
        ([["30/4", "a"], ["b", "1/5"]], [["30/4", "a"], ["b", "1/5"]]),
        # a footer on most pages, its page number aside
        (
            [["a", "KH số 12/KH-UBND - Trang 1"], ["b", "KH số 12/KH-UBND - Trang 2"], ["c"]],
            [["a"], ["b"], ["c"]],
        ),
        ([["Mẫu số 01", "a"], ["Mẫu số 01", "b"], ["c"]], [["a"], ["b"], ["c"]]),
        # lines that differ in other numbers are the text's
        (
            [["Điều 4. Tiêu chuẩn", "a"], ["Điều 7. Hồ sơ", "b"], ["Điều 9. Thời hạn", "c"]],
            [["Điều 4. Tiêu chuẩn", "a"], ["Điều 7. Hồ sơ", "b"], ["Điều 9. Thời hạn", "c"]],
        ),
        # a line at the top of one page only is the text's
        ([["Nơi nhận:", "a"], ["b"], ["c"]], [["Nơi nhận:", "a"], ["b"], ["c"]]),
    ],
)
def test_running_lines_are_told_from_the_text(pages: list, expected: list) -> None:
    assert strip_running_lines(pages) == expected


def test_a_scanned_pdf_is_refused(tmp_path: Path) -> None:
    assert refusal(make_scanned_pdf(tmp_path / "scan.pdf")) == "document.scanned"


def test_a_pdf_with_only_blank_text_is_refused_as_a_scan(tmp_path: Path) -> None:
    path = make_paged_pdf(tmp_path / "blank.pdf", [["   "], [" "]])
    assert refusal(path) == "document.scanned"


def test_a_pdf_over_the_text_limit_stops(tmp_path: Path) -> None:
    path = make_paged_pdf(tmp_path / "kh.pdf", PAGES)
    size = len("\n".join(line for page in PAGES for line in page))

    assert read_text(path, max_chars=size + 10)
    assert refusal(path, max_chars=size // 2) == "document.too_large"


# ------------------------------------------------------------------------------------ .txt


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
     ("utf-16-be", codecs.BOM_UTF16_BE)],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be"],
)  # fmt: skip
def test_text_files_in_every_encoding_offices_save(
    tmp_path: Path, encoding: str, bom: bytes
) -> None:
    path = tmp_path / "kh.txt"
    path.write_bytes(bom + "KẾ HOẠCH\r\n\r\nI. MỤC ĐÍCH\r\nđoạn cuối\rhết".encode(encoding))

    assert read_text(path) == "KẾ HOẠCH\n\nI. MỤC ĐÍCH\nđoạn cuối\nhết"


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02\x89PNG\r\n\x1a\n\x00\x00",  # binary
        "Kế hoạch".encode("utf-16-le"),  # UTF-16 without its BOM
        "Đơn vi thi đua".encode("cp1258"),  # the old Vietnamese code page (no tones: NFC has none)
    ],
    ids=["binary", "utf-16-without-bom", "cp1258"],
)
def test_a_text_file_that_is_not_text_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "kh.txt"
    path.write_bytes(content)

    assert refusal(path) == "document.unreadable"


def test_a_text_file_of_blanks_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "kh.txt"
    path.write_bytes(codecs.BOM_UTF8 + b" \r\n\r\n\t")

    assert refusal(path) == "document.empty"


def test_the_text_limit_counts_characters_after_line_ends_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "dai.txt"
    # 3 bytes ("a\r\n") a character pair: the 1 MiB pieces end inside a "\r\n" now and then
    path.write_bytes(b"a\r\n" * (MAX_TEXT_CHARS // 2))
    assert len(read_text(path)) == MAX_TEXT_CHARS

    path.write_bytes(b"a\r\n" * (MAX_TEXT_CHARS // 2) + b"a")
    assert refusal(path) == "document.too_large"


def test_a_docx_over_the_text_limit_is_refused(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = "Thi đua hoàn thành xuất sắc nhiệm vụ. " * 25  # 950 characters
    for _ in range(MAX_TEXT_CHARS // len(paragraph) + 1):
        document.add_paragraph(paragraph)
    path = tmp_path / "dai.docx"
    document.save(str(path))

    assert refusal(path) == "document.too_large"
    assert len(read_text(path, max_chars=10 * MAX_TEXT_CHARS)) > MAX_TEXT_CHARS


# ------------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf"])
def test_a_file_over_50_mb_is_refused_before_reading(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"lon{suffix}"
    with path.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk, and is all NUL bytes

    assert refusal(path) == "document.too_large"


def test_a_file_of_exactly_50_mb_is_read(tmp_path: Path) -> None:
    path = tmp_path / "vua.txt"
    with path.open("wb") as file:
        file.truncate(MAX_FILE_BYTES)

    assert refusal(path) == "document.unreadable"  # read, and found to be NUL bytes


def test_a_docx_whose_xml_would_unpack_to_gigabytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bom.docx"
    block = b" " * (1 << 20)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package,
        package.open("word/document.xml", "w", force_zip64=True) as part,
    ):
        for _ in range(MAX_DOCX_XML_BYTES // len(block) + 1):
            part.write(block)

    assert path.stat().st_size < MAX_FILE_BYTES
    assert refusal(path) == "document.too_large"


OLE_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
"""The start of a Word 97-2003 file (an OLE compound file)."""


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("ke-hoach.doc", OLE_FILE, "document.legacy_word"),
        ("ke-hoach.ODT", b"PK\x03\x04", "document.legacy_word"),
        ("ke-hoach.docx", OLE_FILE, "document.legacy_word"),
        ("ke-hoach.xlsx", b"PK\x03\x04", "document.unsupported_type"),
        ("ke-hoach.jpg", b"\xff\xd8\xff", "document.unsupported_type"),
        ("ke-hoach", b"text", "document.unsupported_type"),
        ("ke-hoach.docx", b"PK\x03\x04 not really a zip", "document.unreadable"),
        ("ke-hoach.docx", b"%PDF-1.7", "document.unreadable"),
        ("ke-hoach.pdf", b"%PDF-1.4\n1 0 obj broken", "document.unreadable"),
        ("ke-hoach.pdf", b"", "document.unreadable"),
    ],
)
def test_refusals_name_their_reason(tmp_path: Path, name: str, content: bytes, key: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    assert refusal(path) == key


def test_a_missing_file_or_a_folder_is_missing(tmp_path: Path) -> None:
    (tmp_path / "thu-muc.docx").mkdir()

    assert refusal(tmp_path / "khong-co.docx") == "document.missing"
    assert refusal(tmp_path / "thu-muc.docx") == "document.missing"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_size_message_states_the_limits(language: str) -> None:
    message = Catalog.load().translator(language)("document.too_large")
    assert f"{MAX_FILE_BYTES // 2**20} MB" in message
    assert f"{MAX_TEXT_CHARS // 1_000_000} " in message
