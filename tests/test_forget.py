"""/xoadulieu deletes a person for real: a walk over every table finds nothing of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import App
from bot.scheduler import Scheduler
from handlers.messages import Incoming, Reply
from storage.models import AuditLog, Base
from tests.conftest import INVITE_CODE, Clock, User, found, members_of_kt
from tests.fakes.channel import FakeChannel, Transient

MONDAY_9 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # Monday 09/03/2026 09:00 in Hà Nội
USER_ID = "u8841207"
NAME = "Trịnh Quốc Khang"
HANDLE = "khang_tqk"
SECRETS = ("huyết áp", "sổ tay điện tử", "ghi chú riêng tư", "họp kín chiều")
"""Texts only this person typed: a reminder, a commitment, a progress note, a group reminder."""


class Khang(User):
    """A Telegram-like user with an @handle (the fixture's User has none)."""

    async def replies(
        self, text: str = "", *, payload: str | None = None, addressed: bool = True
    ) -> list[Reply]:
        incoming = Incoming(
            platform=self.platform, user_id=self.user_id, chat_id=self.chat_id,
            chat_kind="group" if self.group else "private", text=text, payload=payload,
            user_name=self.name, username=HANDLE, addressed=addressed,
        )  # fmt: skip
        return await self.router.handle(incoming)


async def _khang_joins(app: App, admin: User, clock: Clock) -> tuple[User, Khang, Khang]:
    clock.now = MONDAY_9
    head, _lan = await members_of_kt(app, admin)
    code = found(INVITE_CODE, await admin.say("/moi KT lead"))
    khang = Khang(app, USER_ID, name=NAME)
    assert "trưởng đơn vị" in await khang.say(f"/start {code}")
    in_group = Khang(app, USER_ID, name=NAME, chat_id="g-kt", group=True)
    return head, khang, in_group


async def test_nothing_of_a_deleted_person_remains_in_any_table(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    head, khang, in_group = await _khang_joins(app, admin, clock)
    await in_group.say("/lienket KT")
    assert "#" in await khang.say("/nhacnho 8h hằng ngày uống thuốc huyết áp")
    assert "#" in await in_group.say("/nhacnho 15h thứ sáu hằng tuần họp kín chiều")
    await khang.say("/dangky LĐTT; Số hoá sổ tay điện tử; Không chậm hồ sơ")
    await khang.say("/tiendo 1 40 ghi chú riêng tư")
    await khang.say("/taikhoan")
    await khang.say(f"/thongbao Họp toàn phòng, {NAME} chủ trì")
    await khang.say("1")
    await head.say("/dangky @" + HANDLE + " LĐTT; Số hoá sổ tay điện tử")
    await in_group.say("/dangky")  # a dialog left open in the group
    channel.fail(USER_ID, Transient("down"))
    await scheduler.tick(MONDAY_9 + timedelta(days=1))  # one reminder stays pending
    await scheduler.tick(MONDAY_9 + timedelta(days=2))  # another one is sent
    assert channel.to(USER_ID)

    async with app.db.transaction() as session:
        person_id = await session.scalar(
            select(AuditLog.actor_id).where(AuditLog.actor == f"console:{USER_ID}")
        )
    assert person_id is not None
    await khang.say("/xoadulieu")
    assert "Đã xoá" in await khang.say("1")

    found = await _traces(app, person_id)
    assert found == []
    async with app.db.transaction() as session:
        last = (await session.scalars(select(AuditLog).order_by(AuditLog.id.desc()))).first()
    assert last is not None
    assert (last.action, last.actor, last.actor_id, last.target) == (
        "person.forget",
        "(deleted)",
        None,
        None,
    )


async def _traces(app: App, person_id: int) -> list[str]:
    """Every cell of every table that holds the person's id (in a column naming a person or
    a person as the target of an audit line), platform user id, name, @handle or texts."""
    needles = [USER_ID, NAME.lower(), HANDLE, *SECRETS]
    found: list[str] = []
    async with app.db.transaction() as session:
        for table in Base.metadata.sorted_tables:
            person_columns = {
                column.name
                for column in table.columns
                if any(fk.column.table.name == "person" for fk in column.foreign_keys)
                or (table.name == "person" and column.name == "id")
            }
            for row in (await session.execute(select(table))).mappings():
                for column, value in row.items():
                    if column in person_columns and value == person_id:
                        found.append(f"{table.name}.{column} = {value}")
                    about_person = row.get("action") in ("pledge.on_behalf", "rating.final")
                    if column == "target" and about_person and value == str(person_id):
                        found.append(f"audit_log.target = {value} ({row['action']})")
                    text = str(value).lower()
                    found += [f"{table.name}.{column} ∋ {n}" for n in needles if n in text]
    return found


async def test_a_repeating_private_reminder_stops_when_its_person_is_deleted(
    app: App, admin: User, clock: Clock, scheduler: Scheduler, channel: FakeChannel
) -> None:
    _head, khang, _ = await _khang_joins(app, admin, clock)
    await khang.say("/nhacnho 8h hằng ngày uống thuốc huyết áp")
    await scheduler.tick(MONDAY_9 + timedelta(days=1))
    assert len(channel.to(USER_ID)) == 1
    await khang.say("/xoadulieu")
    await khang.say("1")
    for days in (2, 3, 4):
        await scheduler.tick(MONDAY_9 + timedelta(days=days))
    assert len(channel.to(USER_ID)) == 1
