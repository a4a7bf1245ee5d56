"""Union and youth outreach in figures: what the standing and the report say of activities.

Pure: storage/outreach_report.py reads one row per activity and unit; here they are summed per
unit. An activity meant for everyone counts for every unit whose members took part, and for
the units it was announced to; a sign-up counts for each unit its person belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ActivityRow:
    """One activity as seen from one unit (the report's "Hoạt động" sheet has one per line)."""

    activity_id: int
    name: str
    kind: str
    starts_at: datetime
    cancelled: bool
    unit_id: int
    signed_up: int
    """Confirmed sign-ups of the unit's members."""
    waitlisted: int
    attended: int
    contributed: int
    """Confirmed contributions in VND, by the unit's members or for the unit."""
    contributions: int
    """How many contributions (confirmed), money or items."""


@dataclass(frozen=True)
class UnitOutreach:
    held: int
    """Activities held: not cancelled and started by `now`."""
    signed_up: int
    attended: int
    expected: int
    """Sign-ups of activities held: what attendance is measured against."""
    contributed: int
    contributions: int

    @property
    def attendance_rate(self) -> float | None:
        """Attended over signed up, for activities held; None before any."""
        return self.attended / self.expected if self.expected else None

    @property
    def absent(self) -> int:
        return max(self.expected - self.attended, 0)


def per_unit(rows: Iterable[ActivityRow], now: datetime) -> dict[int, UnitOutreach]:
    """Each unit's figures from its activity rows (units with no row are not in the result)."""
    sums: dict[int, list[int]] = {}
    for row in rows:
        if row.cancelled:
            continue
        held = row.starts_at <= now
        figures = sums.setdefault(row.unit_id, [0, 0, 0, 0, 0, 0])
        figures[0] += held
        figures[1] += row.signed_up
        figures[2] += row.attended
        figures[3] += row.signed_up if held else 0
        figures[4] += row.contributed
        figures[5] += row.contributions
    return {unit: UnitOutreach(*values) for unit, values in sums.items()}


def department(
    figures: Iterable[UnitOutreach], rows: Iterable[ActivityRow], now: datetime
) -> UnitOutreach:
    """The whole department: activities counted once, people's figures summed over units
    (a person in two units is counted in both, as in their units' lines)."""
    held = {r.activity_id for r in rows if not r.cancelled and r.starts_at <= now}
    total = [0, 0, 0, 0, 0]
    for item in figures:
        total[0] += item.signed_up
        total[1] += item.attended
        total[2] += item.expected
        total[3] += item.contributed
        total[4] += item.contributions
    return UnitOutreach(len(held), *total)
