"""The Telegram channel on python-telegram-bot: updates in, Replies out.

Telegram users expect buttons, formatting and a command menu: Replies are sent as HTML (their
text is already safe HTML), options become inline keyboards whose presses come back as
payloads, long texts are split at paragraph boundaries, files are uploaded as documents. In a
group the bot hears commands, mentions of itself and replies to its own messages only.

Only the updates it handles are asked for (ALLOWED_UPDATES, in polling and in setWebhook): new
messages, button presses, and changes of its own membership. An edited message is not a new
one: it is not asked for, and one that comes anyway (Telegram may still deliver updates
created before the bot asked) is ignored, so editing "/trogiup" does not answer twice. In a
forum (a supergroup with topics) the answer goes to the topic the message was written in.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import re
from collections.abc import Awaitable
from dataclasses import replace
from datetime import timedelta
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.app import App
from bot.channels.ordering import ChatLocks
from bot.channels.pacing import PUSH, PacedLimiter, paced_limiter
from bot.channels.text import split_text
from bot.delivery import ChatGone, ChatMoved, Permanent, RetryLater, TopicGone, Transient, answer
from bot.errors import UserError
from bot.redact import hide_in_logs
from bot.web import Hook, NotAnUpdate
from handlers.messages import Incoming, Reply, escape, keeps_buttons, plain
from storage import chats

PLATFORM = "telegram"
MAX_TEXT = 4096
MAX_CAPTION = 1024
"""Telegram's limit on a photo's caption (after entities are parsed: the HTML is longer, so
a caption within this in HTML is surely within it)."""
TYPING_AFTER = 1.0
"""Seconds after which the user sees "typing…": a report or a busy hour; most answers need none."""
CONCURRENT_UPDATES = 16
ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER)
"""The update types the handlers below take: new messages (migration service messages among
them), button presses, the bot added to or removed from a chat. Nothing else is asked for."""
TOPIC_GONE = ("message thread not found", "topic_deleted")
"""What Telegram answers (400) a send into a forum topic that was deleted, in PTB's words
(lower case): "Bad Request: message thread not found" (and TOPIC_DELETED on some
methods). A closed topic (TOPIC_CLOSED) still exists: that send fails as Permanent."""

log = logging.getLogger(__name__)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """PTB's update processor with our ordering: chats at once, each chat in order."""

    __slots__ = ("_chats",)

    def __init__(self, max_concurrent_updates: int = CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._chats = ChatLocks()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        async with self._chats.hold(chat.id):
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


OVERALL_PER_SECOND = 29
"""Just under Telegram's 30 messages per second for the whole bot (TELEGRAM_MAX_PER_SECOND's
default)."""


class TelegramChannel:
    platform = PLATFORM
    secret_header = "X-Telegram-Bot-Api-Secret-Token"
    buttons = True

    def __init__(
        self,
        app: App,
        token: str,
        *,
        base_url: str | None = None,
        max_per_second: float = OVERALL_PER_SECOND,
        rate_limiter: PacedLimiter | None = None,
        poll_interval: float = 0.0,
        poll_timeout: int = 10,
    ) -> None:
        """`max_per_second` paces every send (0: no pacing, for a Bot API server that has no
        limits); `rate_limiter` replaces the pacing (tests hold its clock, benchmarks scale it)."""
        self.app = app
        hide_in_logs(token)
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
            Application.builder().token(token).concurrent_updates(PerChatUpdateProcessor())
        )  # typed loosely: the rate limiter changes the bot's type parameter
        if base_url:
            api, files = api_urls(base_url)
            builder = builder.base_url(api).base_file_url(files)
        limiter = rate_limiter or paced_limiter(max_per_second)
        if limiter is not None:
            builder = builder.rate_limiter(limiter)
        self.limiter = limiter
        self.application = builder.build()
        self.poll_interval = poll_interval
        self.poll_timeout = poll_timeout
        self.username = ""
        self.bot_id = 0
        self._ignored: set[str] = set()
        new_message = filters.UpdateType.MESSAGE  # not an edit, a channel post, a business one
        self.application.add_handler(
            ChatMemberHandler(self.on_membership, ChatMemberHandler.MY_CHAT_MEMBER)
        )
        self.application.add_handler(
            MessageHandler(new_message & filters.StatusUpdate.MIGRATE, self.on_migration)
        )
        self.application.add_handler(CallbackQueryHandler(self.on_button))
        self.application.add_handler(MessageHandler(new_message, self.on_message))
        self.application.add_handler(TypeHandler(Update, self.on_unasked))
        self.application.add_error_handler(self.on_error)

    @classmethod
    def from_settings(cls, app: App) -> TelegramChannel | None:
        settings = app.settings
        if not settings.telegram_token:
            return None
        return cls(
            app,
            settings.telegram_token.get_secret_value(),
            base_url=settings.telegram_api_base_url,
            max_per_second=settings.telegram_max_per_second,
        )

    # -- life cycle ------------------------------------------------------------------------------

    async def connect(self) -> None:
        """Only the Bot API client (getMe), for sending pushes without receiving updates. A
        wrong token or no network is one line for the user."""
        t = self.app.services.catalog.translator(self.app.services.default_language)
        try:
            await self.application.initialize()
        except InvalidToken:
            raise UserError(t("cli.telegram_bad_token")) from None
        except NetworkError as error:
            raise UserError(t("cli.telegram_unreachable", error=str(error))) from None

    async def start(self, hook: Hook | None = None) -> None:
        """Connect (getMe: a wrong token fails here), set the menus, then poll, or (with a
        Hook) have Telegram post updates to the web server, which feeds them in."""
        await self.connect()
        me = self.application.bot
        self.username, self.bot_id = me.username, me.id
        await self.set_commands()
        await self.application.start()
        updater = self.application.updater
        assert updater is not None
        if hook is not None:
            await self.application.bot.set_webhook(
                hook.url, secret_token=hook.secret, allowed_updates=list(ALLOWED_UPDATES)
            )
            return
        await self.application.bot.delete_webhook()
        await updater.start_polling(
            poll_interval=self.poll_interval,
            timeout=self.poll_timeout,
            allowed_updates=list(ALLOWED_UPDATES),
        )

    async def feed(self, body: dict[str, Any]) -> None:
        """A webhook request's body, handled (replies sent) before this returns, so the web
        server answers Telegram only then: Telegram sends a chat's next update after that
        answer, which keeps a chat's updates in order across several processes. A body that
        is no update raises NotAnUpdate (the web server answers 400)."""
        if not isinstance(body.get("update_id"), int):
            raise NotAnUpdate("no update_id")
        try:
            update = Update.de_json(body, self.application.bot)
        except (TypeError, KeyError, ValueError, AttributeError) as error:
            raise NotAnUpdate(str(error)) from None
        if update is not None:  # as PTB's own update fetcher does, but awaited
            application = self.application
            await application.update_processor.process_update(
                update, application.process_update(update)
            )

    async def stop(self) -> None:
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def set_commands(self) -> None:
        """The command menu in Vietnamese (default) and English, for private chats and groups
        (groups get only the commands that make sense there)."""
        catalog = self.app.services.catalog
        for language in catalog.languages:
            t = catalog.translator(language)
            code = None if language == "vi" else language
            for scope, in_groups in (
                (BotCommandScopeAllPrivateChats(), False),
                (BotCommandScopeAllGroupChats(), True),
            ):
                commands = [
                    BotCommand(
                        command.english if language == "en" else command.name,
                        _menu_text(plain(t(command.help_key))),
                    )
                    for command in self.app.router.registry.commands
                    if (command.in_groups or not in_groups) and command.name != "start"
                ]
                await self.application.bot.set_my_commands(
                    commands, scope=scope, language_code=code
                )

    def invite_link(self, code: str) -> str | None:
        """Opening https://t.me/<bot>?start=CODE makes Telegram send "/start CODE"."""
        return f"https://t.me/{self.username}?start={code}" if self.username else None

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool | None:
        member = await self.application.bot.get_chat_member(int(chat_id), int(user_id))
        return member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)

    # -- updates in --------------------------------------------------------------------------------

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None or user.is_bot:
            return
        if message.chat.type == ChatType.PRIVATE and not message.text:
            t = self.app.services.catalog.translator(self.app.services.default_language)
            await self.answer(message.chat_id, [Reply(t("channel.non_text"))], topic(message))
            return
        incoming = self.incoming(update, message)
        if incoming is not None:
            await self.handle(incoming, message.chat_id)

    async def on_unasked(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An update of a type the bot does not ask for (an edit made before it asked, or a
        webhook set by an older version): ignored, and said once per type."""
        kind = next((k for k, v in update.to_dict().items() if k != "update_id" and v), "?")
        if kind not in self._ignored:
            self._ignored.add(kind)
            log.info("ignored a Telegram %s update (and will ignore the next ones): the bot "
                     "answers new messages only", kind)  # fmt: skip

    def incoming(self, update: Update, message: Message) -> Incoming | None:
        user = update.effective_user
        assert user is not None
        group = message.chat.type != ChatType.PRIVATE
        text = message.text or ""
        addressed = not group
        if group:
            if not text:
                return None
            head = text.split(" ", 1)[0]
            if head.startswith("/") and "@" in head and not self._is_me(head.split("@", 1)[1]):
                return None  # a command for another bot
            mention = _mention(self.username)
            if mention is not None and mention.search(text):
                addressed = True
                text = mention.sub("", text, count=1).strip()
            reply_to = message.reply_to_message
            if reply_to is not None and reply_to.from_user and reply_to.from_user.id == self.bot_id:
                addressed = True
        return Incoming(
            platform=PLATFORM,
            user_id=str(user.id),
            chat_id=str(message.chat_id),
            chat_kind="group" if group else "private",
            text=text,
            language=user.language_code,
            user_name=user.full_name,
            username=user.username,
            chat_title=message.chat.title,
            addressed=addressed,
            update_id=str(update.update_id),
            thread_id=topic(message),
        )

    def _is_me(self, username: str) -> bool:
        """Telegram usernames are case-insensitive: /trogiup@Thidua_Bot is for @thidua_bot."""
        return bool(self.username) and username.casefold() == self.username.casefold()

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.from_user is None:
            return
        await query.answer()
        message = query.message if isinstance(query.message, Message) else None
        if message is not None and not keeps_buttons(str(query.data or "")):
            label = next(
                (
                    button.text
                    for row in (
                        message.reply_markup.inline_keyboard if message.reply_markup else ()
                    )
                    for button in row
                    if button.callback_data == query.data
                ),
                None,
            )
            with contextlib.suppress(BadRequest):
                if label is not None and message.text:
                    await message.edit_text(
                        f"{message.text_html}\n\n<i>➜ {escape(label)}</i>",
                        parse_mode=ParseMode.HTML,
                        reply_markup=None,
                    )
                else:
                    await message.edit_reply_markup(reply_markup=None)
        chat = message.chat if message is not None else None
        chat_id = chat.id if chat is not None else query.from_user.id
        incoming = Incoming(
            platform=PLATFORM,
            user_id=str(query.from_user.id),
            chat_id=str(chat_id),
            chat_kind="private" if chat is None or chat.type == ChatType.PRIVATE else "group",
            payload=str(query.data or ""),
            language=query.from_user.language_code,
            user_name=query.from_user.full_name,
            username=query.from_user.username,
            addressed=True,
            update_id=str(update.update_id),
            thread_id=topic(message) if message is not None else None,
        )
        await self.handle(incoming, chat_id)

    async def on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The bot was added to a group (greet it), or removed or kicked (stop sending there)."""
        change = update.my_chat_member
        if change is None:
            return
        chat_id = str(change.chat.id)
        status = change.new_chat_member.status
        joined = status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)
        async with self.app.db.transaction() as session:
            if joined:
                kind = "private" if change.chat.type == ChatType.PRIVATE else "group"
                await chats.get_or_create_chat(session, PLATFORM, chat_id, kind, change.chat.title)
            else:
                await chats.set_active(session, PLATFORM, chat_id, False)
        was_in = change.old_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)
        if joined and not was_in and change.chat.type != ChatType.PRIVATE:
            t = self.app.services.catalog.translator(self.app.services.default_language)
            await self.answer(change.chat.id, [Reply(t("telegram.group_greeting"))])

    async def on_migration(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        if message.migrate_to_chat_id:
            old, new = message.chat_id, message.migrate_to_chat_id
        elif message.migrate_from_chat_id:
            old, new = message.migrate_from_chat_id, message.chat_id
        else:
            return
        async with self.app.db.transaction() as session:
            await chats.migrate(session, PLATFORM, str(old), str(new))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("Telegram update %s failed", update_id, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            t = self.app.services.catalog.translator(self.app.services.default_language)
            message = update.effective_message
            thread = topic(message) if message is not None else None
            with contextlib.suppress(TelegramError):
                await self.application.bot.send_message(
                    update.effective_chat.id,
                    str(t("error.unexpected")),
                    parse_mode=ParseMode.HTML,
                    message_thread_id=int(thread) if thread else None,
                )

    # -- replies out -------------------------------------------------------------------------------

    async def handle(self, incoming: Incoming, chat_id: int) -> None:
        """The router's answer to `incoming`, in the topic it was written in."""
        thread = incoming.thread_id
        typing = asyncio.create_task(self._typing_later(chat_id, thread))
        try:
            replies = await self.app.router.handle(incoming)
        finally:
            typing.cancel()
        await self.answer(chat_id, replies, thread)

    async def _typing_later(self, chat_id: int, thread: str | None) -> None:
        await asyncio.sleep(TYPING_AFTER)
        with contextlib.suppress(TelegramError):
            await self.application.bot.send_chat_action(
                chat_id, ChatAction.TYPING, message_thread_id=int(thread) if thread else None
            )

    async def answer(
        self, chat_id: int | str, replies: list[Reply], thread: str | None = None
    ) -> None:
        """Answers in the chat (in the forum topic `thread` when given), through
        delivery.answer: a moved chat and a deleted topic are followed there."""
        if thread is not None:
            replies = [replace(reply, thread=thread) for reply in replies]
        await answer(self, self.app.db, PLATFORM, str(chat_id), replies)

    async def send(self, chat_id: str | int, reply: Reply, *, push: bool = False) -> str:
        """One Reply as HTML: its text split under 4,096 characters at paragraph breaks, its
        options as buttons under the last piece, its file as a document or photo. Telegram's
        errors come out as delivery errors; a push waits behind answers in the pace."""
        bot = self.application.bot
        chat = int(chat_id)
        thread = int(reply.thread) if reply.thread else None  # a forum topic, else the chat
        priority = PUSH if push and self.limiter is not None else None
        pieces = split_text(str(reply.text), MAX_TEXT) if reply.text else []
        markup = _keyboard(reply)
        caption = escape(reply.file.caption) if reply.file is not None else ""  # sent as HTML
        if _captions(reply) and len(pieces) == 1 and len(pieces[0]) <= MAX_CAPTION:
            caption, pieces = pieces[0], []  # the picture with its figures, one message
        sent: Message | None = None
        try:
            for number, piece in enumerate(pieces):
                last = number == len(pieces) - 1
                sent = await bot.send_message(
                    chat,
                    piece,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup if last else None,
                    disable_web_page_preview=True,
                    message_thread_id=thread,
                    rate_limit_args=priority,
                )
            if reply.file is not None:
                upload = InputFile(io.BytesIO(reply.file.data), filename=reply.file.filename)
                if reply.file.kind == "photo":
                    sent = await bot.send_photo(chat, upload, caption=caption or None,
                                                parse_mode=ParseMode.HTML,
                                                reply_markup=markup if not pieces else None,
                                                message_thread_id=thread,
                                                rate_limit_args=priority)  # fmt: skip
                else:
                    sent = await bot.send_document(chat, upload, caption=caption or None,
                                                   parse_mode=ParseMode.HTML,
                                                   message_thread_id=thread,
                                                   rate_limit_args=priority)  # fmt: skip
        except RetryAfter as error:
            raise RetryLater(_seconds(error.retry_after)) from error
        except ChatMigrated as error:
            raise ChatMoved(str(error.new_chat_id)) from error
        except Forbidden as error:
            raise ChatGone(str(error)) from error
        except BadRequest as error:
            if thread is not None and any(s in error.message.lower() for s in TOPIC_GONE):
                raise TopicGone(str(error)) from error
            raise Permanent(str(error)) from error
        except (TimedOut, NetworkError) as error:
            raise Transient(str(error)) from error
        return str(sent.message_id) if sent is not None else ""


def _captions(reply: Reply) -> bool:
    """A picture with no caption of its own takes the reply's text as its caption, when the
    text fits: the chart of /thongke arrives with its figures under it."""
    return reply.file is not None and reply.file.kind == "photo" and not reply.file.caption


def topic(message: Message) -> str | None:
    """The forum topic a message is in, as a thread id for Reply.thread; None in a chat's
    main thread. Only `is_topic_message` counts: a reply in a group without topics (or in
    the General topic) carries a `message_thread_id` too, which is no topic to send to."""
    if message.is_topic_message and message.message_thread_id:
        return str(message.message_thread_id)
    return None


def api_urls(base_url: str) -> tuple[str, str]:
    """TELEGRAM_API_BASE_URL as PTB wants it: the Bot API address with or without its
    trailing `/bot` (`http://localhost:8081` or `http://localhost:8081/bot`, a slash at the
    end or not) → (the method base `…/bot`, the file base `…/file/bot`)."""
    root = base_url.strip().rstrip("/")
    root = root.removesuffix("/bot")
    return f"{root}/bot", f"{root}/file/bot"


def _mention(username: str) -> re.Pattern[str] | None:
    """@username as a whole word, in any letter case (Telegram usernames are
    case-insensitive): not the start of a longer name (@thidua_bot2)."""
    if not username:
        return None
    return re.compile(rf"@{re.escape(username)}(?![A-Za-z0-9_])", re.IGNORECASE)


def _keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.options:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(plain(o.label), callback_data=o.payload)] for o in reply.options]
    )


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _menu_text(text: str) -> str:
    """A command description for the menu: one line, 3 to 256 characters."""
    line = " ".join(text.split())
    return (line[:253] + "…") if len(line) > 256 else line.ljust(3, ".")
