"""Joining two people into one, when a staff member links their accounts (/taikhoan)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from campaign.merge import Candidate, Profile, Side, joined_profile, last_touched, to_keep
from campaign.roles import stronger_role
from storage.models import (
    Account,
    AccountLinkAttempt,
    AccountLinkCode,
    Activity,
    Assessment,
    AuditLog,
    CampaignDocument,
    Contribution,
    CustomEvent,
    Invite,
    Membership,
    Notice,
    Person,
    Pledge,
    Poll,
    PollVote,
    Reminder,
    Signup,
)

JOINED: tuple[InstrumentedAttribute[Any], ...] = (
    Account.person_id,
    Membership.person_id,
    Pledge.person_id,
    Assessment.person_id,
    Signup.person_id,
    PollVote.person_id,
)
"""What a person is made of: these rows move to the issuer, under the rules of campaign.merge
where the issuer may already have one (one role per unit, one pledge or rating per campaign)."""

REPOINTED: tuple[InstrumentedAttribute[Any], ...] = (
    Reminder.created_by,
    Invite.created_by,
    CustomEvent.created_by,
    AuditLog.actor_id,
    Assessment.final_by,
    Activity.organiser_id,
    Signup.added_by,
    Contribution.person_id,
    Contribution.confirmed_by,
    Poll.created_by,
)
"""Who made or did something: the same human did it, so these rows now name the issuer."""

DROPPED: tuple[InstrumentedAttribute[Any], ...] = (
    AccountLinkCode.person_id,
    AccountLinkAttempt.person_id,
    Notice.person_id,
)
"""Rows of no use once the sender's person is gone: their own link code and wrong guesses, the
day they were last told a daily notice (the kept person's own day stands)."""


@dataclass(frozen=True)
class Conflict:
    """Both people had a pledge (or an assessment) for one campaign: one stayed, one went."""

    year: int
    kept_from: Side
    kept: str | None
    """The pledge's title code, or the assessment's rating (the final one, else the self one)."""
    removed: str | None


@dataclass(frozen=True)
class Joined:
    pledges: tuple[Conflict, ...] = ()
    assessments: tuple[Conflict, ...] = ()


async def merge_people(session: AsyncSession, keep_id: int, drop_id: int) -> Joined:
    """Join person `drop_id` into person `keep_id`, then delete `drop_id`.

    Why: before linking, one staff member who used the bot on Telegram and on Zalo is two
    people, with units, a pledge and a rating each. After it every row that named the dropped
    person names the kept one: accounts, units (the stronger role where both were in one unit),
    pledges and assessments (one per campaign, chosen by campaign.merge.to_keep; the other is
    deleted and reported back), and authorship (reminders, invites, events, audit, final
    ratings). JOINED, REPOINTED and DROPPED list every foreign key to person.id, and a test
    holds that list to the tables: a new table that names a person must be handled here.

    Runs in the caller's transaction, so a failure leaves both people as they were. The two
    person rows are locked first (PostgreSQL; SQLite has one writer anyway), so a message of
    either person handled meanwhile waits, or fails, instead of writing into a person about to
    disappear.
    """
    if keep_id == drop_id:
        raise ValueError("a person cannot be joined into themselves")
    await session.flush()
    locked = await session.scalars(
        select(Person)
        .where(Person.id.in_([keep_id, drop_id]))
        .order_by(Person.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    people = {person.id: person for person in locked}
    keep, drop = people[keep_id], people[drop_id]

    await _join_memberships(session, keep_id, drop_id)
    pledges = await _join_per_campaign(session, Pledge, keep_id, drop_id, _pledge_candidate)
    assessments = await _join_per_campaign(
        session, Assessment, keep_id, drop_id, _assessment_candidate
    )
    await _join_signups(session, keep_id, drop_id)
    await _join_votes(session, keep_id, drop_id)
    await _move(session, Account.person_id, drop_id, keep_id)
    for column in REPOINTED:
        await _move(session, column, drop_id, keep_id)
    for column in DROPPED:
        await session.execute(delete(column.class_).where(column == drop_id))

    profile = joined_profile(_profile(keep), _profile(drop))
    keep.display_name, keep.language = profile.display_name, profile.language
    keep.is_admin, keep.nudges_off = profile.is_admin, profile.nudges_off
    await session.execute(delete(Person).where(Person.id == drop_id))
    await session.flush()
    return Joined(pledges=pledges, assessments=assessments)


async def _join_memberships(session: AsyncSession, keep_id: int, drop_id: int) -> None:
    """One role per unit: where both were members, the kept membership takes the stronger."""
    kept = {
        m.unit_id: m
        for m in await session.scalars(select(Membership).where(Membership.person_id == keep_id))
    }
    doubles: list[int] = []
    for membership in await session.scalars(
        select(Membership).where(Membership.person_id == drop_id)
    ):
        same_unit = kept.get(membership.unit_id)
        if same_unit is not None:
            same_unit.role = stronger_role(same_unit.role, membership.role)
            doubles.append(membership.id)
    if doubles:
        await session.execute(delete(Membership).where(Membership.id.in_(doubles)))
    await _move(session, Membership.person_id, drop_id, keep_id)


_SIGNUP_STRENGTH = {"confirmed": 2, "waitlist": 1, "withdrawn": 0}


async def _join_signups(session: AsyncSession, keep_id: int, drop_id: int) -> None:
    """One sign-up per person and activity: where both signed up, the stronger stays (a place
    before the waitlist, the waitlist before a withdrawal; the earlier in line on a tie)."""
    rows = await session.scalars(
        select(Signup).where(Signup.person_id.in_([keep_id, drop_id])).order_by(Signup.id)
    )
    by_activity: dict[int, list[Signup]] = {}
    for signup in rows:
        by_activity.setdefault(signup.activity_id, []).append(signup)
    losers: list[int] = []
    for pair in by_activity.values():
        if len(pair) == 2:
            best = max(
                pair, key=lambda s: (_SIGNUP_STRENGTH.get(s.status, 0), -s.queued_at.timestamp())
            )
            losers += [s.id for s in pair if s is not best]
    if losers:
        await session.execute(delete(Signup).where(Signup.id.in_(losers)))
    await _move(session, Signup.person_id, drop_id, keep_id)


Record = TypeVar("Record", Pledge, Assessment)


async def _join_per_campaign(
    session: AsyncSession,
    model: type[Record],
    keep_id: int,
    drop_id: int,
    judge: Callable[[Record], tuple[Candidate, str | None]],
) -> tuple[Conflict, ...]:
    """Move the dropped person's pledges (or assessments) to the kept one; where both have one
    for a campaign, delete the one `to_keep` turns down first (one per person and campaign)."""
    rows = await session.execute(
        select(model, CampaignDocument.year)
        .join(CampaignDocument, CampaignDocument.id == model.campaign_id)
        .where(model.person_id.in_([keep_id, drop_id]))
        .order_by(CampaignDocument.year)
    )
    by_campaign: dict[int, dict[int, tuple[Record, int]]] = {}
    for record, year in rows:
        by_campaign.setdefault(record.campaign_id, {})[record.person_id] = (record, year)
    conflicts: list[Conflict] = []
    losers: list[int] = []
    for pair in by_campaign.values():
        if len(pair) < 2:
            continue
        (issuer, year), (sender, _) = pair[keep_id], pair[drop_id]
        (issuer_candidate, issuer_label) = judge(issuer)
        (sender_candidate, sender_label) = judge(sender)
        side = to_keep(issuer_candidate, sender_candidate)
        if side is Side.ISSUER:
            losers.append(sender.id)
            conflicts.append(Conflict(year, side, kept=issuer_label, removed=sender_label))
        else:
            losers.append(issuer.id)
            conflicts.append(Conflict(year, side, kept=sender_label, removed=issuer_label))
    if losers:
        await session.execute(delete(model).where(model.id.in_(losers)))
    await _move(session, model.person_id, drop_id, keep_id)
    return tuple(conflicts)


async def _move(
    session: AsyncSession, column: InstrumentedAttribute[Any], old: int, new: int
) -> None:
    """Repoint `column` from person `old` to person `new`. A column that ticks on every update
    (a pledge's updated_at) keeps its value: moving is not the person changing their pledge,
    and a later choice between two pledges must still see when they last did."""
    model = column.class_
    values: dict[str, Any] = {column.key: new}
    for other in model.__table__.columns:
        if other.onupdate is not None:
            values[other.key] = getattr(model, other.key)
    await session.execute(update(model).where(column == old).values(values))


def _pledge_candidate(pledge: Pledge) -> tuple[Candidate, str | None]:
    return Candidate(at=last_touched(pledge.updated_at, pledge.progress_at)), pledge.title


def _assessment_candidate(assessment: Assessment) -> tuple[Candidate, str | None]:
    candidate = Candidate(
        at=last_touched(assessment.self_at, assessment.final_at),
        settled=assessment.final_rating is not None,
    )
    return candidate, assessment.final_rating or assessment.self_rating


def _profile(person: Person) -> Profile:
    return Profile(
        display_name=person.display_name,
        language=person.language,
        is_admin=person.is_admin,
        nudges_off=person.nudges_off,
    )


async def _join_votes(session: AsyncSession, keep_id: int, drop_id: int) -> None:
    """Poll votes: one human votes once. Where both voted in one poll the kept person's vote
    stands and the other's rows go (two choices in a single-choice poll would be two votes);
    the other polls' votes move to the kept person."""
    kept_polls = select(PollVote.poll_id).where(PollVote.person_id == keep_id)
    await session.execute(
        delete(PollVote).where(PollVote.person_id == drop_id, PollVote.poll_id.in_(kept_polls))
    )
    await _move(session, PollVote.person_id, drop_id, keep_id)
