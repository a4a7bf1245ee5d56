"""The router: one incoming message in, replies out, inside one database transaction.

Order (ARCHITECTURE.md): a pending dialog step of this user in this chat, a command
("/dangky"), a command typed as Vietnamese words ("đăng ký", "dang ky"), then free text.
A dialog listens: "huỷ", "thôi", "/cancel" leave it; another command, or a message that is
clearly a question or a command (campaign.understand.interrupts), is run or answered and the
dialog keeps waiting, which one line under the answer says. A sentence that reads two ways
("nhắc tôi hạn nộp là khi nào") is answered with a question and a button for each reading.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from sqlalchemy.ext.asyncio import AsyncSession

from campaign.commands import closest, parse_slash
from campaign.inputs import read_int
from campaign.understand import Reading, interrupts, leaves, understand
from handlers.context import Context, Services
from handlers.dialog import TAKES
from handlers.formatting import shown_name
from handlers.messages import Incoming, Option, Reply
from handlers.registry import Command, Registry
from storage import chats, dialogs, identity, locks, notices, people, seen
from storage.db import Database, NeedsWrite
from storage.identity import IdentityCache
from storage.limits import TooLong
from storage.models import Account, Chat, DialogState
from storage.seen import RecentUpdates
from usecases.access import Actor
from usecases.clock import today as today_in

log = logging.getLogger(__name__)

MAX_TEXT = 4096
"""Longest text accepted; Telegram's own limit, and far above any real command or question."""

SEEN_DELAY = 0.5
"""Seconds an update answered in a read session waits to be marked seen with others."""

CHOICE = dialogs.WHICH_READING
"""The dialog of a sentence read two ways: its two buttons, "run" and "ask"."""
RUN, ASK = "choice:run", "choice:ask"

SEEN_BATCH = 500
"""Update keys marked seen in one statement (3 parameters each, far under SQLite's limit)."""


