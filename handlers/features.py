"""Every feature of the bot, in the order /trogiup lists their commands."""

from __future__ import annotations

from handlers import (
    account_link,
    activities,
    assessment,
    attendance,
    audit_view,
    chats,
    contributions,
    events,
    help,
    invites,
    knowledge,
    language,
    members,
    muting,
    pledges,
    polls,
    privacy,
    reminders,
    standing,
    start,
    status,
    units,
)
from handlers.registry import Registry


def build_registry() -> Registry:
    registry: Registry | None = None

    def current() -> Registry:
        assert registry is not None
        return registry

    registry = Registry(
        [
            start.FEATURE,
            help.make_feature(current),
            pledges.FEATURE,
            assessment.FEATURE,
            standing.FEATURE,
            reminders.FEATURE,
            muting.FEATURE,
            knowledge.FEATURE,
            events.FEATURE,
            language.FEATURE,
            units.FEATURE,
            members.FEATURE,
            invites.FEATURE,
            chats.FEATURE,
            account_link.FEATURE,
            privacy.FEATURE,
            audit_view.FEATURE,
            status.FEATURE,
            activities.FEATURE,
            attendance.FEATURE,
            contributions.FEATURE,
            polls.FEATURE,
        ]
    )
    return registry
