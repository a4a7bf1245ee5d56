"""Who may act on an activity: its audience, and those who run it.

Built on `Actor` alone (usecases/access.py), so the rules of attendance and contributions
follow every role change; the activity feature may move these beside its own checks.
"""

from __future__ import annotations

from collections.abc import Sequence

from storage.models import Activity
from usecases.access import Actor


def in_audience(actor: Actor, audience: Sequence[int]) -> bool:
    """A member of one of the activity's units (any unit when it is for everyone), or an
    admin."""
    if actor.is_admin or not audience:
        return actor.is_admin or bool(actor.member_unit_ids)
    return bool(set(actor.member_unit_ids) & set(audience))


def may_organise(actor: Actor, activity: Activity, audience: Sequence[int]) -> bool:
    """Opens check-in, marks people present, confirms contributions, sees the lists: the
    organiser, an admin, or a lead of a unit the activity is for (any lead when it is for
    everyone)."""
    if actor.is_admin or activity.organiser_id == actor.person_id:
        return True
    return any(actor.leads(unit_id) for unit_id in (audience or actor.led_unit_ids))
