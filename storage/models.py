"""Tables of the bot. Schema changes go through Alembic (storage/migrations)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on both databases (SQLite stores them naive, as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str | None] = mapped_column(String(8))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    nudges_off: Mapped[bool] = mapped_column(Boolean, default=False)
    last_platform: Mapped[str | None] = mapped_column(String(16))
    """The platform of their last message: where a push meant for them privately goes."""
    """The person turned off automatic nudges (e.g. "you have not pledged yet")."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    accounts: Mapped[list[Account]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Membership.id",
    )
    """In the order joined: access checks and lists of units read them in that order."""


class Account(Base):
    """One identity on one platform; several accounts may belong to one person."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[str] = mapped_column(String(64))
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    """The @handle on platforms that have one (Telegram), lower case, kept up to date: leads
    name members by it ("/danhgia @lan_nguyen tot")."""
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(back_populates="accounts")


class AccountLinkCode(Base):
    """A one-time code that joins the account sending it to the person who asked for it.

    Short-lived and one per person: asking again replaces the earlier code. It dies with its
    person, so a code never outlives the person it would join others into.
    """

    __tablename__ = "account_link_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    """Where it was asked for: it must come back from another platform."""
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    """The account that sent the code back: it joins only once the code's owner confirms."""
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AccountLinkAttempt(Base):
    """A wrong code typed to /taikhoan: a few an hour are allowed, so codes cannot be guessed."""

    __tablename__ = "account_link_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Unit(Base):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("person_id", "unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    muted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The member asked for no private pushes of this unit (/tatthongbao); groups still hear."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(back_populates="memberships")
    unit: Mapped[Unit] = relationship()


class Chat(Base):
    __tablename__ = "chat"
    __table_args__ = (UniqueConstraint("platform", "platform_chat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_chat_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(String(255))
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="SET NULL"), index=True
    )
    thread_id: Mapped[str | None] = mapped_column(String(32))
    """The topic of a forum (a Telegram supergroup with topics) where pushes into this chat go:
    the one `/lienket` was typed in. None: the chat's main thread (Telegram's "General")."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit | None] = relationship()


class Invite(Base):
    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uses_left: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()


class DialogState(Base):
    """A conversation in progress for one account in one chat; survives a restart."""

    __tablename__ = "dialog_state"
    __table_args__ = (UniqueConstraint("account_id", "chat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(ForeignKey("chat.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    step: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AuditLog(Base):
    """Who did what and when, for every privileged action. Holds codes, never personal data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CampaignDocument(Base):
    """An imported document, kept as text; its model and facts are parsed from `document`
    when loaded. A campaign (the yearly one or a short drive) when `library` is false, else
    a regulation or guidance of the agency's library, searched alongside every campaign.

    The columns beside the text are what queries need without parsing it: the period
    decides which campaigns are active today, `identity` (the document number, else its
    title and year) makes a re-import replace the earlier copy.
    """

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identity: Mapped[str] = mapped_column(String(300), unique=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(32), default="ke_hoach")
    """What the document is (campaign.document.Kind: ke_hoach, quyet_dinh, cong_dien, …)."""
    library: Mapped[bool] = mapped_column(Boolean, default=False)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    """The bundled sample document: the first real import replaces it."""
    title: Mapped[str] = mapped_column(String(500))
    number: Mapped[str | None] = mapped_column(String(100))
    issuer: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date | None] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    """None when the document names no end: it is then never shown as a date."""
    source_name: Mapped[str] = mapped_column(String(255))
    document: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    registration_deadline: Mapped[date | None] = mapped_column(Date)
    """Set by an admin: pledges may be changed until this day (else the document's own
    registration deadline, else 31 March of the campaign's year)."""
    assessment_open: Mapped[bool | None] = mapped_column(Boolean)
    """None: self-assessment follows the documents' own assessment deadlines; True/False:
    opened or closed by an admin."""

    @property
    def deadline(self) -> date:
        return self.registration_deadline or date(self.year, 3, 31)


