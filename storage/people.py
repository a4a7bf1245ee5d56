"""People and their platform accounts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from storage.limits import clip
from storage.models import Account, Membership, Person


async def find_account(session: AsyncSession, platform: str, user_id: str) -> Account | None:
    """The account with its person and the person's memberships (and their units), in one
    statement: every message needs all three for its access checks, and on SQLite each
    statement is paid for inside the single-writer lock."""
    result = await session.scalars(
        select(Account)
        .where(Account.platform == platform, Account.platform_user_id == user_id)
        .options(
            joinedload(Account.person).joinedload(Person.memberships).joinedload(Membership.unit)
        )
    )
    # A joined collection repeats the account on each membership's row.
    return result.unique().one_or_none()


async def get_or_create_account(
    session: AsyncSession,
    platform: str,
    user_id: str,
    display_name: str = "",
    username: str | None = None,
) -> Account:
    """The account of this platform user, creating a person for a first-time user; the name
    and @handle follow what the platform says now."""
    handle = clip(username.lower(), Account.username) if username else None
    display_name = clip(display_name, Person.display_name)
    account = await find_account(session, platform, user_id)
    if account is not None:
        seen_again(account, display_name, username)
        return account
    # A new person is in no unit: saying so spares loading the empty list after the flush.
    # Every column given (language too): the account is cached after the commit, and a value
    # left to be loaded later could not be read outside a session.
    person = Person(
        display_name=display_name or "", language=None, last_platform=platform, memberships=[]
    )
    account = Account(platform=platform, platform_user_id=user_id, username=handle, person=person)
    session.add(account)
    await session.flush()
    return account


def seen_again(account: Account, display_name: str, username: str | None) -> None:
    """A known account spoke: the name and @handle follow what the platform says now.
    Unchanged values are not written (a cached account is then used without a write)."""
    handle = clip(username.lower(), Account.username) if username else None
    display_name = clip(display_name, Person.display_name)
    if display_name and account.person.display_name != display_name:
        account.person.display_name = display_name
    if account.username != handle:
        account.username = handle


def used(account: Account) -> None:
    """The person spoke through this account: private pushes go to its platform from now on
    (written only when it changes: someone who uses two apps, or linked a second one)."""
    if account.person.last_platform != account.platform:
        account.person.last_platform = account.platform


async def grant_admin(session: AsyncSession, platform: str, user_id: str) -> Account:
    account = await get_or_create_account(session, platform, user_id)
    account.person.is_admin = True
    return account
