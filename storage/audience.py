"""Who a push to units reaches: the units' linked groups, and privately every member whom no
such group reaches (Zalo bots cannot join groups today; a unit may have no group at all).

One person gets one copy: none when a group of one of the addressed units is on an app they
use (the group is the unit's place), else one in their private chat on the app they used last
(`Person.last_platform`), or on another app where they have one. A member who muted the unit
(`Membership.muted`, /tatthongbao) gets no private copy of its pushes; groups are shared and
always hear. Four statements, whatever the number of members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.chats import PRIVATE_CHAT_OF_ACCOUNT, linked_groups
from storage.models import Account, Chat, Membership, Person


@dataclass(frozen=True)
class Audience:
    groups: list[Chat] = field(default_factory=list)
    people: list[tuple[Chat, str | None]] = field(default_factory=list)
    """(private chat, its reader's language or None) per person reached privately."""
    unreachable: int = 0
    """Members who need a private copy but have no private chat with the bot (never wrote to
    it, or blocked it): nothing can reach them until they do."""

    @property
    def readers(self) -> list[tuple[Chat, str | None]]:
        """Every chat with the language to write in: None for groups (the bot's)."""
        return [*((chat, None) for chat in self.groups), *self.people]

    def reach(self) -> dict[str, tuple[int, int]]:
        """Per platform: (groups, people privately), for the sender's confirmation."""
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for chat in self.groups:
            counts[chat.platform][0] += 1
        for chat, _ in self.people:
            counts[chat.platform][1] += 1
        return {platform: (g, p) for platform, (g, p) in sorted(counts.items())}

    def __bool__(self) -> bool:
        return bool(self.groups or self.people)


async def of_units(session: AsyncSession, unit_ids: Sequence[int] | None) -> Audience:
    """The audience of a push to these units (None: every unit)."""
    groups = await linked_groups(session, unit_ids)
    grouped = {(chat.unit_id, chat.platform) for chat in groups}
    members = select(Membership.person_id, Membership.unit_id, Membership.muted)
    if unit_ids is not None:
        members = members.where(Membership.unit_id.in_(list(unit_ids)))
    units_of: dict[int, set[int]] = defaultdict(set)
    wanted: set[int] = set()
    for person_id, unit_id, muted in (await session.execute(members)).all():
        units_of[person_id].add(unit_id)
        if not muted:
            wanted.add(person_id)
    if not wanted:
        return Audience(groups)
    people = members.with_only_columns(Membership.person_id).scalar_subquery()
    apps: dict[int, set[str]] = defaultdict(set)
    for person_id, platform in (
        await session.execute(
            select(Account.person_id, Account.platform).where(Account.person_id.in_(people))
        )
    ).all():
        apps[person_id].add(platform)
    private: dict[int, list[tuple[Chat, str | None, str | None]]] = defaultdict(list)
    rows = await session.execute(
        select(Account.person_id, Chat, Person.last_platform, Person.language)
        .join(Chat, PRIVATE_CHAT_OF_ACCOUNT)
        .join(Person, Person.id == Account.person_id)
        .where(Account.person_id.in_(people), Chat.kind == "private", Chat.active.is_(True))
        .order_by(Chat.id)
    )
    for person_id, chat, last_platform, language in rows.all():
        private[person_id].append((chat, last_platform, language))
    reached: list[tuple[Chat, str | None]] = []
    unreachable = 0
    for person_id in sorted(wanted):
        if any((unit, app) in grouped for unit in units_of[person_id] for app in apps[person_id]):
            continue  # a group of the unit is on an app they use
        chats = private.get(person_id)
        if not chats:
            unreachable += 1
            continue
        chosen = next((c for c in chats if c[0].platform == c[1]), chats[0])
        reached.append((chosen[0], chosen[2]))
    return Audience(groups, reached, unreachable)
