"""Reminders of activities: those signed up (confirmed) hear privately a day before the start
and an hour before it, once each.

A producer of the scheduler (bot/scheduler.py), run at its mark's time: it looks at the open
activities starting within a day, writes one outbox row per person and lead time (the dedupe
key `activity-reminder:<id>:<day|hour>:<person>` makes it once only, across restarts and
processes), and says when it must run next: the first start a day or an hour ahead, less that
lead. A reminder whose time was missed while the bot was down still goes out before the
start (the day's only while more than an hour is left: then the hour's is the one due).
Putting an activity on or cancelling one wakes it (handlers/activities.py); a sign-up does
not need to, the timers follow the starts and read who is signed up when they fire.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import activity_view as view
from handlers.context import Translate
from handlers.messages import Reply
from storage import activities as store
from storage import outbox

DAY, HOUR = timedelta(days=1), timedelta(hours=1)
LEADS = (DAY, HOUR)


async def produce(
    session: AsyncSession,
    now: datetime,
    translator: Callable[[str | None], Translate],
    zone: ZoneInfo,
) -> datetime | None:
    """Write the reminders due by `now`; return when the next falls due (None: none)."""
    messages: list[dict[str, Any]] = []
    for activity in await store.starting_between(session, now, now + DAY):
        lead = "hour" if activity.starts_at - now <= HOUR else "day"
        people = await store.people_signed_up(session, activity.id, (store.CONFIRMED,))
        readers = await store.private_readers(session, people)
        for person_id, (chat, language) in readers.items():
            t = translator(language)
            text = t(
                f"activity.reminder_{lead}",
                number=activity.id,
                name=activity.name,
                when=view.moment(t, zone, activity.starts_at),
                place=activity.place or t("activity.no_place"),
            )
            messages.append({
                **Reply(text).to_json(),
                "chat_id": chat.id,
                "kind": "activity",
                "dedupe_key": f"activity-reminder:{activity.id}:{lead}:{person_id}",
                "due_at": now,
            })  # fmt: skip
    await outbox.enqueue_many(session, messages)
    return await store.next_reminder_at(session, now, LEADS)
