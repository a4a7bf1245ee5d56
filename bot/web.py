"""One small HTTP server for everything that reaches the bot from outside: the Telegram and Zalo
webhooks, and the files users download (Zalo takes files only by link).

One server on BOT_LISTEN rather than one per platform: a department opens one port behind its
reverse proxy. Tornado serves it because python-telegram-bot's webhook extra already brings it.
Webhook requests are checked against the secret in constant time; the update is handed to its
channel and answered once the channel has handled it (its replies sent): the platforms send a
chat's next update only after that answer, so one chat's updates stay in order even when a
reverse proxy spreads them over several processes (docs/architecture.md, "Several
processes"). A slow answer holds back only its own chat. What is not an update gets
a short 4xx answer, never a traceback: a 403 for a wrong secret (warned about at most once a
minute, the rest counted: a scan must not flood the log), 415 for a body that is not JSON, 400
for JSON that is not an update.
"""

from __future__ import annotations

import hmac
import json
import logging
import mimetypes
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from storage import downloads
from storage.db import Database

log = logging.getLogger(__name__)

EXPIRED = "Liên kết đã hết hạn hoặc không đúng. / This link has expired or is wrong.\n"
"""The one text the web server shows a person (a browser has no language of the bot)."""
UpdateHandler = Callable[[dict[str, Any]], Awaitable[None]]
"""A channel's `feed`: returns when the update has been handled."""
MAX_BODY = 1024 * 1024
"""An update is a few kilobytes; anything larger is not one."""
WARN_EVERY = 60.0
"""Seconds between two warnings about refused requests to one webhook."""


class NotAnUpdate(ValueError):
    """A channel's `feed` raises this for a body it cannot read as an update of its platform."""


class Refusals:
    """Refused requests to one route: the first warned about, the others within a minute
    counted and told in the next warning ("1,999 more refused since")."""

    def __init__(self, path: str, clock: Callable[[], float]) -> None:
        self.path = path
        self.clock = clock
        self.warned_at: float | None = None
        self.unreported = 0

    def refuse(self, reason: str) -> None:
        now = self.clock()
        if self.warned_at is not None and now - self.warned_at < WARN_EVERY:
            self.unreported += 1
            return
        more = (
            f" ({self.unreported:,} more refused since the last warning)" if self.unreported else ""
        )
        log.warning("refused a webhook request to %s: %s%s", self.path, reason, more)
        self.warned_at, self.unreported = now, 0


class WebServer:
    def __init__(
        self, host: str, port: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.host = host
        self.port = port
        self.clock = clock
        """Spaces the warnings about refused requests (tests move it by hand)."""
        self._routes: list[tuple[str, type[RequestHandler], dict[str, Any]]] = []
        self._server: HTTPServer | None = None

    def webhook(self, path: str, header: str, secret: str, handler: UpdateHandler) -> None:
        """Accept POSTed updates at `path` when the `header` carries `secret`."""
        refusals = Refusals(path, self.clock)
        self._routes.append(
            (
                path,
                _Webhook,
                {"header": header, "secret": secret, "handler": handler, "refusals": refusals},
            )
        )

    def downloads(self, db: Database, clock: Callable[[], datetime]) -> None:
        """Serve files kept with storage.downloads at /files/<token>/<name>."""
        route = r"/files/([A-Za-z0-9_-]+)/[^/]*"
        self._routes.append((route, _Download, {"db": db, "clock": clock}))

    async def start(self) -> None:
        application = Application(self._routes, log_function=_log_request)
        self._server = HTTPServer(application, max_body_size=MAX_BODY)
        sockets = bind_sockets(self.port, self.host)
        self.port = sockets[0].getsockname()[1]  # the real port when 0 was asked
        self._server.add_sockets(sockets)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None


class _Webhook(RequestHandler):
    def initialize(
        self, header: str, secret: str, handler: UpdateHandler, refusals: Refusals
    ) -> None:
        self.header = header
        self.secret = secret
        self.handler = handler
        self.refusals = refusals

    async def post(self) -> None:
        given = self.request.headers.get(self.header, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.refusals.refuse("wrong secret")
            self._refuse(403, "wrong secret token")
            return
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            self._refuse(415, "the body must be application/json")
            return
        try:
            body = json.loads(self.request.body or b"null")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self._refuse(400, "the body is not a JSON object")
            return
        try:
            await self.handler(body)
        except NotAnUpdate:
            self._refuse(400, "the body is not an update")
            return
        self.finish({"ok": True})

    def _refuse(self, status: int, description: str) -> None:
        self.set_status(status)
        self.finish({"ok": False, "description": description})


class _Download(RequestHandler):
    def initialize(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    async def get(self, token: str) -> None:
        async with self.db.transaction() as session:
            found = await downloads.find(session, token, self.clock())
            filename, data = (found.filename, found.data) if found else ("", b"")
        if found is None:
            self.set_status(404)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(EXPIRED)
            return
        kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        self.set_header("Content-Type", kind)
        self.set_header("Content-Disposition", f"attachment; filename*=UTF-8''{quote(filename)}")
        self.set_header("Cache-Control", "private, no-store")
        self.finish(data)


def _log_request(handler: RequestHandler) -> None:
    """Status and route only: a download path carries its secret token."""
    route = handler.request.path.split("/")[1] if handler.request.path else ""
    log.debug("%s /%s → %s", handler.request.method, route, handler.get_status())


@dataclass(frozen=True)
class Hook:
    """Where a platform should post its updates, and the secret it must send along."""

    url: str
    secret: str
