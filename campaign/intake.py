"""What an import makes of a document: a campaign or a regulation of the library, its year,
and the identity that lets a corrected copy replace the earlier one."""

from __future__ import annotations

import re

from campaign.document import Document, Kind
from campaign.facts import Facts
from campaign.text import fold

CAMPAIGN_KINDS = frozenset(
    {Kind.KE_HOACH, Kind.PHAT_DONG, Kind.CHI_THI, Kind.CONG_DIEN, Kind.CONG_VAN, Kind.KEU_GOI,
     Kind.THONG_BAO, Kind.CHUONG_TRINH, Kind.VAN_BAN}
)  # fmt: skip


def is_campaign(document: Document, facts: Facts) -> bool:
    """A launch plan, a drive ("đợt thi đua cao điểm") or a call to emulate: a document that
    starts a campaign. Regulations, guidance and directives on other matters go to the
    library, searched with every campaign."""
    if document.regulation:
        return False
    title = fold(document.title)
    launches = "thi dua" in title or "phat dong" in title or document.kind == Kind.PHAT_DONG
    return document.kind in CAMPAIGN_KINDS and (launches or facts.period.passage is not None)


def identity(document: Document, year: int) -> str:
    """The number and issuer ("86/2025/qd-ubnd|uy ban nhan dan tinh bac ninh"), else the title
    and year: what makes two imports the same document."""
    if document.number:
        return f"so:{fold(document.number)}|{fold(document.issuer or '')}"[:300]
    title = re.sub(r"[^a-z0-9 ]", "", fold(document.title))
    return f"ten:{title[:240]}|{year}"
