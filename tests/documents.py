"""Launch documents for tests: the real 2025 text, and .docx / .pdf files made from it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from campaign.layout import paragraphs

if TYPE_CHECKING:  # python-docx is imported where a test makes a document
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.styles.style import ParagraphStyle
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

FONT_PLACES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)


def seed_text() -> str:
    return (
        resources.files("campaign.data").joinpath("phat-dong-thi-dua-2025.txt").read_text("utf-8")
    )


def make_docx(path: Path, text: str) -> Path:
    import docx

    document = docx.Document()
    for paragraph in paragraphs(text):
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def make_pdf(path: Path, text: str) -> Path:
    """A real PDF with wrapped lines, as Word's "save as PDF" makes them."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("DejaVu", fname=unicode_font())
    pdf.set_font("DejaVu", size=11)
    for paragraph in paragraphs(text):
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))
    return path


# ---- Word and PDF files shaped like an office's: layout tables, merges, footnotes, scans ----

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
FOOTNOTES_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"

Cell = str | list[str]
"""A cell's text: a string is one paragraph ("\\n" in it a line break), a list several."""


def fill_cell(cell: _Cell, text: Cell) -> None:
    paragraphs = [text] if isinstance(text, str) else text
    for position, paragraph_text in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if position == 0 else cell.add_paragraph()
        if paragraph_text:
            paragraph.add_run(paragraph_text)


def add_table(document: DocxDocument, rows: Sequence[Sequence[Cell]]) -> Table:
    """A table of len(rows) rows; a row shorter than the first leaves its last cells empty."""
    table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=False):
            fill_cell(cell, text)
    return table


def footnote_reference(paragraph: Paragraph, note_id: int) -> None:
    """A superscript footnote mark, the run Word writes for Insert › Footnote."""
    from docx.oxml import parse_xml

    element: BaseOxmlElement = paragraph._p  # lxml types append() as same-class only
    element.append(
        parse_xml(
            f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:id="{note_id}"/></w:r>'
        )
    )


def add_footnotes(path: Path, notes: dict[int, list[str]]) -> Path:
    """Put word/footnotes.xml into a saved .docx, with its relationship and content type.

    python-docx cannot write footnotes, so the package is edited as Word would have written
    it: the separator (-1) and continuation separator (0) notes first, then each note's
    paragraphs, the first one starting with the footnoteRef mark.
    """
    import zipfile

    from lxml import etree

    def note(note_id: int, paragraphs: list[str]) -> str:
        body = "".join(
            "<w:p>"
            + (
                '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
                if position == 0
                else ""
            )
            + f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p>'
            for position, text in enumerate(paragraphs)
        )
        return f'<w:footnote w:id="{note_id}">{body}</w:footnote>'

    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>"
        + "".join(note(note_id, texts) for note_id, texts in notes.items())
        + "</w:footnotes>"
    )
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    types = etree.fromstring(parts["[Content_Types].xml"])
    etree.SubElement(
        types,
        f"{{{types.nsmap[None]}}}Override",
        PartName="/word/footnotes.xml",
        ContentType=FOOTNOTES_CONTENT,
    )
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8")
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    etree.SubElement(
        rels,
        f"{{{rels.nsmap[None]}}}Relationship",
        Id="rIdFootnotes",
        Type=FOOTNOTES_TYPE,
        Target="footnotes.xml",
    )
    parts["word/_rels/document.xml.rels"] = etree.tostring(
        rels, xml_declaration=True, encoding="UTF-8"
    )
    parts["word/footnotes.xml"] = footnotes.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


# ---- Word's automatic numbering: numbering.xml definitions, numbered paragraphs and styles ----

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
SYMBOL_BULLET = "\uf0b7"
"""The bullet Word writes in the Symbol font: a private-use character, meaningless as text."""


