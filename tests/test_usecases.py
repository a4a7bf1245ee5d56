"""The use cases called directly, without a chat or a command line: the checks and the numbers
are theirs, whoever calls them (usecases/)."""

from __future__ import annotations

import pytest

from bot.app import App
from campaign.roles import Role
from storage import audit, people, units
from storage.models import Membership, Unit
from usecases import events, invites
from usecases.access import Actor
from usecases.admins import audit_entries
from usecases.campaigns import campaign_for
from usecases.clock import today
from usecases.errors import Refused, Who, cli
from usecases.units import RowsRefused, import_csv


async def _department(app: App) -> tuple[Unit, Unit, Actor, Who]:
    """Units KT and NS, and Hùng who leads KT: his Actor and his Who."""
    async with app.db.transaction() as session:
        await units.add_units(session, [("KT", "Phòng Kế toán", "department"),
                                        ("NS", "Phòng Nhân sự", "department")])  # fmt: skip
        kt, ns = await units.find_unit(session, "KT"), await units.find_unit(session, "NS")
        assert kt is not None and ns is not None
        account = await people.get_or_create_account(session, "console", "hung", "Hùng")
        held = await units.set_membership(session, account.person.id, kt.id, Role.LEAD.code)
        person_id = account.person.id
    lead = Actor(person_id, is_admin=False, memberships=(Membership(
        person_id=person_id, unit_id=kt.id, role=held.role, unit=kt),))  # fmt: skip
    return kt, ns, lead, Who("console:hung", person_id, app.services.clock())


async def test_a_lead_makes_member_codes_for_the_units_they_lead_and_no_other(app: App) -> None:
    kt, ns, lead, who = await _department(app)
    now = app.services.clock()
    async with app.db.transaction() as session:
        made = await invites.create_invite(
            session, who, lead, unit=kt, role=Role.MEMBER, uses=None, days=None, now=now
        )
        assert (made.role, made.uses_left) == ("member", 30)
        with pytest.raises(Refused) as higher:
            await invites.create_invite(
                session, who, lead, unit=kt, role=Role.LEAD, uses=None, days=None, now=now
            )
        with pytest.raises(Refused) as elsewhere:
            await invites.create_invite(
                session, who, lead, unit=ns, role=Role.MEMBER, uses=None, days=None, now=now
            )
        logged = await audit.latest(session, 10)
    assert higher.value.key == "invite.admin_only_role"
    assert higher.value.named == {"role": "role.lead"}
    assert elsewhere.value.key == "invite.not_lead"
    assert [(e.action, e.target, e.actor) for e in logged if e.action.startswith("invite")] == [
        ("invite.create", "KT", "console:hung")
    ]


async def test_the_operator_makes_codes_above_member_once_only(app: App) -> None:
    kt, _, _, _ = await _department(app)
    now = app.services.clock()
    async with app.db.transaction() as session:
        made = await invites.create_invite(
            session, cli(now), None, unit=kt, role=Role.LEAD, uses=None, days=3, now=now
        )
        with pytest.raises(Refused) as twice:
            await invites.create_invite(
                session, cli(now), None, unit=kt, role=Role.LEAD, uses=2, days=None, now=now
            )
    assert made.uses_left == 1 and (made.expires_at - now).days == 3
    assert twice.value.key == "invite.one_use"


async def test_a_lead_sees_and_withdraws_only_member_codes_of_their_units(app: App) -> None:
    kt, ns, lead, who = await _department(app)
    now = app.services.clock()
    admin = Actor(0, is_admin=True)
    async with app.db.transaction() as session:
        codes = {
            (unit.code, role): (
                await invites.create_invite(
                    session, cli(now), None, unit=unit, role=role, uses=None, days=None, now=now
                )
            ).code
            for unit in (kt, ns)
            for role in (Role.MEMBER, Role.LEAD)
        }
        seen = {i.code for i in await invites.visible_invites(session, lead, now)}
        everything = {i.code for i in await invites.visible_invites(session, admin, now)}
        with pytest.raises(Refused) as not_theirs:
            await invites.revoke_invite(session, who, lead, codes[("NS", Role.MEMBER)], now)
        revoked = await invites.revoke_invite(
            session, who, lead, codes[("KT", Role.MEMBER)].lower(), now
        )
        left = {i.code for i in await invites.visible_invites(session, admin, now)}
    assert seen == {codes[("KT", Role.MEMBER)]}
    assert everything == set(codes.values())
    assert not_theirs.value.key == "invite.revoke_unknown"
    assert revoked.code == codes[("KT", Role.MEMBER)]
    assert left == set(codes.values()) - {revoked.code}


