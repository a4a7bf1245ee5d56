"""Turning the safe HTML of a Reply into plain text for channels without formatting."""

from handlers.messages import plain as to_plain

__all__ = ["to_plain"]
