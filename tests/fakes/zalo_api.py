"""A fake Zalo Bot API server on loopback, for end-to-end tests of the real Zalo channel.

It follows the published reference of the Zalo Bot Platform (bot.zaloplatforms.com/docs; the
copy read: github.com/lamdt1/ckvn-bot, docs/zalo-bot-doc.md), section by section:

- "Định dạng URL" and "Phản hồi từ API": `POST /bot<token>/<method>` with a JSON body;
  answers `{"ok": true, "result": …}` or `{"ok": false, "error_code": …, "description": …}`.
  By default the HTTP status is the error code; `errors_in_body` answers HTTP 200 with the
  error only in the body (the reference says only that the answer is always a JSON object).
- getMe: the reference's sample, `{"id", "account_name", "account_type": "BASIC",
  "can_join_groups": false}`; `display_name` only when a test sets one (the sample has none),
  `can_join_groups` true only when a test says so.
- getUpdates: one update per call, error 408 after the long-poll timeout when there is none,
  no offset; told to, it hands an update out twice. An update is the Webhook section's
  sample, `{"event_name", "message": {"from": {"id", "display_name", "is_bot"}, "chat":
  {"id", "chat_type": "PRIVATE" | "GROUP"}, "text", "message_id", "date"}}`; a test may leave
  `event_name` out, or the text (an image, a sticker).
- setWebhook: an HTTPS url and a secret_token of 8 to 256 characters, else 400.
- sendMessage: text of 1 to 2,000 characters; sendPhoto: a photo URL, a caption of 1 to 2,000
  characters when given (an empty one is refused).
- "Bảng mã lỗi", the error table, with its descriptions: 400 bad request (a wrong path or
  method name), 401 unauthorized (a wrong token), 403 internal server error, 404 not found,
  408 request timeout, 429 quota exceeded, with no retry_after (a test may still add one).
  Chats the bot cannot reach (`gone_chats`) answer 404.

Tests push updates, read every call the bot made, and queue errors. The standard library's
threaded HTTP server runs it.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.loopback import LoopbackServer

BOT_ID = "2938000111222333444"
MAX_TEXT = 2000


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    """time.monotonic() when the call arrived."""
    answered_at: float = 0.0
    empty: bool = False
    """getUpdates only: the call returned no update (408)."""


class FakeZalo(LoopbackServer):
    def __init__(self, token: str = "1234567890:zalo-TEST-token") -> None:
        self.token = token
        self.account_name = "bot.thidua"
        self.display_name: str | None = None
        """getMe's display_name: not in the reference's sample, so none unless a test sets it."""
        self.can_join_groups = False
        """getMe's can_join_groups: false in the reference (groups are "coming soon")."""
        self.errors_in_body = False
        """Answer errors with HTTP 200 and the code only in the body."""
        self.calls: list[Call] = []
        self.polls: list[Call] = []
        self.updates: deque[dict[str, Any]] = deque()
        self.replay_all = False
        """Hand every update out twice, as Zalo sometimes does."""
        self.poll_wait = 0.3
        """How long an empty getUpdates is held open (Zalo: the timeout asked, up to ~30 s)."""
        self.failures: dict[str, list[list[Any]]] = {}
        """method → queue of [code, description, parameters, chat or None, calls to let by]."""
        self.gone_chats: set[str] = set()
        """Chats the bot cannot reach (a user who blocked it, a group it left): sends answer
        404, "not found"."""
        self.webhook: dict[str, Any] | None = None
        self._message_ids = itertools.count(1)
        self._sent_ids = itertools.count(90000)
        self._lock = threading.Condition()

    # -- running -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self.origin

    # -- what tests do ---------------------------------------------------------------------------

    def update(
        self,
        user_id: str,
        text: str | None,
        *,
        chat_id: str | None = None,
        group: bool = False,
        name: str = "",
        event: str | None = "message.text.received",
        message_id: str | None = None,
    ) -> dict[str, Any]:
        """An update as the reference shapes it (not queued); `event=None` leaves event_name
        out, `text=None` the text."""
        message: dict[str, Any] = {
            "message_id": message_id or f"m{next(self._message_ids):06d}",
            "date": int(time.time() * 1000),
            "from": {"id": user_id, "display_name": name or f"User {user_id}", "is_bot": False},
            "chat": {"id": chat_id or user_id, "chat_type": "GROUP" if group else "PRIVATE"},
        }
        if text is not None:
            message["text"] = text
        return {"message": message} if event is None else {"event_name": event, "message": message}

    def push(self, update: dict[str, Any]) -> str:
        with self._lock:
            self.updates.append(update)
            if self.replay_all:
                self.updates.append(json.loads(json.dumps(update)))
            self._lock.notify_all()
        return str(update["message"]["message_id"])

    def message(self, user_id: str, text: str | None, **kwargs: Any) -> str:
        """A user sends a message; its message id."""
        return self.push(self.update(user_id, text, **kwargs))

    def fail(
        self,
        method: str,
        code: int,
        description: str = "",
        chat: str | None = None,
        after: int = 0,
        **params: Any,
    ) -> None:
        """Answer a call of `method` (into `chat`, if given) with ok=false and this code (429
        takes no retry_after in Zalo's reference; a test may add one): the next one, or the
        one after `after` calls that succeed. The description is the reference's for the
        code unless given."""
        self.failures.setdefault(method, []).append([code, description, params, chat, after])

    def sent(self, chat_id: str | None = None, method: str = "sendMessage") -> list[Call]:
        with self._lock:
            return [
                c for c in self.calls
                if c.method == method and (chat_id is None or str(c.params.get("chat_id")) == chat_id)
            ]  # fmt: skip

    def texts(self, chat_id: str) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.sent(chat_id) if "_ok" in c.params]

    async def wait_sent(self, chat_id: str, count: int, timeout: float = 15.0) -> list[str]:
        await self.wait_for(lambda: len(self.texts(chat_id)) >= count, timeout)
        return self.texts(chat_id)

    async def say(self, user_id: str, text: str, **kwargs: Any) -> str:
        """Send a private message and wait for the bot's next message to that person."""
        before = len(self.texts(user_id))
        self.message(user_id, text, **kwargs)
        return (await self.wait_sent(user_id, before + 1))[before]

    async def drained(self, timeout: float = 15.0) -> None:
        """Every queued update has been handed out."""
        await self.wait_for(lambda: not self.updates, timeout)

    # -- the server side -------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path.split("?", 1)[0]
        prefix = f"/bot{self.token}/"
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        if not path.startswith(prefix):
            self._reply(request, *self._refuse(401, DESCRIPTIONS[401]))
            return
        method = path[len(prefix) :]
        try:
            params = json.loads(raw) if raw else {}
        except ValueError:
            self._reply(request, *self._refuse(400, "Bad request: the body is not JSON"))
            return
        call = Call(method, params, time.monotonic())
        with self._lock:
            (self.polls if method == "getUpdates" else self.calls).append(call)
        failure = self._failure(method, params)
        if failure is not None:
            status, body = failure
            call.answered_at = time.monotonic()
            self._reply(request, *self._refuse(status, body=body))
            return
        status, body = self._answer(method, params, call)
        call.answered_at = time.monotonic()
        if body.get("ok"):
            params["_ok"] = True
            self._reply(request, status, body)
        else:
            self._reply(request, *self._refuse(status, body=body))

    def _refuse(
        self, code: int, description: str = "", body: dict[str, Any] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """An error answer: the HTTP status is the code, or 200 with `errors_in_body`."""
        body = body if body is not None else _error(code, description)
        return (200 if self.errors_in_body or code < 400 else code), body

    def _failure(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        target = str(params.get("chat_id")) if params.get("chat_id") is not None else None
        with self._lock:
            queue = self.failures.get(method) or []
            match = next((f for f in queue if f[3] is None or f[3] == target), None)
            if match is not None and match[4] > 0:
                match[4] -= 1  # let this call by
                match = None
            if match is not None:
                queue.remove(match)
                code, description, extra, _, _ = match
                body = _error(code, description or DESCRIPTIONS.get(code, "Error"))
                if extra:
                    body["parameters"] = extra
                return code, body
        if method.startswith("send") and target in self.gone_chats:
            return 404, _error(404, DESCRIPTIONS[404])
        return None

    def _answer(
        self, method: str, params: dict[str, Any], call: Call
    ) -> tuple[int, dict[str, Any]]:
        if method == "getMe":
            me: dict[str, Any] = {"id": BOT_ID, "account_name": self.account_name,
                                  "account_type": "BASIC",
                                  "can_join_groups": self.can_join_groups}  # fmt: skip
            if self.display_name is not None:
                me["display_name"] = self.display_name
            return 200, {"ok": True, "result": me}
        if method == "getUpdates":
            wait = min(float(params.get("timeout") or 0), self.poll_wait)
            with self._lock:
                self._lock.wait_for(lambda: bool(self.updates), timeout=wait)
                if not self.updates:
                    call.empty = True
                    return 408, _error(408, DESCRIPTIONS[408])
                return 200, {"ok": True, "result": self.updates.popleft()}
        if method == "setWebhook":
            url, secret = str(params.get("url") or ""), str(params.get("secret_token") or "")
            if not url.startswith("https://") or not 8 <= len(secret) <= 256:
                return 400, _error(400, "Bad request: an HTTPS url and a secret_token of 8 to "
                                   "256 characters are required")  # fmt: skip
            self.webhook = {"url": params["url"], "secret_token": params["secret_token"]}
            return 200, {"ok": True, "result": {"url": params["url"], "updated_at": 0}}
        if method == "deleteWebhook":
            self.webhook = None
            return 200, {"ok": True, "result": {"url": "", "updated_at": 0}}
        if method == "getWebhookInfo":
            return 200, {"ok": True, "result": {"url": (self.webhook or {}).get("url", "")}}
        if method in ("sendMessage", "sendPhoto", "sendSticker", "sendChatAction"):
            if not params.get("chat_id"):
                return 400, _error(400, "Bad request: chat_id is required")
            refused = _refused_text(method, params)
            if refused:
                return 400, _error(400, f"Bad request: {refused}")
            if method == "sendChatAction":
                return 200, {"ok": True}
            result = {"message_id": f"s{next(self._sent_ids)}", "date": int(time.time() * 1000)}
            return 200, {"ok": True, "result": result}
        return 400, _error(400, f"Bad request: no method {method}")


def _refused_text(method: str, params: dict[str, Any]) -> str:
    """Why the reference refuses a send's text, photo or caption; "" when it takes it."""
    if method == "sendMessage":
        return _length("text", params.get("text"))
    if method == "sendPhoto":
        if not isinstance(params.get("photo"), str) or not params["photo"]:
            return "photo is required"
        return _length("caption", params["caption"]) if "caption" in params else ""
    return ""


def _length(field: str, value: Any) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_TEXT:
        return f"{field} must be 1 to {MAX_TEXT} characters"
    return ""


DESCRIPTIONS = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Internal server error",
    404: "Not found",
    408: "Request timeout",
    429: "Quota exceeded",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
"""The reference's error table ("Bảng mã lỗi"); 500 and 502 as a proxy in front might say."""


def _error(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}
