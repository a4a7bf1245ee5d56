"""Dialogs in progress, kept in the database so a restart mid-dialog loses nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DialogState


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
