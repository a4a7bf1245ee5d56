"""Dialogs in progress, kept in the database so a restart mid-dialog loses nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Account, DialogState


async def current_dialog(
    session: AsyncSession, account_id: int, chat_id: int
) -> DialogState | None:
    return await session.scalar(
        select(DialogState).where(
            DialogState.account_id == account_id, DialogState.chat_id == chat_id
        )
    )


async def save_dialog(
    session: AsyncSession,
    account_id: int,
    chat_id: int,
    name: str,
    step: str,
    data: dict[str, Any],
) -> DialogState:
    state = await current_dialog(session, account_id, chat_id)
    if state is None:
        state = DialogState(account_id=account_id, chat_id=chat_id, name=name, step=step, data=data)
        session.add(state)
    else:
        state.name, state.step, state.data = name, step, dict(data)
    await session.flush()
    return state


async def end_dialog(session: AsyncSession, account_id: int, chat_id: int) -> None:
    await session.execute(
        delete(DialogState).where(
            DialogState.account_id == account_id, DialogState.chat_id == chat_id
        )
    )


PUSHED_CHOICE = "pushed_choice"
"""The dialog name under which options of a push message wait for a number typed back."""
WHICH_READING = "understand.choice"
"""The two readings of a sentence offered with a button each (handlers/router.py)."""
OFFERS = frozenset({PUSHED_CHOICE, WHICH_READING})
"""Dialogs that are one-shot offers of buttons: any other message is a new one."""


async def offer_pushed_choice(
    session: AsyncSession, platform: str, chat_id: int, platform_chat_id: str, payloads: list[str]
) -> bool:
    """After a push with options reached a private chat of a platform without buttons: let the
    person answer by number. A dialog already in progress there is left alone (its question is
    still the one being answered). False when nothing was remembered."""
    account_id = await session.scalar(
        select(Account.id).where(
            Account.platform == platform, Account.platform_user_id == platform_chat_id
        )
    )
    if account_id is None or await current_dialog(session, account_id, chat_id) is not None:
        return False
    data = {"_options": payloads}
    await save_dialog(session, account_id, chat_id, PUSHED_CHOICE, "offered", data)
    return True
