"""Turning the safe HTML of a Reply into plain text for channels without formatting."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^>]+>")


def to_plain(text: str) -> str:
    """Drop the tags and decode the entities: "<b>A &amp; B</b>" becomes "A & B"."""
    return html.unescape(_TAG.sub("", text))