async def test_a_day_added_is_numbered_in_the_list_and_removed_by_its_number(app: App) -> None:
    library, now = app.services.library, app.services.clock()
    day = today(now, app.services.zone)  # Monday 2 March 2026 in Hà Nội
    who = cli(now)
    async with app.db.transaction() as session:
        before = await events.coming(session, library, day, 30)
        added = await events.add_event(session, who, day, "Hội nghị cán bộ", 3, 3, 2026)
        after = await events.coming(session, library, day, 30)
        problems = []
        for name, d, m, y in (("hội nghị CÁN BỘ", 3, 3, 2026), ("Họp", 1, 3, 2026),
                              ("Họp", 31, 2, 2026)):  # fmt: skip
            with pytest.raises(Refused) as refused:
                await events.add_event(session, who, day, name, d, m, y)
            problems.append((refused.value.key, refused.value.values))
    assert added.one_off and added.moment.isoformat() == "2026-03-03"
    first = after[0]
    assert (first.date.isoformat(), first.observance.name) == ("2026-03-03", "Hội nghị cán bộ")
    assert after[1:] == before[:29]
    assert problems == [
        ("events.exists", {"name": "hội nghị CÁN BỘ"}),
        ("events.past", {"date": "01/03/2026"}),
        ("events.bad_date", {"date": "31/02/2026"}),
    ]
    async with app.db.transaction() as session:
        removed = await events.remove_event(session, library, who, day, 1)
        again = await events.coming(session, library, day, 30)
    assert removed.deleted and removed.occurrence == first
    assert again == before


async def test_a_national_day_is_hidden_then_restored_by_number(app: App) -> None:
    library, now = app.services.library, app.services.clock()
    day, who = today(now, app.services.zone), cli(now)
    async with app.db.transaction() as session:
        before = await events.coming(session, library, day, 5)
        second = before[1]
        removed = await events.remove_event(session, library, who, day, 2)
        hidden = await events.hidden_days(session)
        without = await events.coming(session, library, day, 4)
        with pytest.raises(Refused) as too_far:
            await events.remove_event(session, library, who, day, 10_000)
        with pytest.raises(Refused) as no_such:
            await events.restore_event(session, who, 2)
        restored = await events.restore_event(session, who, 1)
        after = await events.coming(session, library, day, 5)
        actions = [e.action for e in await audit_entries(session, 10)]
    assert not removed.deleted and removed.occurrence == second
    assert [(h.name, h.day, h.month) for h in hidden] == [
        (second.observance.name, second.date.day, second.date.month)
    ]
    assert without == [before[0], *before[2:]]
    assert too_far.value.key == "events.remove_range"
    assert no_such.value.values == {"count": 1}
    assert restored.name == second.observance.name
    assert after == before
    assert actions == ["event.restore", "event.hide", "document.import"]


async def test_a_campaign_of_a_year_not_imported_names_the_years_there_are(app: App) -> None:
    library, day = app.services.library, today(app.services.clock(), app.services.zone)
    async with app.db.transaction() as session:
        on_today = await campaign_for(session, library, day, None)
        with pytest.raises(Refused) as refused:
            await campaign_for(session, library, day, 2019)
    assert on_today.year == 2026
    assert (refused.value.key, refused.value.values) == (
        "campaign.no_year",
        {"year": 2019, "years": "2026"},
    )


async def test_a_csv_with_problems_writes_nothing_and_lists_them_by_line(app: App) -> None:
    await import_csv(app.db, "code,name,kind\nKT,Phòng Kế toán,department\n")
    with pytest.raises(RowsRefused) as refused:
        await import_csv(app.db, "code,name,kind\nNS,Nhân sự,department\nKT,Kế toán,department\n")
    async with app.db.transaction() as session:
        codes = [unit.code for unit, _ in await units.list_units(session)]
    assert [(e.line, e.key) for e in refused.value.errors] == [(3, "csv.exists")]
    assert codes == ["KT"]


def test_a_refusal_is_explained_in_the_readers_words(app: App) -> None:
    refused = Refused(
        "invite.not_lead",
        named={"unit": ("format.unit", {"code": "KT", "name": "Kế toán & Thuế"})},
    )
    english = app.services.catalog.translator("en")
    assert str(refused.explained(english)) == english(
        "invite.not_lead", unit=english("format.unit", code="KT", name="Kế toán & Thuế")
    )
    assert "Kế toán &amp; Thuế" in str(refused.explained(english))
