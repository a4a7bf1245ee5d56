"""Activities and sign-ups written straight into the database, for the attendance and
contribution tests while /hoatdong and /thamgia live on another branch (swap these for the
real commands once both are merged)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.app import App
from storage.models import Account, Activity, ActivityUnit, Signup, Unit


async def person_of(app: App, user_id: str, platform: str = "console") -> int:
    """The person behind a chat account (the account must have written to the bot)."""
    async with app.db.transaction() as session:
        found = await session.scalar(
            select(Account.person_id).where(
                Account.platform == platform, Account.platform_user_id == user_id
            )
        )
    assert found is not None, f"{platform}:{user_id} never wrote to the bot"
    return found


async def make_activity(
    app: App,
    *,
    name: str = "Hiến máu nhân đạo",
    kind: str = "hien_mau",
    starts_at: datetime,
    ends_at: datetime | None = None,
    capacity: int | None = None,
    units: tuple[str, ...] = (),
    organiser: int | None = None,
    status: str = "open",
) -> int:
    """A new activity for the units with these codes (none: everyone); its id."""
    async with app.db.transaction() as session:
        activity = Activity(
            name=name, kind=kind, starts_at=starts_at, ends_at=ends_at, capacity=capacity,
            organiser_id=organiser, status=status, created_at=starts_at,
        )  # fmt: skip
        session.add(activity)
        await session.flush()
        for code in units:
            unit = await session.scalar(select(Unit).where(Unit.code == code))
            assert unit is not None, code
            session.add(ActivityUnit(activity_id=activity.id, unit_id=unit.id))
        return activity.id


async def sign_up(
    app: App, activity_id: int, person_id: int, status: str = "confirmed", *, at: datetime
) -> None:
    async with app.db.transaction() as session:
        session.add(Signup(activity_id=activity_id, person_id=person_id, status=status,
                           queued_at=at, created_at=at))  # fmt: skip