class CustomEvent(Base):
    """A day an admin added to the calendar (/sukien them dd/mm/yyyy name)."""

    __tablename__ = "custom_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    day: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    one_off: Mapped[bool] = mapped_column(Boolean, default=False)
    """True: happens on that date only; False: yearly since `year` (anniversaries counted)."""
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    """An admin took this day (of a calendar pack or a document) off the calendar."""
    created_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Pledge(Base):
    """A person's registration for a campaign: the title aimed for and the rating aimed for."""

    __tablename__ = "pledge"
    __table_args__ = (UniqueConstraint("person_id", "campaign_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(32))
    target_rating: Mapped[str | None] = mapped_column(String(16))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    """Registered after the campaign's registration deadline."""
    progress: Mapped[int | None] = mapped_column(Integer)
    """The overall progress, recomputed from the commitments' latest values whenever they or
    the commitments change (so the figures need no history, and it cannot drift)."""
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    commitments: Mapped[list[Commitment]] = relationship(
        primaryjoin="and_(Pledge.id == Commitment.pledge_id, Commitment.retired_at.is_(None))",
        order_by="Commitment.position",
        viewonly=True,
    )
    """The current commitments (rows are written through the session; the database deletes
    them with the pledge)."""


class Commitment(Base):
    """One commitment of a pledge. Its row is its identity: progress updates refer to it, so a
    re-registered pledge that repeats it (in any order) keeps its progress. One that leaves the
    pledge is retired, not deleted: its history stays."""

    __tablename__ = "commitment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When it left the pledge (None: current)."""


class ProgressUpdate(Base):
    """One progress report on one commitment (None: on a pledge without commitments). The
    pledge's overall is not stored here: it is a function of the latest values
    (campaign.progress.overall), cached on the pledge."""

    __tablename__ = "progress_update"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledge.id", ondelete="CASCADE"), index=True)
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("commitment.id", ondelete="CASCADE"), index=True
    )
    percent: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Assessment(Base):
    """The year-end rating: the person's own, and the lead's final one, which wins."""

    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("person_id", "campaign_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    self_rating: Mapped[str | None] = mapped_column(String(16))
    self_comment: Mapped[str | None] = mapped_column(Text)
    self_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    final_rating: Mapped[str | None] = mapped_column(String(16))
    final_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    final_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SeenUpdate(Base):
    """An update already handled (Telegram update_id, Zalo message id): a replay is ignored.

    Written in the transaction that handles the update, so a failed attempt is not marked seen.
    """

    __tablename__ = "seen_update"
    __table_args__ = (UniqueConstraint("platform", "update_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    update_key: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class IdentityVersion(Base):
    """One row whose version every change of membership, person, account, unit or chat moves
    (database triggers, migration 0014): the router's identity cache is valid while it holds."""

    __tablename__ = "identity_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class Reminder(Base):
    """A reminder: when it fires next, how it repeats, and where it goes."""

    __tablename__ = "reminder"
    __table_args__ = (Index("ix_reminder_due", "active", "next_at"),)
    """The scheduler's idle check reads the earliest active `next_at` from this index alone."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    target: Mapped[str] = mapped_column(String(8))
    """ "chat" (one chat: a private chat or this group), "unit" (its groups) or "all"."""
    chat_id: Mapped[int | None] = mapped_column(ForeignKey("chat.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    rrule: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Outbox(Base):
    """One message to one chat. Producers write it in their own transaction; the dispatcher
    sends it once: `dedupe_key` keeps a producer that runs twice from writing it twice."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)
    """The scheduler's idle check reads the earliest pending row from this index alone."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chat.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[list[Any]] = mapped_column(JSON, default=list)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(8), default="pending", index=True)
    """pending → claimed → sending → sent; or failed (will not go: chat gone), dead (gave up)."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_message_id: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the dispatcher holding the row claimed or last renewed it (its lease runs from here)."""
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    """The dispatcher holding the row: every step after the claim is compare-and-set on it."""
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    download_id: Mapped[int | None] = mapped_column(ForeignKey("download.id", ondelete="SET NULL"))
    """A file kept once for a few chats (a poll's results chart, migration 0020): the message
    goes with it; an expired one goes without (storage/outbox.py)."""

    chat: Mapped[Chat] = relationship()
    download: Mapped[Download | None] = relationship()


class Download(Base):
    """A file the bot made (a report) kept for a while behind an unguessable link, for
    platforms that take files only by URL (Zalo)."""

    __tablename__ = "download"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notice(Base):
    """The last day a person was told something the bot repeats at most once a day (that no
    campaign covers today, to admins and leads)."""

    __tablename__ = "notice"
    __table_args__ = (UniqueConstraint("person_id", "topic"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)


class SchedulerFailure(Base):
    """A part of the scheduler that failed (a producer, a reminder, an outbox row), kept while
    it keeps failing: logged once when it starts, counted at every tick, shown to admins by
    `status`, removed when the part works again."""

    __tablename__ = "scheduler_failure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(100), unique=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str] = mapped_column(String(500))
    first_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProducerMark(Base):
    """When a producer of the scheduler (commemorations, nudges) must run next. A run sets
    `due_at` to its next timer (the next 08:00); a change that may create work (a document
    imported, a group linked, a member joined: storage/schedule.py) wakes it, setting `due_at`
    to the past and adding one to `generation`, in the change's own transaction. A run advances
    `due_at` only if `generation` is still the one it read, so a wake during a run is never
    lost. The scheduler's idle tick reads min(due_at) and nothing else from here."""

    __tablename__ = "producer_mark"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """None: only when woken."""
    generation: Mapped[int] = mapped_column(Integer, default=0)
    ran_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ChannelState(Base):
    """How sending through one platform went lately, for admins (/trangthai, `python -m bot
    status`): written by the dispatcher when it changes (up/down, another error) and at most
    once a minute besides, so that every process's view is in the database."""

    __tablename__ = "channel_state"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    up: Mapped[bool] = mapped_column(Boolean)
    last_error: Mapped[str | None] = mapped_column(String(500))
    error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Activity(Base):
    """A union or youth activity (a blood drive, volunteer work, a collection …) that people
    sign up for. Its audience is its units (activity_unit); none: everyone."""

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_upcoming", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    """campaign.activities kinds: hien_mau, tinh_nguyen, trong_cay, the_thao, van_nghe,
    quyen_gop, hoc_tap, khac."""
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    place: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int | None] = mapped_column(Integer)
    """Places; None: no limit. Past it, sign-ups join the waitlist."""
    signup_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Sign-ups close then; None: at the start."""
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12), default="open")
    """open, cancelled."""
    checkin_code: Mapped[str | None] = mapped_column(String(16))
    checkin_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checkin_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ActivityUnit(Base):
    """A unit an activity is meant for."""

    __tablename__ = "activity_unit"
    __table_args__ = (UniqueConstraint("activity_id", "unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)


class Signup(Base):
    """One person's sign-up for an activity: confirmed, on the waitlist, or withdrawn (kept, so
    absences and withdrawals can be counted). The waitlist moves up in `queued_at` order."""

    __tablename__ = "activity_signup"
    __table_args__ = (UniqueConstraint("activity_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    """confirmed, waitlist, withdrawn."""
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    """The organiser who added them by name; None: they signed up themselves."""
    attended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Contribution(Base):
    """A contribution to a collection (an activity of kind quyen_gop): money in VND or items,
    by a person or on behalf of a unit, confirmed by the organiser."""

    __tablename__ = "contribution"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    """The unit it counts for (the giver's unit, or the unit that gave as a whole)."""
    amount: Mapped[int | None] = mapped_column(BigInteger)
    """VND; None when items were given."""
    items: Mapped[str | None] = mapped_column(String(500))
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Poll(Base):
    """A quick poll: a question, 2–10 options, single or multiple choice, named or anonymous,
    closing at a time. Its audience is its units (poll_unit); none: everyone."""

    __tablename__ = "poll"
    __table_args__ = (Index("ix_poll_open", "status", "closes_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(String(500))
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default="open")
    """open, closed (its results were announced)."""
    created_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PollUnit(Base):
    """A unit a poll is put to."""

    __tablename__ = "poll_unit"
    __table_args__ = (UniqueConstraint("poll_id", "unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)


class PollOption(Base):
    __tablename__ = "poll_option"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(200))


class PollVote(Base):
    """One person's choice of one option (several rows on a multiple-choice poll)."""

    __tablename__ = "poll_vote"
    __table_args__ = (UniqueConstraint("option_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("poll_option.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
