"""Deleting everything the bot holds about one person (/xoadulieu).

Why a module of its own: a person is named in many tables, some by a foreign key that only
sets NULL (reminders they created, the audit log), some by their platform user id (private
chats), some only in text (a queued message that quotes their name). Deleting the person row
alone left a repeating reminder firing into their chat. Every table is handled here, and a test
walks every table after a deletion to prove nothing of the person is left.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.chats import PRIVATE_CHAT_OF_ACCOUNT
from storage.models import (
    Account,
    AuditLog,
    Chat,
    DialogState,
    Download,
    Outbox,
    Person,
    Reminder,
)

DELETED = "(deleted)"
"""What the audit log shows in place of a deleted person."""

PERSON_TARGETS = ("pledge.on_behalf", "rating.final")
"""Audit actions whose target is a person's id: those targets are blanked too."""
PERSON_TARGET_PREFIXES = ("member.",)
"""Actions about a member (moves, roles, removals) name the person as their target."""

MIN_NAME = 3
"""A name shorter than this is too common a word to find in a text without false hits."""


async def forget_person(session: AsyncSession, person_id: int) -> None:
    """Delete person `person_id` and everything of theirs; anonymise their audit lines.

    Runs in the caller's transaction. Removed: reminders they created and every reminder,
    queued message and dialog of their private chats (with the chats, which hold their
    platform user id), messages elsewhere whose text names them, downloads (reports list every
    member), then the person, whose accounts, link codes, memberships, pledges (commitments,
    progress), assessments and notices go with it (ON DELETE CASCADE). The audit keeps what
    was done, not by whom: actor id and actor text are blanked, and so are targets that name
    the person.
    """
    await session.flush()
    person = await session.get(Person, person_id)
    if person is None:
        return
    accounts = list(await session.scalars(select(Account).where(Account.person_id == person_id)))
    refs = [f"{a.platform}:{a.platform_user_id}" for a in accounts]
    private_chats = list(
        await session.scalars(
            select(Chat.id)
            .join(Account, PRIVATE_CHAT_OF_ACCOUNT)
            .where(Account.person_id == person_id, Chat.kind == "private")
        )
    )

    await session.execute(
        delete(Reminder).where(
            or_(Reminder.created_by == person_id, Reminder.chat_id.in_(private_chats))
        )
    )
    await session.execute(delete(Outbox).where(Outbox.chat_id.in_(private_chats)))
    await _delete_messages_naming(session, person.display_name)
    await _delete_dialogs_about(session, person_id)
    await session.execute(delete(Chat).where(Chat.id.in_(private_chats)))
    await session.execute(delete(Download))

    await session.execute(
        update(AuditLog).where(AuditLog.actor_id == person_id).values(actor_id=None, actor=DELETED)
    )
    await session.execute(update(AuditLog).where(AuditLog.actor.in_(refs)).values(actor=DELETED))
    about_person = or_(
        AuditLog.action.in_(PERSON_TARGETS),
        *(AuditLog.action.startswith(prefix) for prefix in PERSON_TARGET_PREFIXES),
    )
    await session.execute(
        update(AuditLog)
        .where(or_(about_person & (AuditLog.target == str(person_id)), AuditLog.target.in_(refs)))
        .values(target=DELETED)
    )
    await session.execute(delete(Person).where(Person.id == person_id))
    # The ORM copies of the rows deleted above must not be written back at commit.
    session.expunge_all()


async def _delete_messages_naming(session: AsyncSession, name: str) -> None:
    """Queued or sent messages whose text names the person (an announcement signed by them),
    as a whole word ("Lan" is not found in "Lanh"); names shorter than MIN_NAME are left."""
    name = name.strip()
    if len(name) < MIN_NAME:
        return
    word = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    candidates = await session.execute(
        select(Outbox.id, Outbox.text).where(Outbox.text.contains(name, autoescape=True))
    )
    ids = [row_id for row_id, text in candidates if word.search(text)]
    if ids:
        await session.execute(delete(Outbox).where(Outbox.id.in_(ids)))


async def _delete_dialogs_about(session: AsyncSession, person_id: int) -> None:
    """Other people's dialogs about this person (a lead replacing their pledge keeps the
    person and the draft commitments in the dialog's data): they end with the person."""
    dialogs = await session.execute(select(DialogState.id, DialogState.data))
    ids = [row_id for row_id, data in dialogs if (data or {}).get("person_id") == person_id]
    if ids:
        await session.execute(delete(DialogState).where(DialogState.id.in_(ids)))
