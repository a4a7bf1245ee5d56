"""Reading a campaign document from a file: .txt, .docx (python-docx) or .pdf (pypdf)."""

from __future__ import annotations

from pathlib import Path

from campaign.document import DocumentError

SUPPORTED = (".txt", ".docx", ".pdf")


def read_text(path: Path) -> str:
    """The text of the document, paragraphs separated by blank lines where the format has them.

    Raises DocumentError with the key of the message to show: "document.unsupported_type",
    "document.unreadable" or "document.missing".
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DocumentError("document.unsupported_type")
    if not path.is_file():
        raise DocumentError("document.missing")
    try:
        if suffix == ".txt":
            return _read_txt(path)
        if suffix == ".docx":
            return _read_docx(path)
        return _read_pdf(path)
    except DocumentError:
        raise
    except Exception as error:  # a corrupt file fails deep inside the reader libraries
        raise DocumentError("document.unreadable") from error


def _read_txt(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise DocumentError("document.unreadable")


def _read_docx(path: Path) -> str:
    import docx  # python-docx; imported here so the bot starts without reading any file

    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.append(" | ".join(cell.text for cell in row.cells))
    return "\n\n".join(paragraphs)


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