@dataclass(frozen=True)
class Level:
    """A w:lvl of a list definition, written as Word writes it."""

    number_format: str
    text: str
    start: int | None = 1
    restart: int | None = None
    legal: bool = False
    suffix: str | None = None
    style: str | None = None
    word2010_format: str | None = None
    """A Word 2010 custom format ("001, 002, 003"): number_format is then its fallback."""

    def xml(self, ilvl: int) -> str:
        number_format = f'<w:numFmt w:val="{self.number_format}"/>'
        if self.word2010_format:
            number_format = (
                f'<mc:AlternateContent><mc:Choice Requires="w14"><w:numFmt w:val="custom" '
                f'w:format="{self.word2010_format}"/></mc:Choice>'
                f"<mc:Fallback>{number_format}</mc:Fallback></mc:AlternateContent>"
            )
        return (
            f'<w:lvl w:ilvl="{ilvl}">'
            + (f'<w:start w:val="{self.start}"/>' if self.start is not None else "")
            + number_format
            + (f'<w:lvlRestart w:val="{self.restart}"/>' if self.restart is not None else "")
            + (f'<w:pStyle w:val="{self.style}"/>' if self.style else "")
            + ("<w:isLgl/>" if self.legal else "")
            + (f'<w:suff w:val="{self.suffix}"/>' if self.suffix else "")
            + f'<w:lvlText w:val="{self.text}"/><w:lvlJc w:val="left"/>'
            + f'<w:pPr><w:ind w:left="{360 * (ilvl + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        )


def abstract_num(
    abstract_id: int,
    *levels: Level,
    style_link: str | None = None,
    num_style_link: str | None = None,
) -> str:
    """A w:abstractNum: a list definition of up to 9 levels, or a link to a list style's."""
    return (
        f'<w:abstractNum w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="{"multilevel" if len(levels) > 1 else "singleLevel"}"/>'
        + (f'<w:styleLink w:val="{style_link}"/>' if style_link else "")
        + (f'<w:numStyleLink w:val="{num_style_link}"/>' if num_style_link else "")
        + "".join(level.xml(ilvl) for ilvl, level in enumerate(levels))
        + "</w:abstractNum>"
    )


def num(num_id: int, abstract_id: int, starts: dict[int, int] | None = None) -> str:
    """A w:num: a list using a definition, restarted at `starts` ({level: start}) if given."""
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for ilvl, start in (starts or {}).items()
    )
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


def set_numbering(document: DocxDocument, abstracts: list[str], nums: list[str]) -> None:
    """Give the document a word/numbering.xml holding these definitions and lists.

    python-docx reads numbering but cannot write it, so the part is made from the XML and
    related to the document part as Word relates it, in place of the template's own (python-docx's
    "List Number" and "List Bullet" lists).
    """
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.parts.numbering import NumberingPart

    part = document.part
    for rel_id, relationship in list(part.rels.items()):
        if relationship.reltype == RELATIONSHIP_TYPE.NUMBERING:
            part.drop_rel(rel_id)
    xml = (
        f'<w:numbering xmlns:w="{W_NS}" xmlns:mc="{MC_NS}" xmlns:w14="{W14_NS}" '
        'mc:Ignorable="w14">' + "".join(abstracts) + "".join(nums) + "</w:numbering>"
    )
    numbering = NumberingPart.load(
        PackURI("/word/numbering.xml"), CONTENT_TYPE.WML_NUMBERING, xml.encode(), part.package
    )
    part.relate_to(numbering, RELATIONSHIP_TYPE.NUMBERING)


def number(owner: Paragraph | ParagraphStyle, num_id: int | None, level: int | None = 0) -> None:
    """Put a w:numPr on a paragraph, or on a style (its paragraphs inherit it); num_id 0 turns
    the numbering off, None leaves the w:numId out (the style's applies)."""
    from docx.text.paragraph import Paragraph

    element = owner._p if isinstance(owner, Paragraph) else owner.element
    properties: Any = element.get_or_add_pPr()  # python-docx makes numPr's methods at run time
    numbering = properties.get_or_add_numPr()
    if level is not None:
        numbering.get_or_add_ilvl().val = level
    if num_id is not None:
        numbering.get_or_add_numId().val = num_id


