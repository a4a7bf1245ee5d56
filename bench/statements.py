"""Statements per message: what the router asks the database for one message.

    python bench/statements.py [-v] [DATABASE_URL]

On SQLite every message is one transaction inside a single-writer lock, so throughput is one
over the length of a transaction, and each statement through aiosqlite costs several thread
hops: the number of statements per message is what the router can shrink. Sends "/start",
"/trogiup" and a question through Router.handle, first each from a new user in a new private
chat, then from one known user in a known chat, and prints the statements of each (-v: their
SQL). BEGIN IMMEDIATE is SQLite's statement that starts a transaction; COMMIT is not counted.
The default database is a fresh SQLite file; a PostgreSQL URL must name an empty database.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on the import path, and bench/telegram.py would hide
# the `telegram` package: the project root takes its place.
sys.path[0] = str(ROOT)


from bot.app import App, open_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from handlers.messages import Incoming  # noqa: E402

MESSAGES = ("/start", "/trogiup", "hạn chót là khi nào")
FIRST_USER = 500
KNOWN_USER = FIRST_USER + 1
"""The first new user: by the second round a known user in a known chat."""


async def statements_of(app: App, user: int, text: str, update_id: int) -> list[str]:
    """Handle one private message of `user` and return the statements it cost."""
    incoming = Incoming(
        platform="telegram",
        user_id=str(user),
        chat_id=str(user),
        text=text,
        user_name=f"Người dùng {user}",
        username=f"user_{user}",
        update_id=str(update_id),
    )
    with app.db.statements() as statements:
        replies = await app.router.handle(incoming)
    if not replies:
        raise SystemExit(f"no answer to {text!r}: is the database empty?")
    return statements


async def run(url: str, verbose: bool) -> None:
    app = await open_app(load_settings(BOT_DATABASE_URL=url))
    try:
        update_id = 0
        for label in ("new user, new chat", "known user, known chat"):
            print(label)
            for number, text in enumerate(MESSAGES, start=1):
                update_id += 1
                user = FIRST_USER + number if label.startswith("new") else KNOWN_USER
                statements = await statements_of(app, user, text, update_id)
                print(f"  {text:<22} {len(statements):>2} statements")
                if verbose:
                    for statement in statements:
                        print(f"      {statement[:160]}")
    finally:
        await app.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print each statement")
    parser.add_argument("url", nargs="?", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(args.url or f"sqlite+aiosqlite:///{folder}/statements.db", args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
