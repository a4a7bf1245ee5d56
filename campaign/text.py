"""Vietnamese text folding.

Staff type on phones, often without diacritics ("tro giup") or with the old tone placement
("hoà" for "hòa"). Matching folds everything to plain lowercase ASCII letters first, so that
every spelling of a word meets the same key.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lowercase, strip diacritics (both tone placements), map "đ" to "d", squeeze spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", bare.lower()).strip()


def squeeze(text: str) -> str:
    """Collapse runs of white space into one space and trim the ends."""
    return _SPACES.sub(" ", text).strip()