_TYPED_NUMBER = re.compile(r"^(?:(?P<roman>[IVX]+)\.|(?P<number>\d{1,2})\.|(?P<dash>-))\s+")


def make_numbered_docx(path: Path, text: str) -> Path:
    """The text as a .docx whose "I.", "1." and "-" at the start of paragraphs are Word's
    automatic numbering, as an office types them with the list buttons: one multilevel list
    (I. / 1. / bullet), with "Set numbering value" (a new w:num) where a "1." list starts over
    outside a part, as the appendix does."""
    import docx

    document = docx.Document()
    nums = [num(1, 1)]
    num_id, following = 1, 1
    for paragraph in paragraphs(text):
        typed = _TYPED_NUMBER.match(paragraph)
        if typed is None:
            document.add_paragraph(paragraph)
            continue
        numbered = document.add_paragraph(paragraph[typed.end() :])
        if typed.group("roman"):
            level, following = 0, 1
        elif typed.group("number"):
            level, value = 1, int(typed.group("number"))
            if value != following:
                num_id += 1
                nums.append(num(num_id, 1, starts={1: value}))
            following = value + 1
        else:
            level = 2
        number(numbered, num_id, level)
    outline = abstract_num(
        1,
        Level("upperRoman", "%1."),
        Level("decimal", "%2."),
        Level("bullet", SYMBOL_BULLET, start=None),
    )
    set_numbering(document, [outline], nums)
    document.save(str(path))
    return path


def unicode_font() -> str:
    font = next((p for p in FONT_PLACES if Path(p).exists()), None)
    assert font is not None, "a Unicode TrueType font (DejaVuSans) is needed to write Vietnamese"
    return font


def make_paged_pdf(
    path: Path,
    pages: list[list[str]],
    header: str | None = None,
    number: str | None = None,
    number_at_top: bool = False,
) -> Path:
    """A PDF with one line per item on each page, a running header and page numbers.

    `number` formats the page number ("- {n} -", "Trang {n}/{total}", "{n}"); with
    `number_at_top` it stands above the text from page 2 on, as the rules for administrative
    documents place it, else at the foot of every page.
    """
    from fpdf import FPDF

    class Paged(FPDF):
        def header(self) -> None:
            self.set_font("DejaVu", size=9)
            if header:
                self.cell(0, 6, header, align="C", new_x="LMARGIN", new_y="NEXT")
            if number and number_at_top and self.page_no() > 1:
                self.cell(0, 6, self.page_label(), align="C", new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            if number and not number_at_top:
                self.set_y(-15)
                self.set_font("DejaVu", size=9)
                self.cell(0, 6, self.page_label(), align="C")

        def page_label(self) -> str:
            return (number or "").format(n=self.page_no(), total=len(pages))

    pdf = Paged(format="A4")
    pdf.add_font("DejaVu", fname=unicode_font())
    for lines in pages:
        pdf.add_page()
        pdf.set_font("DejaVu", size=11)
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def make_scanned_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF of page images only, as a scanner makes it: no text layer at all."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("L", (620, 877), color=255)
    draw = ImageDraw.Draw(image)
    for top in range(80, 800, 24):  # grey bars where the lines of text would be
        draw.rectangle((60, top, 560, top + 10), fill=90)
    pdf = FPDF(format="A4")
    for _ in range(pages):
        pdf.add_page()
        pdf.image(image, x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return path


CAMPAIGN_TEMPLATE = Path(__file__).resolve().parent / "data" / "ke-hoach-thi-dua-2026.txt"


def this_year() -> int:
    """The year in Hà Nội now: what a `python -m bot` process, which reads the real clock,
    takes as the current year."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year


def campaign_text(year: int) -> str:
    """The test campaign of 2026, written for `year`: command-line tests run on the real date
    and need a campaign that covers it, whatever the year."""
    return CAMPAIGN_TEMPLATE.read_text("utf-8").replace("2026", str(year))