class Router:
    def __init__(self, db: Database, services: Services, registry: Registry) -> None:
        self.db = db
        self.services = services
        self.registry = registry
        self.identities = IdentityCache()
        """Accounts and chats read once, valid while the identity version holds."""
        self.recent = RecentUpdates()
        """Updates handled by this process: a replay stops before any database work."""
        self._unsaved: list[tuple[str, str]] = []
        self._saver: asyncio.Task[None] | None = None
        self._hurry = asyncio.Event()

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Answer one message. Never raises: a failure rolls back and apologises.

        On SQLite a message that looks read-only (a command declared `writes=False`, a
        question) is first handled in a read session, outside the writer lock; should it need
        to write after all (a dialog, a new user, an admin's sub-command), that attempt is
        rolled back before anything was written and the message handled again in a write
        session."""
        update = None if incoming.update_id is None else (incoming.platform, incoming.update_id)
        if update is not None:
            if self.recent.handled(*update):
                log.info("ignored a replayed %s update %s", *update)
                return []
            self.recent.add(*update)  # in flight: a copy arriving meanwhile is a replay too
        spoken = [self.services.default_language]
        try:
            if self.db.single_writer and not self._writes(incoming):
                try:
                    return await self._attempt(incoming, update, spoken, write=False)
                except NeedsWrite:
                    pass
            return await self._attempt(incoming, update, spoken, write=True)
        except TooLong as error:  # a field longer than the schema holds: nothing was written
            self._failed(update)
            t = self.services.catalog.translator(spoken[0])
            return [Reply(t("error.field_too_long", limit=error.limit, length=error.length))]
        except Exception:
            self._failed(update)
            log.exception("failed to handle a message from %s", incoming.platform)
            t = self.services.catalog.translator(spoken[0])
            return [Reply(t("error.unexpected"))]

    def _failed(self, update: tuple[str, str] | None) -> None:
        """Nothing was committed: the platform may deliver the update again."""
        if update is not None:
            self.recent.discard(*update)

    def _writes(self, incoming: Incoming) -> bool:
        """Whether the message surely writes (a button, a command declared so); text that is no
        command is a question or a dialog's answer, tried in a read session first."""
        if incoming.payload:
            return True
        text = incoming.text.strip()
        slash = parse_slash(text)
        if slash is not None:
            command = self.registry.get(slash.name)
            return command is not None and command.writes
        said = understand(text, self.registry.phrases).command  # no time looked for: cheap
        command = self.registry.get(said) if said else None
        return command is not None and command.writes

    async def _attempt(
        self, incoming: Incoming, update: tuple[str, str] | None, spoken: list[str], write: bool
    ) -> list[Reply]:
        """One try at the message in a write or a read session (see handle)."""
        async with self.db.transaction(write=write) as session:
            await locks.hold_chat(session, incoming.platform, incoming.chat_id)
            account_id, chat_id = self.identities.ids(
                incoming.platform, incoming.user_id, incoming.chat_id
            )
            checked = await identity.check(session, None if write else update, account_id, chat_id)
            if checked.seen or (
                write and update is not None and not await seen.first_time(session, *update)
            ):
                log.info("ignored a replayed %s update %s", incoming.platform, update)
                return []
            context, dialog, loaded = await self._context(session, incoming, checked)
            if dialog is not None and not write:
                raise NeedsWrite("a dialog in progress")  # its steps write, or end it
            spoken[0] = context.language
            replies = await self._route(context, dialog)
            if replies:
                replies += await self._notices(context)
        if loaded:
            self.identities.keep(checked.version, *loaded)
        if update is not None and not write:
            self._save_later(update)
        return replies

    async def _context(
        self, session: AsyncSession, incoming: Incoming, checked: identity.Check
    ) -> tuple[Context, DialogState | None, tuple[Account, Chat] | None]:
        """Who speaks where, the dialog they have in progress there (None: no dialog), and
        the account and chat loaded from the database to cache (None: they came from it).

        No statement for a known user in a known chat whose identity version still holds (the
        dialog came with the version); else two: the account with its person and
        memberships, the chat with its unit and the dialog.
        """
        platform = incoming.platform
        account = self.identities.account(platform, incoming.user_id, checked.version)
        chat = self.identities.chat(platform, incoming.chat_id, checked.version)
        loaded = None
        if account is not None and chat is not None:
            account, chat = await identity.attach(session, account, chat)
            dialog = checked.dialog
            people.seen_again(account, incoming.user_name, incoming.username)
            chats.seen_again(chat, incoming.chat_title)
        else:
            account = await people.get_or_create_account(
                session, platform, incoming.user_id, incoming.user_name, incoming.username
            )
            chat, dialog = await chats.get_or_create_chat_with_dialog(
                session,
                platform,
                incoming.chat_id,
                incoming.chat_kind,
                incoming.chat_title,
                account.id,
            )
            loaded = (account, chat)
        people.used(account)
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
        return context, dialog, loaded

    def _save_later(self, update: tuple[str, str]) -> None:
        """Mark an update answered in a read session seen soon, in one write for many: until
        then this process's memory catches its replays; a crash in between lets one replay
        through, which costs a read-only answer twice and writes nothing."""
        self._unsaved.append(update)
        if self._saver is None or self._saver.done():
            self._saver = asyncio.create_task(self._save_soon())

    async def _save_soon(self) -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(self._hurry.wait(), SEEN_DELAY)
        await self._save_seen()

    async def _save_seen(self) -> None:
        while self._unsaved:
            keys: list[tuple[str, str]] = []
            try:
                async with self.db.transaction() as session:
                    # taken once the writer lock is held: what came meanwhile goes too
                    keys, self._unsaved = self._unsaved[:SEEN_BATCH], self._unsaved[SEEN_BATCH:]
                    await seen.record_many(session, keys)
            except Exception:
                log.exception("could not mark %d answered updates seen", len(keys))

    async def flush(self) -> None:
        """Write what _save_later holds now (before closing the database, and in tests)."""
        self._hurry.set()
        try:
            while self._saver is not None and not self._saver.done():
                await self._saver
            await self._save_seen()
        finally:
            self._hurry.clear()

    async def _route(self, ctx: Context, state: DialogState | None) -> list[Reply]:
        """`state`: the dialog of this account in this chat, as dialogs.current_dialog gives."""
        incoming = ctx.incoming
        text = incoming.text.strip()
        if len(text) > MAX_TEXT:
            return [ctx.reply("error.too_long", limit=MAX_TEXT, length=len(text))]

        slash = parse_slash(text)
        speaks_to_bot = incoming.chat_kind == "private" or incoming.addressed
        payload = incoming.payload
        if state is not None and state.name in (dialogs.PUSHED_CHOICE, CHOICE):
            # Options offered once (a reminder's, a sentence's two readings), numbered on a
            # platform without buttons: "1" chooses; anything else is a new message, and the
            # offer is over either way.
            await ctx.end_dialog()
            payload = payload or (None if slash else _option_by_number(text, state.data))
            if state.name == CHOICE and payload in (RUN, ASK):
                return await self._chosen(ctx, payload, state.data)
            state = None
        if state is not None and slash is None and (payload or (text and speaks_to_bot)):
            handler = self.registry.dialogs.get(state.name)
            # Only the buttons this dialog showed answer it: a forged or old payload must not
            # pick a value the question never offered (another button is handled below).
            offered = not payload or payload in (state.data.get("_options") or [])
            if handler is not None and offered:
                chosen = payload or _option_by_number(text, state.data)
                if chosen is None and not leaves(text):
                    reading = self._read(ctx, text)
                    takes = state.data.get(TAKES) or "choice"
                    if interrupts(text, reading, takes):
                        return self._still_open(ctx, await self._sentence(ctx, text, reading))
                return await handler(ctx, chosen or text, state.step, dict(state.data))
        if payload:
            prefix = payload.split(":", 1)[0] + ":"
            button = self.registry.buttons.get(prefix)
            if button is not None:
                return await button(ctx, payload[len(prefix) :])
            return [ctx.reply("error.stale_choice")]

        if slash is not None:
            if state is not None and leaves(slash.name):  # "/cancel", "/huy": only leave
                await ctx.end_dialog()
                return [ctx.reply("dialog.left")]
            command = self.registry.get(slash.name)
            replies = (
                [self._unknown(ctx, slash.name)]
                if command is None
                else await self._run(ctx, command, slash.args)
            )
            return replies if state is None else self._still_open(ctx, replies)

        if not speaks_to_bot:
            return []
        if not text:
            return [ctx.reply("error.empty")]
        # A sentence: a command said in words, smalltalk, or a question (campaign/understand).
        reading = self._read(ctx, text)
        if reading.doubt is not None and self._may(ctx, reading) and self._may(ctx, reading.doubt):
            return [await self._which(ctx, text, reading)]
        return await self._sentence(ctx, text, reading)

    def _read(self, ctx: Context, text: str) -> Reading:
        return understand(text, self.registry.phrases, ctx.now().astimezone(self.services.zone))

    def _may(self, ctx: Context, reading: Reading) -> bool:
        """Whether this person may do what the reading says (a question: everyone may ask)."""
        command = self.registry.get(reading.command) if reading.command else None
        return command is None or ctx.actor.may_use(command.required)

    async def _sentence(self, ctx: Context, text: str, reading: Reading) -> list[Reply]:
        """Do what a sentence was read as: run its command, answer its smalltalk or question."""
        command = self.registry.get(reading.command) if reading.command else None
        if command is not None:
            return await self._run(ctx, command, reading.args)
        if reading.kind == "smalltalk":
            return [ctx.reply("understand.smalltalk")]
        if reading.kind == "unknown":
            return [ctx.reply("understand.unknown")]
        if self.registry.free_text is not None:
            return await self.registry.free_text(ctx, text)
        return [ctx.reply("fallback.free_text")]

    async def _which(self, ctx: Context, text: str, reading: Reading) -> Reply:
        """Ask which of its two readings a sentence means, the command's first."""
        assert reading.doubt is not None
        as_command = reading if reading.kind == "command" else reading.doubt
        command = self.registry.get(as_command.command or "")
        assert command is not None
        name = shown_name(ctx, command)
        reply = ctx.reply(
            "understand.which",
            command=name,
            options=(
                Option(ctx.t("understand.which_run", command=name), RUN),
                Option(ctx.t("understand.which_ask"), ASK),
            ),
        )
        question = reading.doubt if reading.kind == "command" else reading
        return await ctx.ask(
            CHOICE,
            "offered",
            reply,
            text=question.args or text,
            command=command.name,
            args=as_command.args,
        )

    async def _chosen(self, ctx: Context, choice: str, data: dict) -> list[Reply]:
        """The reading picked by a button of _which."""
        command = self.registry.get(str(data.get("command") or ""))
        if choice == RUN and command is not None:
            return await self._run(ctx, command, str(data.get("args") or ""))
        return await self._sentence(ctx, str(data.get("text") or ""), Reading("question"))

    def _still_open(self, ctx: Context, replies: list[Reply]) -> list[Reply]:
        """Answers given while a dialog waits, and a line saying that it still waits (unless
        what was run ended the dialog or started another)."""
        if ctx.dialog_changed:
            return replies
        return [*replies, ctx.reply("dialog.still_open")]

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
            if ctx.actor.level is None:  # in no unit yet: nothing else will work either
                return [ctx.reply("error.join_first", command=shown_name(ctx, command))]
            return [ctx.reply("error.not_allowed", command=shown_name(ctx, command))]
        return await command.run(ctx, args)

    def _unknown(self, ctx: Context, name: str) -> Reply:
        # a mistyped name ("/trogup"), else a word the sentence reader knows ("/register")
        suggestion = closest(name, self.registry.names) or understand(name).command
        if suggestion is None:
            return ctx.reply("error.unknown_command", command=f"/{name}")
        command = self.registry.get(suggestion)
        assert command is not None
        return ctx.reply(
            "error.unknown_command_suggest",
            command=f"/{name}",
            suggestion=shown_name(ctx, command),
        )


def _option_by_number(text: str, data: dict) -> str | None:
    """ "2" answers the second option shown (console and Zalo have no buttons)."""
    options = data.get("_options") or []
    number = read_int(text, 1, len(options))
    return None if number is None else str(options[number - 1])
