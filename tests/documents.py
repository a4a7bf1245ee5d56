"""Launch documents for tests: the real 2025 text, and .docx / .pdf files made from it."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from campaign.document import paragraphs

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

    font = next((p for p in FONT_PLACES if Path(p).exists()), None)
    assert font is not None, "a Unicode TrueType font (DejaVuSans) is needed to write Vietnamese"
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("DejaVu", fname=font)
    pdf.set_font("DejaVu", size=11)
    for paragraph in paragraphs(text):
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))
    return path
