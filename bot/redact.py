"""Keeping bot tokens out of logs.

Both Bot APIs put the token in the URL path, and httpx and python-telegram-bot log URLs (at
INFO and DEBUG). The command line keeps those loggers quiet, but a deployment that turns
logging up to debug a problem must not leak a token: the channels register their tokens here,
and every log record is masked when it is made, message and traceback alike, whichever library
made it.
"""

from __future__ import annotations

import logging
from typing import Any

MASK = "<token>"
_SECRETS: set[str] = set()
_make_record = logging.getLogRecordFactory()


def _masked(text: str) -> str:
    for secret in _SECRETS:
        text = text.replace(secret, MASK)
    return text


def _record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _make_record(*args, **kwargs)
    message = record.getMessage()
    if any(secret in message for secret in _SECRETS):
        record.msg, record.args = _masked(message), ()
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = _masked(logging.Formatter().formatException(record.exc_info))
    return record


def hide_in_logs(secret: str) -> None:
    """Mask `secret` in every log record made from now on."""
    if not secret:
        return
    _SECRETS.add(secret)
    if logging.getLogRecordFactory() is not _record:
        logging.setLogRecordFactory(_record)
