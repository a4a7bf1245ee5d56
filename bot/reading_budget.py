"""What reading a document may cost, shared by the .txt, .pdf and .docx readers: the count of
characters produced (a huge document stops early, before it is all in memory) and the size the
XML of a .docx may unpack to."""

from __future__ import annotations

from campaign.document import DocumentError

MAX_DOCX_XML_BYTES = 256 * 1024 * 1024
"""The XML of a .docx, unpacked: a 50 MB zip of repetitive XML could expand to gigabytes."""


class Budget:
    """Counts characters as they are produced, so a huge document stops early."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def take(self, count: int) -> None:
        self.used += count
        if self.used > self.limit:
            raise DocumentError("document.too_large")
