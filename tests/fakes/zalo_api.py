"""A fake Zalo Bot API server on loopback, for end-to-end tests of the real Zalo channel.

It speaks the Zalo Bot API's protocol as its documentation describes it: `POST
/bot<token>/<method>` with a JSON body, answers `{"ok": true, "result": …}` or `{"ok": false,
"error_code": …, "description": …}`. Its getUpdates behaves as Zalo's does: one update per call,
error 408 after the long-poll timeout when there is none, no offset; told to, it hands an
update out twice. sendMessage refuses texts over 2,000 characters. Tests push updates, read
every call the bot made, and queue errors. The standard library's threaded HTTP server runs it.
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
    def __init__(
        self, token: str = "1234567890:zalo-TEST-token", name: str = "Bot Thi Đua"
    ) -> None:
        self.token = token
        self.name = name
        self.account_name = "bot.thidua"
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
        """Chats the bot was removed from or blocked in: sends answer 403."""
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
        event: str = "message.text.received",
        message_id: str | None = None,
    ) -> dict[str, Any]:
        """An update as Zalo shapes it (not queued)."""
        message: dict[str, Any] = {
            "message_id": message_id or f"m{next(self._message_ids):06d}",
            "date": int(time.time() * 1000),
            "from": {"id": user_id, "display_name": name or f"User {user_id}", "is_bot": False},
            "chat": {"id": chat_id or user_id, "chat_type": "GROUP" if group else "PRIVATE"},
        }
        if text is not None:
            message["text"] = text
        return {"event_name": event, "message": message}

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
        may take retry_after=…): the next one, or the one after `after` calls that succeed."""
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
            self._reply(request, 401, _error(401, "Unauthorized"))
            return
        method = path[len(prefix) :]
        try:
            params = json.loads(raw) if raw else {}
        except ValueError:
            self._reply(request, 400, _error(400, "Bad Request: body is not JSON"))
            return
        call = Call(method, params, time.monotonic())
        with self._lock:
            (self.polls if method == "getUpdates" else self.calls).append(call)
        failure = self._failure(method, params)
        if failure is not None:
            status, body = failure
            call.answered_at = time.monotonic()
            self._reply(request, status, body)
            return
        status, body = self._answer(method, params, call)
        call.answered_at = time.monotonic()
        if body.get("ok"):
            params["_ok"] = True
        self._reply(request, status, body)

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
                body = _error(code, description or _DESCRIPTIONS.get(code, "Error"))
                if extra:
                    body["parameters"] = extra
                return (code if code >= 400 else 200), body
        if method.startswith("send") and target in self.gone_chats:
            return 403, _error(403, "Forbidden: the bot is not a member of this chat")
        return None

    def _answer(
        self, method: str, params: dict[str, Any], call: Call
    ) -> tuple[int, dict[str, Any]]:
        if method == "getMe":
            me = {"id": BOT_ID, "account_name": self.account_name, "account_type": "BASIC",
                  "can_join_groups": True, "display_name": self.name}  # fmt: skip
            return 200, {"ok": True, "result": me}
        if method == "getUpdates":
            wait = min(float(params.get("timeout") or 0), self.poll_wait)
            with self._lock:
                self._lock.wait_for(lambda: bool(self.updates), timeout=wait)
                if not self.updates:
                    call.empty = True
                    return 408, _error(408, "Request timeout")
                return 200, {"ok": True, "result": self.updates.popleft()}
        if method == "setWebhook":
            if not params.get("url") or not params.get("secret_token"):
                return 400, _error(400, "Bad Request: url and secret_token are required")
            self.webhook = {"url": params["url"], "secret_token": params["secret_token"]}
            return 200, {"ok": True, "result": {"url": params["url"], "updated_at": 0}}
        if method == "deleteWebhook":
            self.webhook = None
            return 200, {"ok": True, "result": {"url": "", "updated_at": 0}}
        if method == "getWebhookInfo":
            return 200, {"ok": True, "result": {"url": (self.webhook or {}).get("url", "")}}
        if method in ("sendMessage", "sendPhoto", "sendSticker", "sendChatAction"):
            if not params.get("chat_id"):
                return 400, _error(400, "Bad Request: chat_id is required")
            text = params.get("text")
            if method == "sendMessage" and (not isinstance(text, str) or not text):
                return 400, _error(400, "Bad Request: text is empty")
            if method == "sendMessage" and isinstance(text, str) and len(text) > MAX_TEXT:
                return 400, _error(400, f"Bad Request: text is longer than {MAX_TEXT} characters")
            if method == "sendChatAction":
                return 200, {"ok": True, "result": True}
            result = {"message_id": f"s{next(self._sent_ids)}", "date": int(time.time() * 1000)}
            return 200, {"ok": True, "result": result}
        return 404, _error(404, f"Not Found: method {method}")


_DESCRIPTIONS = {
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


def _error(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}
