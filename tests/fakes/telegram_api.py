"""A fake Telegram Bot API server on loopback, for end-to-end tests of the real Application.

It speaks the Bot API's HTTP protocol (`POST /bot<token>/<method>`, form or multipart fields
whose values are JSON, answers `{"ok": …, "result": …}`), keeps a queue of updates that tests
push, records every call the bot makes, and can be told to answer 429 with retry_after or 403.
The standard library's threaded HTTP server runs it, so it needs nothing beyond Python.

What it says follows the published reference, https://core.telegram.org/bots/api, in these
sections (a shape the bot never sees is left out, never invented):

- "Making requests": the `{"ok", "result"}` / `{"ok": false, "error_code", "description",
  "parameters"}` envelope; "ResponseParameters": `retry_after` on 429 and
  `migrate_to_chat_id` on the 400 a group upgraded to a supergroup answers (`fail`; the
  descriptions are the texts Telegram's servers send, e.g. "Bad Request: group chat was
  upgraded to a supergroup chat").
- "getUpdates" and "setWebhook": `allowed_updates` is recorded (`allowed_updates`, `allowed`)
  and obeyed as documented: an empty list or none at all means every type except
  chat_member, message_reaction and message_reaction_count; a call without it keeps the
  previous setting; and "this parameter doesn't affect updates created before the call", so
  an update pushed before the bot asked keeps being delivered whatever its type.
- "Update": `message`, `edited_message` (`edit`), `callback_query` (`press`),
  `my_chat_member` (`membership`).
- "Message" and "Chat": in a forum supergroup (`Chat.is_forum`), a message written in a topic
  has `message_thread_id` and `is_topic_message` (`message(..., thread=…)`); one in the General
  topic has neither. "sendMessage": `message_thread_id` targets a topic of a forum; the message
  sent is in that topic. A topic that does not exist (never declared with `forum`, or deleted
  with `delete_topic`) is refused with 400 "Bad Request: message thread not found", the text
  Telegram's servers answer (tdlib/telegram-bot-api issues 472 and 854).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs

from tests.fakes.loopback import LoopbackServer

BOT_ID = 777000111
USER_FIELDS = {"is_bot": False, "language_code": "vi"}
NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
"""Update types not delivered unless asked for by name ("getUpdates", allowed_updates)."""
DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"
THREAD_NOT_FOUND = "Bad Request: message thread not found"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)
    """When the request arrived (time.monotonic()): benchmarks measure reply times with it."""


class FakeTelegram(LoopbackServer):
    def __init__(self, token: str = "123456:TEST-TOKEN", username: str = "thidua_test_bot") -> None:
        self.token = token
        self.username = username
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.failures: dict[str, list[tuple[int, dict[str, Any], int | None, str]]] = {}
        """method → queue of (status, parameters, chat or None for any, description) to answer
        instead."""
        self.allowed: list[tuple[str, list[str]]] = []
        """(method, allowed_updates) of every getUpdates or setWebhook call that named them."""
        self._allowed: frozenset[str] | None = None
        self._allowed_since = 0
        """Updates pushed from this index on obey `_allowed`; earlier ones are delivered."""
        self.forums: dict[int, set[int]] = {}
        """Forum supergroups (`forum`): chat id → the ids of its topics that exist."""
        self.forbidden_chats: set[int] = set()
        self.chat_admins: dict[int, set[int]] = {}
        self.poll_wait = 0.5
        self.send_delay = 0.0
        """Seconds each send takes to answer (after it is recorded as delivered)."""
        self.hold_after: int | None = None
        """When set, sends after this many are held unanswered (and not delivered) until
        `release()`: a test can kill a dispatcher with requests surely in flight."""
        self.held = 0
        self._arrived_sends = 0
        self._released = threading.Event()
        self.limit_scale = 0.0
        """When set, Telegram's flood limits are enforced with time running this much faster:
        30 messages per second overall, 20 per minute into a group, 1 per second into a private
        chat; a send over a limit gets 429 retry_after=1."""
        self.too_many: list[float] = []
        """When each 429 was answered (time.monotonic())."""
        self._recent: list[tuple[float, int]] = []
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(5000)
        self._lock = threading.Condition()

    # -- running -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"{self.origin}/bot"

    # -- what tests do ---------------------------------------------------------------------------

    @property
    def allowed_updates(self) -> list[str] | None:
        """The update types the bot last asked for (None: it never named any)."""
        with self._lock:
            return sorted(self._allowed) if self._allowed is not None else None

    def forum(self, chat_id: int, *topics: int) -> None:
        """Make `chat_id` a forum supergroup with these topics (message_thread_id values)."""
        with self._lock:
            self.forums.setdefault(chat_id, set()).update(topics)

    def delete_topic(self, chat_id: int, topic: int) -> None:
        """An admin deleted the topic: sends into it are refused from now on."""
        with self._lock:
            self.forums.get(chat_id, set()).discard(topic)

    def push(self, update: dict[str, Any]) -> int:
        with self._lock:
            update.setdefault("update_id", next(self._ids))
            self.updates.append(update)
            self._lock.notify_all()
            return int(update["update_id"])

    def user(self, user_id: int, name: str = "") -> dict[str, Any]:
        return {"id": user_id, "first_name": name or f"User {user_id}", **USER_FIELDS}

    def chat(self, chat_id: int, kind: str = "private", title: str = "") -> dict[str, Any]:
        if kind == "private":
            return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
        if chat_id in self.forums:
            return {"id": chat_id, "type": "supergroup", "title": title or f"Forum {chat_id}",
                    "is_forum": True}  # fmt: skip
        return {"id": chat_id, "type": kind, "title": title or f"Group {chat_id}"}

    def message(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        kind: str = "private",
        name: str = "",
        reply_to_bot: bool = False,
        update_id: int | None = None,
        thread: int | None = None,
        **extra: Any,
    ) -> int:
        """A user writes `text` (with `thread`: in that topic of a forum, see `forum`)."""
        message = self._message(user_id, text, chat_id, kind, name, reply_to_bot, thread, extra)
        update: dict[str, Any] = {"message": message}
        if update_id is not None:
            update["update_id"] = update_id
        return self.push(update)

    def edit(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        kind: str = "private",
        message_id: int | None = None,
        thread: int | None = None,
    ) -> int:
        """The user edits a message they wrote: an `edited_message` update, the message as it
        reads now with its `edit_date`."""
        message = self._message(user_id, text, chat_id, kind, "", False, thread, {})
        if message_id is not None:
            message["message_id"] = message_id
        message["edit_date"] = message["date"] + 1
        return self.push({"edited_message": message})

    def _message(
        self,
        user_id: int,
        text: str,
        chat_id: int | None,
        kind: str,
        name: str,
        reply_to_bot: bool,
        thread: int | None,
        extra: dict[str, Any],
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(chat_id or user_id, kind),
            "from": self.user(user_id, name),
            **extra,
        }
        if thread is not None:
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
        if text:
            message["text"] = text
            if text.startswith("/"):
                length = len(text.split(" ", 1)[0])
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if reply_to_bot:
            message["reply_to_message"] = {
                "message_id": 1,
                "date": int(time.time()),
                "chat": message["chat"],
                "from": {
                    "id": BOT_ID,
                    "is_bot": True,
                    "first_name": "Bot",
                    "username": self.username,
                },
                "text": "…",
            }
        return message

    def press(self, user_id: int, sent: Call, data: str) -> int:
        """The user presses the button with callback `data` under a message the bot sent."""
        result = sent.params["_result"]
        return self.push(
            {
                "callback_query": {
                    "id": str(next(self._ids) * 1000),
                    "from": self.user(user_id),
                    "chat_instance": "ci",
                    "data": data,
                    "message": result,
                }
            }
        )

    def membership(
        self, chat_id: int, by_user: int, old: str, new: str, kind: str = "group"
    ) -> int:
        bot = {"id": BOT_ID, "is_bot": True, "first_name": "Bot", "username": self.username}
        return self.push(
            {
                "my_chat_member": {
                    "chat": self.chat(chat_id, kind),
                    "from": self.user(by_user),
                    "date": int(time.time()),
                    "old_chat_member": {"status": old, "user": bot},
                    "new_chat_member": {
                        "status": new,
                        "user": bot,
                        **({"until_date": 0} if new == "kicked" else {}),
                    },
                }
            }
        )

    def fail(
        self,
        method: str,
        status: int,
        chat: int | None = None,
        *,
        description: str | None = None,
        **parameters: Any,
    ) -> None:
        """Answer the next call of `method` (into `chat`, if given) with this error: its
        `parameters` are ResponseParameters (429 takes retry_after=…, 400 may take
        migrate_to_chat_id=…), its description Telegram's text for the status unless given."""
        if description is None:
            if "migrate_to_chat_id" in parameters:
                description = MIGRATED
            else:
                text = DESCRIPTIONS.get(status, "Bad Request")
                description = text.format(retry_after=parameters.get("retry_after", 1))
        with self._lock:
            self.failures.setdefault(method, []).append((status, parameters, chat, description))

    def sent(self, chat_id: int | None = None, method: str = "sendMessage") -> list[Call]:
        with self._lock:
            return [
                c for c in self.calls
                if c.method == method and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)
            ]  # fmt: skip

    def texts(self, chat_id: int) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.sent(chat_id)]

    async def wait_sent(self, chat_id: int, count: int, timeout: float = 15.0) -> list[str]:
        await self.wait_for(lambda: len(self.sent(chat_id)) >= count, timeout)
        return self.texts(chat_id)

    async def say(self, user_id: int, text: str, **kwargs: Any) -> str:
        """Send a message (privately, or into `chat_id=`) and wait for the bot's next message
        in that chat: the answer, when nothing else is on its way there."""
        chat = int(kwargs.get("chat_id") or user_id)
        before = len(self.sent(chat))
        self.message(user_id, text, **kwargs)
        return (await self.wait_sent(chat, before + 1))[before]

    async def drained(self, timeout: float = 15.0) -> None:
        """Every pushed update has been fetched and acknowledged by the bot."""

        def empty() -> bool:
            with self._lock:
                return not self._pending(self._offset)

        await self.wait_for(empty, timeout)

    # -- the server side -------------------------------------------------------------------------

    _offset = 0

    def wait_held(self, count: int, timeout: float = 60) -> bool:
        """Wait until `count` sends are held (hold_after); the timeout only ends a broken test."""
        with self._lock:
            return self._lock.wait_for(lambda: self.held >= count, timeout=timeout)

    def release(self) -> None:
        self._released.set()

    def _hold(self) -> bool:
        with self._lock:
            self._arrived_sends += 1
            if self.hold_after is None or self._arrived_sends <= self.hold_after:
                return False
            self.held += 1
            self._lock.notify_all()
        self._released.wait()
        return True

    def _pending(self, offset: int) -> list[dict[str, Any]]:
        """Called under the lock: the updates from `offset` on that the bot asked for."""
        allowed, since = self._allowed, self._allowed_since
        return [
            u for index, u in enumerate(self.updates)
            if u["update_id"] >= offset and self._wanted(u, allowed if index >= since else None)
        ]  # fmt: skip

    @staticmethod
    def _wanted(update: dict[str, Any], allowed: frozenset[str] | None) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        return kind in allowed if allowed else kind not in NOT_BY_DEFAULT

    def _ask_for(self, method: str, params: dict[str, Any]) -> None:
        """getUpdates / setWebhook with `allowed_updates`: the types from now on."""
        if "allowed_updates" not in params:
            return  # "If not specified, the previous setting will be used."
        asked = [str(kind) for kind in params["allowed_updates"] or []]
        with self._lock:
            self.allowed.append((method, asked))
            wanted = frozenset(asked)
            if wanted != self._allowed:
                self._allowed, self._allowed_since = wanted, len(self.updates)

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path.split("?", 1)[0]
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            self._reply(
                request, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            )
            return
        method = path[len(prefix) :]
        params, files = self._read(request)
        if method.startswith("send") and self._hold():
            return  # never answered nor delivered: the client died waiting (see hold_after)
        call = Call(method, params, files)
        if method in ("getUpdates", "setWebhook"):
            self._ask_for(method, params)
        if method != "getUpdates":
            with self._lock:
                self.calls.append(call)
        failure = self._failure(method, params)
        if failure is not None:
            status, body = failure
            self._reply(request, status, body)
            return
        result = self._result(method, params, files)
        call.params["_result"] = result
        if self.send_delay and method.startswith("send"):
            time.sleep(self.send_delay)
        self._reply(request, 200, {"ok": True, "result": result})

    def _failure(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        target = params.get("chat_id")
        with self._lock:
            queue = self.failures.get(method) or []
            match = next(
                (f for f in queue if f[2] is None or (target is not None and int(target) == f[2])),
                None,
            )
            if match is not None:
                queue.remove(match)
                status, parameters, _, description = match
                body: dict[str, Any] = {
                    "ok": False,
                    "error_code": status,
                    "description": description,
                }
                if parameters:
                    body["parameters"] = parameters
                return status, body
        refused = self._no_such_topic(method, params)
        if refused is not None:
            return refused
        chat = params.get("chat_id")
        if self.limit_scale and method == "sendMessage" and chat is not None:
            with self._lock:
                refused = self._over_limit(int(chat))
            if refused is not None:
                return refused
        if method.startswith("send") and chat is not None and int(chat) in self.forbidden_chats:
            return 403, {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            }
        return None

    def _no_such_topic(
        self, method: str, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]] | None:
        """A send into a topic that does not exist (or into a chat that has no topics)."""
        thread = params.get("message_thread_id")
        if not method.startswith("send") or thread is None:
            return None
        with self._lock:
            topics = self.forums.get(int(params.get("chat_id") or 0), set())
            if int(thread) in topics:
                return None
        return 400, {"ok": False, "error_code": 400, "description": THREAD_NOT_FOUND}

    def _over_limit(self, chat: int) -> tuple[int, dict[str, Any]] | None:
        """Called under the lock: a 429 when this send would break a flood limit."""
        now = time.monotonic()
        scale = self.limit_scale
        self._recent = [(t, c) for t, c in self._recent if now - t < 60 / scale]
        overall = sum(1 for t, _ in self._recent if now - t < 1 / scale)
        here = [t for t, c in self._recent if c == chat]
        group_full = chat < 0 and len(here) >= 20
        private_full = chat > 0 and any(now - t < 1 / scale for t in here)
        if overall >= 30 or group_full or private_full:
            self.too_many.append(now)
            body = {"ok": False, "error_code": 429, "description": "Too Many Requests",
                    "parameters": {"retry_after": 1}}  # fmt: skip
            return 429, body
        self._recent.append((now, chat))
        return None

    def _result(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Thi đua",
                "username": self.username,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            wait = min(float(params.get("timeout") or 0), self.poll_wait)
            with self._lock:
                if offset:
                    self._offset = max(self._offset, offset)
                self._lock.wait_for(lambda: bool(self._pending(offset)), timeout=wait)
                return self._pending(offset)[:100]
        if method in ("sendMessage", "sendDocument", "sendPhoto"):
            chat_id = int(params.get("chat_id") or 0)
            message: dict[str, Any] = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": self.chat(chat_id, "private" if chat_id > 0 else "group"),
                "from": {
                    "id": BOT_ID,
                    "is_bot": True,
                    "first_name": "Bot",
                    "username": self.username,
                },
            }
            if method == "sendMessage":
                message["text"] = params.get("text", "")
            elif method == "sendDocument":
                message["document"] = {
                    "file_id": "doc",
                    "file_unique_id": "doc",
                    "file_name": next(iter(files), "file"),
                }
            else:
                message["photo"] = [
                    {"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}
                ]
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            if params.get("message_thread_id") is not None:
                message["message_thread_id"] = int(params["message_thread_id"])
                message["is_topic_message"] = True
            return message
        if method in ("editMessageText", "editMessageReplyMarkup"):
            return True
        if method == "getChatMember":
            chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
            status = (
                "administrator" if user_id in self.chat_admins.get(chat_id, set()) else "member"
            )
            user = self.user(user_id)
            if status == "administrator":
                return {
                    "status": status,
                    "user": user,
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                }
            return {"status": status, "user": user}
        return True  # answerCallbackQuery, sendChatAction, setMyCommands, deleteWebhook, …

    def _read(self, request: BaseHTTPRequestHandler) -> tuple[dict[str, Any], dict[str, bytes]]:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        kind = request.headers.get("Content-Type", "")
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        if kind.startswith("multipart/form-data"):
            message = BytesParser(policy=email_policy).parsebytes(
                f"Content-Type: {kind}\r\n\r\n".encode() + body
            )
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                filename = part.get_filename()
                raw = part.get_payload(decode=True)
                payload = raw if isinstance(raw, bytes) else b""
                if filename:
                    files[filename] = payload
                    params[str(name)] = f"attach://{filename}"
                else:
                    params[str(name)] = _value(str(name), payload.decode())
        elif body:
            for key, values in parse_qs(body.decode(), keep_blank_values=True).items():
                params[key] = _value(key, values[-1])
        return params, files


RAW_FIELDS = {"text", "caption", "parse_mode", "callback_query_id", "language_code", "action",
              "secret_token", "url", "description", "filename"}  # fmt: skip
"""PTB sends strings as they are and everything else JSON-encoded."""


def _value(key: str, text: str) -> Any:
    if key in RAW_FIELDS:
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text
