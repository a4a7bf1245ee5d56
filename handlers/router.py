"""The router: one incoming message in, replies out, inside one database transaction.

Order (ARCHITECTURE.md): a pending dialog step of this user in this chat, a command
("/dangky"), a command typed as Vietnamese words ("đăng ký", "dang ky"), then free text.
A slash command typed in the middle of a dialog leaves the dialog, as users expect.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.commands import closest, match_phrase, parse_slash
from campaign.inputs import read_int
from handlers.context import Context, Services
from handlers.messages import Incoming, Reply
from handlers.registry import Command, Registry
from storage import chats, dialogs, locks, notices, people, seen
from storage.db import Database
from storage.limits import TooLong
from storage.models import DialogState
from usecases.access import Actor
from usecases.clock import today as today_in

log = logging.getLogger(__name__)

MAX_TEXT = 4096
"""Longest text accepted; Telegram's own limit, and far above any real command or question."""


class Router:
    def __init__(self, db: Database, services: Services, registry: Registry) -> None:
        self.db = db
        self.services = services
        self.registry = registry

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Answer one message. Never raises: a failure rolls back and apologises."""
        language = self.services.default_language
        try:
            async with self.db.transaction() as session:
                await locks.hold_chat(session, incoming.platform, incoming.chat_id)
                if incoming.update_id is not None and not await seen.first_time(
                    session, incoming.platform, incoming.update_id
                ):
                    log.info(
                        "ignored a replayed %s update %s", incoming.platform, incoming.update_id
                    )
                    return []
                context, dialog = await self._context(session, incoming)
                language = context.language
                replies = await self._route(context, dialog)
                if replies:
                    replies += await self._notices(context)
                return replies
        except TooLong as error:  # a field longer than the schema holds: nothing was written
            t = self.services.catalog.translator(language)
            return [Reply(t("error.field_too_long", limit=error.limit, length=error.length))]
        except Exception:
            log.exception("failed to handle a message from %s", incoming.platform)
            t = self.services.catalog.translator(language)
            return [Reply(t("error.unexpected"))]

    async def _context(
        self, session: AsyncSession, incoming: Incoming
    ) -> tuple[Context, DialogState | None]:
        """Who speaks where, and the dialog they have in progress there (None: no dialog).

        Two statements for a known user in a known chat: the account comes with its person
        and memberships, the chat with its unit and the dialog.
        """
        account = await people.get_or_create_account(
            session, incoming.platform, incoming.user_id, incoming.user_name, incoming.username
        )
        chat, dialog = await chats.get_or_create_chat_with_dialog(
            session,
            incoming.platform,
            incoming.chat_id,
            incoming.chat_kind,
            incoming.chat_title,
            account.id,
        )
        person = account.person
        actor = Actor(
            person_id=person.id,
            is_admin=person.is_admin or incoming.account_ref in self.services.admins,
            memberships=tuple(person.memberships),
        )
        language = person.language or self.services.default_language
        context = Context(
            incoming=incoming,
            session=session,
            account=account,
            person=person,
            chat=chat,
            actor=actor,
            language=language,
            t=self.services.catalog.translator(language),
            services=self.services,
        )
        return context, dialog

    async def _route(self, ctx: Context, state: DialogState | None) -> list[Reply]:
        """`state`: the dialog of this account in this chat, as dialogs.current_dialog gives."""
        incoming = ctx.incoming
        text = incoming.text.strip()
        if len(text) > MAX_TEXT:
            return [ctx.reply("error.too_long", limit=MAX_TEXT, length=len(text))]

        slash = parse_slash(text)
        speaks_to_bot = incoming.chat_kind == "private" or incoming.addressed
        payload = incoming.payload
        if state is not None and state.name == dialogs.PUSHED_CHOICE:
            # Options of a reminder or nudge, numbered on a platform without buttons: "1"
            # chooses; anything else is a new message, and the offer is over either way.
            await ctx.end_dialog()
            payload = payload or (None if slash else _option_by_number(text, state.data))
            state = None
        if state is not None and slash is None and (payload or (text and speaks_to_bot)):
            handler = self.registry.dialogs.get(state.name)
            # Only the buttons this dialog showed answer it: a forged or old payload must not
            # pick a value the question never offered (another button is handled below).
            offered = not payload or payload in (state.data.get("_options") or [])
            if handler is not None and offered:
                answer = payload or _option_by_number(text, state.data) or text
                return await handler(ctx, answer, state.step, dict(state.data))
        if payload:
            prefix = payload.split(":", 1)[0] + ":"
            button = self.registry.buttons.get(prefix)
            if button is not None:
                return await button(ctx, payload[len(prefix) :])
            return [ctx.reply("error.stale_choice")]

        if slash is not None:
            if state is not None:
                await ctx.end_dialog()
            command = self.registry.get(slash.name)
            if command is None:
                return [self._unknown(ctx, slash.name)]
            return await self._run(ctx, command, slash.args)

        phrase = match_phrase(text, self.registry.phrases)
        if phrase is not None and speaks_to_bot:
            command = self.registry.get(phrase.name)
            if command is not None:
                return await self._run(ctx, command, phrase.args)

        if not speaks_to_bot:
            return []
        if not text:
            return [ctx.reply("error.empty")]
        if self.registry.free_text is not None:
            return await self.registry.free_text(ctx, text)
        return [ctx.reply("fallback.free_text")]

    async def _notices(self, ctx: Context) -> list[Reply]:
        """What admins and leads are told once a day in private: that no campaign covers today
        and how to import this year's document."""
        if ctx.incoming.chat_kind != "private" or not ctx.actor.is_staff:
            return []
        today = today_in(ctx.now(), self.services.zone)
        if await self.services.library.current(ctx.session, today) is not None:
            return []
        if not await notices.first_today(ctx.session, ctx.person.id, "import", today):
            return []
        key = "campaign.import_needed_admin" if ctx.actor.is_admin else "campaign.import_needed"
        return [ctx.reply(key, year=today.year)]

    async def _run(self, ctx: Context, command: Command, args: str) -> list[Reply]:
        if not ctx.actor.may_use(command.required):
            return [ctx.reply("error.not_allowed", command=f"/{command.name}")]
        return await command.run(ctx, args)

    def _unknown(self, ctx: Context, name: str) -> Reply:
        suggestion = closest(name, self.registry.names)
        if suggestion is None:
            return ctx.reply("error.unknown_command", command=f"/{name}")
        command = self.registry.get(suggestion)
        assert command is not None
        return ctx.reply(
            "error.unknown_command_suggest", command=f"/{name}", suggestion=f"/{command.name}"
        )


def _option_by_number(text: str, data: dict) -> str | None:
    """ "2" answers the second option shown (console and Zalo have no buttons)."""
    options = data.get("_options") or []
    number = read_int(text, 1, len(options))
    return None if number is None else str(options[number - 1])
