"""Running the platform channels: `python -m bot run` and `python -m bot dispatch`.

Kept apart from bot/cli.py so that the platform libraries (python-telegram-bot, tornado) are
imported only by the sub-commands that talk to a platform.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal

from bot.app import App
from bot.channels.console import ConsoleSender
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.config import Settings
from bot.delivery import Channel
from bot.errors import UserError
from bot.health import Watched
from bot.leader import leader_for
from bot.scheduler import scheduler_for
from bot.web import Hook, WebServer
from campaign.inputs import read_int
from handlers.context import Translate

log = logging.getLogger("bot")

PLATFORMS: tuple[type[Channel], ...] = (TelegramChannel, ZaloChannel)
"""Every platform the bot runs on; each reads its own settings (bot/delivery.py: Channel)."""


def make_channels(app: App) -> list[Channel]:
    """A channel for every platform whose token is set (not connected yet)."""
    return [channel for kind in PLATFORMS if (channel := kind.from_settings(app)) is not None]


def watched(app: App, channel: Channel) -> Watched:
    """The channel as the dispatcher uses it: its sends keep the status view current."""
    return Watched(channel.platform, channel, app.db, app.services.clock)


def web_server(settings: Settings, t: Translate) -> WebServer | None:
    """The web server, when something must reach the bot: webhooks or file downloads."""
    if not (settings.webhook_url or settings.public_url):
        return None
    host, _, port = (settings.listen or "0.0.0.0:8080").rpartition(":")
    number = read_int(port, 1, 65535)
    if not host or number is None:
        raise UserError(t("cli.bad_listen"))
    return WebServer(host, number)


async def run_channels(app: App, t: Translate) -> int:
    """Every configured channel, the web server they need and the scheduler, until SIGINT or
    SIGTERM; routes are added before the server listens, the server listens before the
    platforms are told to post to it."""
    settings = app.settings
    channels = make_channels(app)
    scheduler = scheduler_for(app)
    leader = leader_for(app.db)  # several processes: only one runs the producers
    scheduler.should_produce = leader.check
    secret = (
        settings.webhook_secret.get_secret_value()
        if settings.webhook_secret
        else secrets.token_urlsafe(32)  # nobody needs to know it but the platforms
    )
    if settings.webhook_url and not settings.webhook_secret and app.db.dialect == "postgresql":
        log.warning(
            "BOT_WEBHOOK_SECRET is not set: this process made its own. If several processes run "
            "behind one address, give them all the same BOT_WEBHOOK_SECRET, or only the last "
            "one started will be believed."
        )
    web = web_server(settings, t)
    started: list[Channel] = []
    stop = asyncio.Event()
    try:
        if web is not None:
            for channel in channels if settings.webhook_url else []:
                web.webhook(f"/{channel.platform}", channel.secret_header, secret, channel.feed)
            if settings.public_url:
                web.downloads(app.db, app.services.clock)
            await web.start()
        for channel in channels:
            hook = (
                Hook(f"{settings.webhook_url.rstrip('/')}/{channel.platform}", secret)
                if settings.webhook_url
                else None
            )
            await channel.start(hook)  # a wrong token or no network: a UserError
            started.append(channel)
            app.services.platforms.add(channel)
            scheduler.senders[channel.platform] = watched(app, channel)
            mode = "webhook" if hook else "polling"
            log.warning("%s channel running (%s)", channel.platform, mode)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        pushing = asyncio.create_task(scheduler.run(stop, app.services.clock))
        await stop.wait()
        await pushing
    finally:
        await leader.release()
        for channel in started:
            await channel.stop()
        if web is not None:
            await web.stop()
    return 0


async def dispatch_once(app: App, t: Translate) -> int:
    """Connect every configured channel for sending, send what is due, and say how many."""
    scheduler = scheduler_for(app)
    leader = leader_for(app.db, announce=False)  # beside a running bot: its producers only
    scheduler.should_produce = leader.check
    connected: list[Channel] = []
    try:
        for channel in make_channels(app):
            await channel.connect()
            connected.append(channel)
            scheduler.senders[channel.platform] = watched(app, channel)
        if not connected:  # no platform: the console's pushes are printed
            scheduler.senders["console"] = ConsoleSender()
        return await scheduler.tick(app.services.clock())
    finally:
        await leader.release()
        for channel in connected:
            await channel.stop()
