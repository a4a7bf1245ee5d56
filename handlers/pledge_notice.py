"""Telling a member, privately, that a lead changed their pledge (through the outbox)."""

from __future__ import annotations

import uuid

from campaign.titles import BY_CODE
from handlers.context import Context
from handlers.messages import join
from storage import chats, outbox
from storage.models import CampaignDocument, Person, Pledge


async def notify_pledge_changed(
    ctx: Context, row: CampaignDocument, person: Person, pledge: Pledge, carry: bool
) -> bool:
    """Queue the notice in the member's private chat, in their language, in the transaction
    that changed the pledge: it goes out if and only if the change was saved. False when the
    member has no private chat with the bot."""
    chat = await chats.private_chat(ctx.session, person.id)
    if chat is None:
        return False
    t = ctx.services.catalog.translator(person.language or ctx.services.default_language)
    items = [t("pledge.summary_item", number=c.position, text=c.text) for c in pledge.commitments]
    text = t(
        "pledge.changed_by_lead",
        by=ctx.person.display_name or "",
        year=row.year,
        title=BY_CODE[pledge.title].name,
        commitments=join(items),
        progress=t("pledge.changed_kept" if carry else "pledge.changed_zero"),
    )
    return await outbox.enqueue(
        ctx.session,
        chat_id=chat.id,
        kind="pledge",
        text=text,
        dedupe_key=f"pledge-changed:{pledge.id}:{uuid.uuid4().hex[:12]}",
        due_at=ctx.now(),
    )
