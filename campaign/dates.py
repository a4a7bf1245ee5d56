"""Dates as Vietnamese staff read them: dd/mm/yyyy and weekdays named "Thứ Hai" … "Chủ Nhật"."""

from __future__ import annotations

from datetime import date, datetime


def format_date(value: date | datetime) -> str:
    """dd/mm/yyyy, the only date format users see."""
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime) -> str:
    """HH:MM dd/mm/yyyy in the zone the value carries."""
    return value.strftime("%H:%M %d/%m/%Y")


def weekday_key(value: date | datetime) -> str:
    """Message key of the weekday ("weekday.0" is Monday), named in the locale catalogues."""
    return f"weekday.{value.weekday()}"
