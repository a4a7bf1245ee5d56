"""What the bot tells on its own: the groups that hear pushes, the members a nudge is for, and
things a person (or a chat) is told at most once a day."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import String, cast, exists, literal, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from storage import seen
from storage.chats import PRIVATE_CHAT_OF_ACCOUNT
from storage.models import Account, Chat, Membership, Notice, Outbox, Person, Pledge


async def first_today(session: AsyncSession, person_id: int, topic: str, day: date) -> bool:
    """Whether `topic` is still to be told to this person on `day`; records that it is told."""
    row = await session.scalar(
        select(Notice).where(Notice.person_id == person_id, Notice.topic == topic)
    )
    if row is not None and row.day >= day:
        return False
    if row is None:
        session.add(Notice(person_id=person_id, topic=topic, day=day))
    else:
        row.day = day
    await session.flush()
    return True


async def first_today_in_chat(
    session: AsyncSession, platform: str, chat_id: str, topic: str, day: date
) -> bool:
    """`first_today` for a chat rather than a person: whether `topic` is still to be told in
    this chat on `day`; records that it is. For what strangers may cause (a sticker from
    someone the bot does not know yet, a group the bot cannot serve), where there is no
    person to hang a `Notice` on. The mark is a key of seen_update (one insert, replays and
    other processes agree), which the scheduler sweeps after a week: no table of its own."""
    key = f"{topic}:{day.isoformat()}:{chat_id}"
    if len(key) > 64:  # seen_update's key column: a long chat id is hashed, not cut
        digest = hashlib.sha256(chat_id.encode()).hexdigest()[:32]
        key = f"{topic[:20]}:{day.isoformat()}:{digest}"
    return await seen.first_time(session, platform, key)


def nudge_key(campaign_id: int, person_id: int) -> str:
    """The outbox key of the one nudge a person gets for a campaign: it is also the memory
    that they were nudged (the nudge producer skips those who have one)."""
    return f"nudge:{campaign_id}:{person_id}"


async def nudge_targets(
    session: AsyncSession, campaign_id: int
) -> list[tuple[int, int, str | None]]:
    """(person, private chat, language) of the members without a pledge for the campaign,
    who did not turn nudges off and were not nudged for it yet; by person, then chat."""
    pledged = select(Pledge.person_id).where(Pledge.campaign_id == campaign_id)
    nudged = exists().where(
        Outbox.dedupe_key == literal(f"nudge:{campaign_id}:") + cast(Person.id, String)
    )
    rows = await session.execute(
        select(Person.id, Chat.id, Person.language)
        .join(Membership, Membership.person_id == Person.id)
        .join(Account, Account.person_id == Person.id)
        .join(Chat, PRIVATE_CHAT_OF_ACCOUNT)
        .where(
            Person.nudges_off.is_(False),
            Person.id.not_in(pledged),
            ~nudged,
            Chat.active == true(),
            Chat.kind == "private",
        )
        .distinct()
        .order_by(Person.id, Chat.id)
    )
    return [(person, chat, language) for person, chat, language in rows.all()]
