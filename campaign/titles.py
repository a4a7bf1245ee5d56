"""Emulation titles a person can aim for (Law on Emulation and Commendation 06/2022/QH15)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from campaign.text import fold


@dataclass(frozen=True)
class Title:
    code: str
    name: str
    short: str
    aliases: tuple[str, ...]


TITLES: tuple[Title, ...] = (
    Title("ldtt", "Lao động tiên tiến", "LĐTT", ("lao dong tien tien", "ldtt")),
    Title(
        "cstdcs",
        "Chiến sĩ thi đua cơ sở",
        "CSTĐCS",
        ("chien si thi dua co so", "cstdcs", "cstd co so", "chien si co so"),
    ),
    Title(
        "cstd_tinh",
        "Chiến sĩ thi đua cấp tỉnh",
        "CSTĐ cấp tỉnh",
        (
            "chien si thi dua cap tinh",
            "cstd cap tinh",
            "cstdct",
            "chien si thi dua cap bo",
            "cstd cap bo",
        ),
    ),
    Title(
        "cstd_toanquoc",
        "Chiến sĩ thi đua toàn quốc",
        "CSTĐ toàn quốc",
        ("chien si thi dua toan quoc", "cstd toan quoc", "cstdtq"),
    ),
)
BY_CODE = {t.code: t for t in TITLES}


def match_title(text: str) -> Title | None:
    """The title typed leniently: full name or short form, with or without diacritics."""
    folded = fold(text).replace(".", " ").replace("-", " ")
    folded = " ".join(folded.split())
    if not folded:
        return None
    compact = folded.replace(" ", "")
    for title in TITLES:
        if folded == title.code or folded in title.aliases:
            return title
        if compact in {alias.replace(" ", "") for alias in title.aliases}:
            return title  # "l.đ.t.t", "cstd cs"
    names = {alias: title for title in TITLES for alias in title.aliases}
    close = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.8)
    return names[close[0]] if close else None
