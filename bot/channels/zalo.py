"""The Zalo channel: the Zalo Bot API over httpx, by webhook (production) or long polling.

It follows the published reference of the Zalo Bot Platform (bot.zaloplatforms.com/docs; a
full copy: github.com/lamdt1/ckvn-bot, docs/zalo-bot-doc.md). The API is shaped like
Telegram's (`POST <base>/bot<token>/<method>` with JSON, answers `{"ok", "result",
"error_code", "description"}`) but offers less, and its error codes mean other things; the
channel makes up for it:

- Webhook for production, getUpdates "for development" (the reference's words): both work,
  the webhook when BOT_WEBHOOK_URL is set. getUpdates hands out one update per call, answers
  408 when there is none, has no offset and may hand an update again: polling waits a second
  after an empty call, backs off on errors, and a replay is recognised by its message id.
- An update's text is `message.text`, whatever `event_name` says (or whether it is there);
  an update without text (an image, a sticker, "unsupported") gets one explanation per chat
  per day.
- No formatting, buttons or command menu: replies are plain text, options become numbered
  lines answered by number (the router maps "2" to the second option), and texts are split
  under 2,000 characters at paragraph breaks.
- No file upload: a file becomes a short summary and, when BOT_PUBLIC_URL is set, a link to
  download it from the bot's own web server (bot/web.py); a picture is sent by URL, with a
  caption only when there is one (1 to 2,000 characters).
- Groups only when getMe says `can_join_groups: true` (today it says false: Zalo's groups are
  "coming soon"); a group message that comes anyway is answered once a day with where to
  write instead. With groups, Zalo passes on only messages that mention the bot or reply to
  it, so every one is addressed to it; the mention is taken off the text.
- Errors by Zalo's own table (`_delivery_error`): 403 is Zalo's internal error, not
  "forbidden"; 429 is a spent quota with no retry_after, waited out longer each time and
  given up after a few refusals.

The SDK the reference points to (python-zalo-bot) was weighed and not taken
(docs/decisions.md); httpx, which the project already uses, is all it takes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx

from bot.app import App
from bot.channels.mentions import strip_mention
from bot.channels.ordering import ChatLocks
from bot.channels.text import numbered, split_text, to_plain
from bot.delivery import ChatGone, Permanent, QuotaExceeded, RetryLater, Transient, answer
from bot.errors import UserError
from bot.redact import hide_in_logs
from bot.web import Hook
from campaign.dates import format_datetime
from handlers.context import Translate
from handlers.messages import Attachment, Incoming, Reply
from storage import downloads, notices

PLATFORM = "zalo"
DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_TEXT = 2000
POLL_TIMEOUT = 30
"""Seconds Zalo holds a getUpdates call open when there is nothing to hand out."""
IDLE_GAP = 1.0
"""Seconds between a getUpdates call that returned nothing and the next one."""
MAX_BACKOFF = 60.0
SENDS_PER_SECOND = 10.0
"""Zalo publishes no figure; ten messages a second, evenly paced, stays well clear of its
throttling."""
RETRY_AFTER = 5.0
"""How long an answer to a person waits after a 429 (twice at most): someone is waiting."""
QUOTA_DELAYS = (30.0, 120.0, 600.0, 1800.0, 3600.0)
"""Zalo's 429 is "Quota exceeded" and says not for how long: a push waits 30 s, 2 min, 10 min,
30 min, then an hour, and at the sixth refusal it is given up (a dead letter admins count)."""
PIECE_WAITS = QUOTA_DELAYS[:2]
"""A 429 on a later piece of a long push is waited out in place (30 s, then 2 min), since
sending the whole again would repeat the pieces already out."""
NON_TEXT = "non_text"
NO_GROUPS = "zalo_no_groups"
"""Topics of what a chat is told at most once a day (storage/notices.py)."""
TYPING_AFTER = 1.0
CONCURRENT_UPDATES = 16
RECENT_IDS = 10_000
"""Message ids remembered in memory to drop quick replays (a few hours of a busy department)."""
TROUBLE_LOG_EVERY = 3600.0
"""A refused token or a spent quota is logged once in this many seconds, however many sends
it refuses."""
DOWNLOAD_LIFETIME = timedelta(hours=24)
"""How long a file link works: reports hold personal data, so not for ever."""

log = logging.getLogger(__name__)


class ZaloError(Exception):
    """The Zalo Bot API answered ok=false (or not at all, for a network error: code 0)."""

    def __init__(self, code: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(f"Zalo error {code}: {description}")
        self.code = code
        self.description = description
        self.retry_after = retry_after


class ZaloApi:
    """`POST <base>/bot<token>/<method>` with JSON. The token stays inside: it appears in no
    exception message and no log line (httpx's own request log is kept at WARNING)."""

    def __init__(
        self, token: str, base_url: str | None = None, *, timeout: float = POLL_TIMEOUT + 15
    ) -> None:
        self._token = token
        hide_in_logs(token)
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self._client = httpx.AsyncClient(timeout=timeout)

    async def call(self, method: str, /, http_timeout: float | None = None, **params: Any) -> Any:
        """The method's result; ZaloError for ok=false or a network failure (code 0)."""
        url = f"{self.base_url}/bot{self._token}/{method}"
        try:
            wait = http_timeout if http_timeout is not None else httpx.USE_CLIENT_DEFAULT
            response = await self._client.post(url, json=params, timeout=wait)
        except httpx.HTTPError as error:
            raise ZaloError(0, self._hide(f"{type(error).__name__}: {error}")) from None
        try:
            body = response.json()
        except ValueError:
            raise ZaloError(response.status_code, "the answer is not JSON") from None
        if not isinstance(body, dict):
            raise ZaloError(response.status_code, "the answer is not a JSON object")
        if body.get("ok"):
            return body.get("result")
        parameters = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
        retry_after = parameters.get("retry_after") if parameters else None
        raise ZaloError(
            int(body.get("error_code") or response.status_code),
            self._hide(str(body.get("description") or "")),
            float(retry_after) if isinstance(retry_after, int | float) else None,
        )

    def _hide(self, text: str) -> str:
        return text.replace(self._token, "<token>")

    async def close(self) -> None:
        await self._client.aclose()


class Pacer:
    """Sends evenly spaced, one every 1/rate seconds, however many tasks want to send.

    The clock and the sleep are passed in so a test can check the spacing without measuring
    wall-clock time (which a loaded machine makes unreliable)."""

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 1 / per_second
        self._next = 0.0
        self._lock = asyncio.Lock()
        self._clock = clock
        self._sleep = sleep

    async def wait(self) -> None:
        async with self._lock:
            now = self._clock() if self._clock else asyncio.get_running_loop().time()
            delay = self._next - now
            self._next = max(now, self._next) + self.interval
        if delay > 0:
            await self._sleep(delay)


@dataclass(frozen=True)
class ZaloMessage:
    """What the channel needs of one update."""

    event: str
    message_id: str
    user_id: str
    user_name: str
    chat_id: str
    group: bool
    text: str | None
    from_bot: bool


def read_update(body: dict[str, Any]) -> ZaloMessage | None:
    """An update as getUpdates hands it, or a webhook body (the reference wraps it in {"ok",
    "result"}; taken bare too); None for anything without a message. The text is the
    message's `text` whatever `event_name` says, or whether it is there at all; an empty or
    blank text is no text."""
    update: dict[str, Any] = body["result"] if isinstance(body.get("result"), dict) else body
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    sender: dict[str, Any] = message["from"] if isinstance(message.get("from"), dict) else {}
    chat: dict[str, Any] = message["chat"] if isinstance(message.get("chat"), dict) else {}
    user_id = str(sender.get("id") or "")
    chat_id = str(chat.get("id") or user_id)
    if not user_id or not chat_id:
        return None
    text = message.get("text")
    return ZaloMessage(
        event=str(update.get("event_name") or ""),
        message_id=str(message.get("message_id") or ""),
        user_id=user_id,
        user_name=str(sender.get("display_name") or sender.get("name") or ""),
        chat_id=chat_id,
        group=str(chat.get("chat_type") or "").upper() == "GROUP",
        text=text if isinstance(text, str) and text.strip() else None,
        from_bot=bool(sender.get("is_bot")),
    )


class ZaloChannel:
    platform = PLATFORM
    secret_header = SECRET_HEADER
    buttons = False

    def __init__(
        self,
        app: App,
        token: str,
        *,
        base_url: str | None = None,
        public_url: str | None = None,
        poll_timeout: int = POLL_TIMEOUT,
        idle_gap: float = IDLE_GAP,
        sends_per_second: float = SENDS_PER_SECOND,
        pacer: Pacer | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """`pacer` and `sleep` (the pauses between polls) are passed in by tests, which check
        the waits the channel asks for rather than time them on a loaded machine."""
        self.app = app
        self.api = ZaloApi(token, base_url, timeout=poll_timeout + 15)
        self.public_url = public_url.rstrip("/") if public_url else None
        self.poll_timeout = poll_timeout
        self.idle_gap = idle_gap
        self.pacer = pacer or Pacer(sends_per_second)
        self._sleep = sleep
        self.names: tuple[str, ...] = ()
        """The bot's names from getMe (account_name, and display_name when given), for
        mentions."""
        self.groups = False
        """Whether the bot serves groups: only when getMe says `can_join_groups: true`."""
        self._troubles: dict[int, float] = {}
        """When a refused token (401) or a spent quota (429) was last logged (monotonic)."""
        self._told_no_groups = False
        self._chats = ChatLocks()
        self._gate = asyncio.Semaphore(CONCURRENT_UPDATES)
        self._tasks: set[asyncio.Task[None]] = set()
        self._poller: asyncio.Task[None] | None = None
        self._recent: dict[str, None] = {}
        """Message ids lately taken, oldest first."""

    @classmethod
    def from_settings(cls, app: App) -> ZaloChannel | None:
        settings = app.settings
        if not settings.zalo_token:
            return None
        return cls(
            app,
            settings.zalo_token.get_secret_value(),
            base_url=settings.zalo_api_base_url,
            public_url=settings.public_url,
        )

    # -- life cycle ------------------------------------------------------------------------

    async def connect(self) -> None:
        """getMe: a wrong token or an unreachable API fails here, as one line for the user.
        Its answer names the bot (`account_name`; `display_name` where given) and says
        whether it can join groups (`can_join_groups`), which turns groups on."""
        try:
            me = await self.api.call("getMe")
        except ZaloError as error:
            raise UserError(self._start_error(error)) from None
        me = me if isinstance(me, dict) else {}
        names = (me.get("account_name"), me.get("display_name"), me.get("name"))
        self.names = tuple(dict.fromkeys(str(n).strip() for n in names if n and str(n).strip()))
        self.groups = me.get("can_join_groups") is True
        if not self.groups:
            log.info("Zalo: the bot cannot join groups (getMe: can_join_groups false); unit "
                     "pushes reach Zalo members privately")  # fmt: skip

    def _start_error(self, error: ZaloError) -> str:
        """The one line for a getMe that failed, by Zalo's error table: 401 (and 404, all a
        call without parameters can be "not found" for) is the token; 400 a wrong path, like
        no answer at all, is the address; the rest (403 is Zalo's internal error, 408, 429,
        5xx) is Zalo failing for now."""
        t = self._t()
        if error.code in (401, 404):
            return t("cli.zalo_bad_token")
        if error.code in (0, 400):
            return t("cli.zalo_unreachable", error=error.description)
        return t("cli.zalo_failing", error=f"{error.code} {error.description}".strip())

    async def start(self, hook: Hook | None = None) -> None:
        """Connect, then (with a Hook, the production mode) have Zalo post updates to the web
        server, or poll getUpdates (the reference's mode for development)."""
        await self.connect()
        if hook is not None:
            try:
                await self.api.call("setWebhook", url=hook.url, secret_token=hook.secret)
            except ZaloError as error:
                detail = f"{error.code} {error.description}".strip()
                message = self._t()("cli.zalo_webhook_refused", url=hook.url, error=detail)
                raise UserError(message) from None
            return
        log.info("Zalo: polling getUpdates (for trying the bot; set BOT_WEBHOOK_URL in "
                 "production)")  # fmt: skip
        with contextlib.suppress(ZaloError):  # polling only works without a webhook
            await self.api.call("deleteWebhook")
        self._poller = asyncio.create_task(self._poll())

    def invite_link(self, code: str) -> str | None:
        """Zalo has no link that types a code for the user: they send /start CODE."""
        return None

    async def is_chat_admin(self, chat_id: str, user_id: str) -> bool | None:
        """The Zalo Bot API does not say who administers a group."""
        return None

    async def stop(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=10)
        await self.api.close()

    # -- updates in ------------------------------------------------------------------------

    async def _poll(self) -> None:
        failures = 0
        while True:
            try:
                update = await self.api.call(
                    "getUpdates",
                    http_timeout=self.poll_timeout + 10,
                    timeout=str(self.poll_timeout),
                )
            except ZaloError as error:
                if error.code != 408:  # 408: nothing came during the long poll
                    failures += 1
                    await self._back_off(failures, error)
                    continue
                update = None
            except Exception as error:  # a bug must not leave the bot deaf for good
                log.exception("Zalo polling failed")
                failures += 1
                await self._back_off(failures, error)
                continue
            failures = 0
            updates = update if isinstance(update, list) else [update] if update else []
            if not updates:
                await self._sleep(self.idle_gap)
                continue
            for one in updates:
                if isinstance(one, dict):
                    self.take(one)

    async def _back_off(self, failures: int, error: Exception) -> None:
        pause = min(MAX_BACKOFF, self.idle_gap * 2**failures)
        if not (isinstance(error, ZaloError) and self._trouble(error)):
            log.warning("Zalo getUpdates failed (%s); trying again in %.1f s", error, pause)
        await self._sleep(pause)

    def _trouble(self, error: ZaloError) -> bool:
        """Log a refused token (401) or a spent quota (429) once an hour at most, not at
        every call (a storm of refusals is one line); True when the error is one of those."""
        if error.code not in (401, 429):
            return False
        now = time.monotonic()
        last = self._troubles.get(error.code)
        if last is not None and now - last < TROUBLE_LOG_EVERY:
            return True
        self._troubles[error.code] = now
        if error.code == 401:
            log.error("Zalo refuses the bot's token (401 Unauthorized): check ZALO_BOT_TOKEN; "
                      "pushes are retried with back-off, then given up (logged once an hour "
                      "at most)")  # fmt: skip
        else:
            log.warning("Zalo's quota is exceeded (429): pushes wait 30 s, 2 min, 10 min… and "
                        "are given up at the %dth refusal (logged once an hour at most)",
                        len(QUOTA_DELAYS) + 1)  # fmt: skip
        return True

    async def feed(self, body: dict[str, Any]) -> None:
        """A webhook request's body, handled before this returns: the web server answers
        Zalo once the replies are sent, as for Telegram (one chat's updates stay in order
        when the platform waits for the answer, whichever process gets the next)."""
        task = self.take(body)
        if task is not None:
            await asyncio.shield(task)  # a dropped connection must not cancel the handling

    def take(self, body: dict[str, Any]) -> asyncio.Task[None] | None:
        """Handle an update in the background, after earlier updates of the same chat."""
        message = read_update(body)
        if message is None or message.from_bot or self._replayed(message.message_id):
            return None
        task = asyncio.create_task(self._process(message))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _replayed(self, message_id: str) -> bool:
        """Zalo hands updates out again within seconds: those are dropped here, in memory,
        before they cost a transaction. The database (seen_update) still decides for replays
        that come after a restart or to another process."""
        if not message_id:
            return False
        if message_id in self._recent:
            return True
        self._recent[message_id] = None
        if len(self._recent) > RECENT_IDS:
            del self._recent[next(iter(self._recent))]
        return False

    async def _process(self, message: ZaloMessage) -> None:
        async with self._chats.hold(message.chat_id), self._gate:
            try:
                await self._answer(message)
            except Exception:
                log.exception("failed to answer Zalo message %s", message.message_id)

    async def _answer(self, message: ZaloMessage) -> None:
        if message.group and not self.groups:
            await self._no_groups(message)
            return
        if message.text is None:  # an image, a sticker, "unsupported": no text to read
            if not message.group and await self._first_today(message.chat_id, NON_TEXT):
                await self.answer(message.chat_id, [Reply(self._t()("channel.non_text"))])
            return
        incoming = Incoming(
            platform=PLATFORM,
            user_id=message.user_id,
            chat_id=message.chat_id,
            chat_kind="group" if message.group else "private",
            text=strip_mention(message.text, self.names) if message.group else message.text,
            user_name=message.user_name,
            addressed=True,
            update_id=message.message_id or None,
        )
        typing = asyncio.create_task(self._typing_later(message.chat_id))
        try:
            replies = await self.app.router.handle(incoming)
        finally:
            typing.cancel()
        await self.answer(message.chat_id, replies)

    async def _no_groups(self, message: ZaloMessage) -> None:
        """A group message though getMe said the bot cannot join groups: not handled (a
        group the bot cannot serve must not be linked to a unit), logged once, and the
        group told once a day where to write instead."""
        if not self._told_no_groups:
            self._told_no_groups = True
            log.warning("Zalo passed on a message from group %s, but getMe says the bot "
                        "cannot join groups (can_join_groups: false): group messages are "
                        "not handled, and each group is told once a day to write to the "
                        "bot privately (logged once)", message.chat_id)  # fmt: skip
        if await self._first_today(message.chat_id, NO_GROUPS):
            await self.answer(message.chat_id, [Reply(self._t()("zalo.no_groups"))])

    async def _first_today(self, chat_id: str, topic: str) -> bool:
        """Whether the chat is still to be told `topic` today (the bot's time zone)."""
        services = self.app.services
        today = services.clock().astimezone(services.zone).date()
        async with self.app.db.transaction() as session:
            return await notices.first_today_in_chat(session, PLATFORM, chat_id, topic, today)

    async def _typing_later(self, chat_id: str) -> None:
        await asyncio.sleep(TYPING_AFTER)
        with contextlib.suppress(ZaloError):
            await self.api.call("sendChatAction", chat_id=chat_id, action="typing")

    # -- replies out -----------------------------------------------------------------------

    async def answer(self, chat_id: str, replies: list[Reply]) -> None:
        await answer(self, self.app.db, PLATFORM, chat_id, replies)

    async def send(self, chat_id: str, reply: Reply, *, push: bool = False) -> str:
        """One Reply as plain text: options numbered, pieces under 2,000 characters, a file
        as a link (a picture shown by URL). A 429 is waited out here for an answer (a person
        is waiting: RETRY_AFTER, twice) and for a later piece of a push (PIECE_WAITS: sending
        the whole again would repeat the first pieces); on the first piece of a push it is
        raised, and the dispatcher sends the whole later. Zalo's errors come out as delivery
        errors (`_delivery_error`)."""
        sent: Any = None
        try:
            for number, piece in enumerate(await self.render(reply, hint=not push)):
                if number == 0 and push:
                    await self.pacer.wait()
                    sent = await self._call("sendMessage", chat_id=chat_id, text=piece)
                else:
                    waits = PIECE_WAITS if push else (RETRY_AFTER, RETRY_AFTER)
                    sent = await self._send_text(chat_id, piece, waits)
            if reply.file is not None and self._as_photo(reply.file):
                link, _ = await self._link(reply.file)
                photo: dict[str, Any] = {"chat_id": chat_id, "photo": link}
                caption = photo_caption(reply.file.caption)
                if caption:  # Zalo takes a caption of 1 to 2,000 characters, or none
                    photo["caption"] = caption
                await self.pacer.wait()
                sent = await self._call("sendPhoto", **photo)
        except ZaloError as error:
            raise _delivery_error(error) from error
        return str(sent.get("message_id") or "") if isinstance(sent, dict) else ""

    async def _call(self, method: str, **params: Any) -> Any:
        """A send, whose refused token or spent quota is logged once (`_trouble`)."""
        try:
            return await self.api.call(method, **params)
        except ZaloError as error:
            self._trouble(error)
            raise

    async def _send_text(self, chat_id: str, text: str, waits: tuple[float, ...]) -> Any:
        """sendMessage, waiting out a 429 (Zalo's retry_after if it ever gives one, else the
        next of `waits`) rather than losing a piece; raised after the last wait."""
        for attempt in range(len(waits) + 1):
            await self.pacer.wait()
            try:
                return await self._call("sendMessage", chat_id=chat_id, text=text)
            except ZaloError as error:
                if error.code != 429 or attempt == len(waits):
                    raise
                await self._sleep(error.retry_after or waits[attempt])
        return None

    async def render(self, reply: Reply, *, hint: bool = True) -> list[str]:
        """The reply as plain-text messages under Zalo's 2,000 characters; `hint` adds the line
        that says to answer by number (an answer has it; a push, short, does without)."""
        t = self._t()
        parts = [to_plain(reply.text).strip()]
        if reply.options:
            lines = numbered(o.label for o in reply.options)
            hints = [to_plain(t("zalo.answer_by_number"))] if hint else []
            parts.append("\n".join([*lines, *hints]))
        if reply.file is not None and reply.file.kind != "photo":
            parts.append(await self._file_note(reply.file, t))
        # A picture goes by sendPhoto when the bot has a public address; without one it is
        # left out: the text beside it (the figures of /thongke) says what it shows.
        text = "\n\n".join(p for p in parts if p)
        return split_text(text, MAX_TEXT) if text else []

    def _as_photo(self, file: Attachment) -> bool:
        """A picture is shown in the chat (sendPhoto by URL) rather than offered as a link."""
        return file.kind == "photo" and self.public_url is not None

    async def _file_note(self, file: Attachment, t: Translate) -> str:
        size = _size(len(file.data))
        if self.public_url is None:
            return to_plain(t("zalo.file_no_link", name=file.filename, size=size))
        link, expires = await self._link(file)
        until = format_datetime(expires.astimezone(self.app.services.zone))
        return to_plain(t("zalo.file_link", name=file.filename, size=size, link=link, until=until))

    async def _link(self, file: Attachment) -> tuple[str, datetime]:
        """Keep the file for DOWNLOAD_LIFETIME: its URL and until when it works."""
        expires = self.app.services.clock() + DOWNLOAD_LIFETIME
        async with self.app.db.transaction() as session:
            kept = await downloads.keep(session, file.filename, file.data, expires_at=expires)
        return f"{self.public_url}/files/{kept.token}/{quote(file.filename)}", expires

    def _t(self) -> Translate:
        services = self.app.services
        return services.catalog.translator(services.default_language)


def _delivery_error(error: ZaloError) -> Exception:
    """What the dispatcher should do about a Zalo error, by the reference's error table
    ("Bảng mã lỗi"), which is not Telegram's:

    | code | Zalo says                                   | outcome                            |
    |------|---------------------------------------------|------------------------------------|
    | 400  | bad request: wrong path or method name      | Permanent: the same fails again    |
    | 401  | unauthorized: the token expired or is wrong | Transient (logged once): retried   |
    |      |                                             | with back-off until it is fixed,   |
    |      |                                             | then given up                      |
    | 403  | internal server error (not "forbidden")     | Transient                          |
    | 404  | not found: the request reaches nothing      | ChatGone: the chat or user sent to |
    | 408  | request timeout                             | Transient                          |
    | 429  | quota exceeded (no retry_after)             | QuotaExceeded: QUOTA_DELAYS, then  |
    |      |                                             | a dead letter                      |
    | 0    | no answer (network)                         | Transient                          |

    Codes the table does not have (5xx from a proxy) are Transient."""
    if error.code == 429:
        if error.retry_after:  # not in Zalo's reference; honoured should it ever come
            return RetryLater(error.retry_after)
        return QuotaExceeded(str(error), QUOTA_DELAYS)
    if error.code == 404:
        return ChatGone(str(error))
    if error.code == 400:
        return Permanent(str(error))
    return Transient(str(error))


def photo_caption(caption: str) -> str:
    """A picture's caption as Zalo takes it: plain text of 1 to 2,000 characters, clipped
    with "…" when longer; "" for none (then no caption is sent: an empty one is refused)."""
    text = to_plain(caption).strip() if caption else ""
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1].rstrip() + "…"
    return text


def _size(length: int) -> str:
    return f"{length / 1024:,.0f} KB" if length >= 1024 else f"{length} B"
