"""The tables. SQLAlchemy 2.0 typed models; the same schema on SQLite and PostgreSQL.

History is appended, never overwritten: answers, deal changes, warning feedback.
Scheduling and delivery truth (check-ins, the outbox, processed events) is claimed
through unique constraints so several bot processes can share one database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware UTC datetime")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar = {dt.datetime: UTCDateTime, dict[str, Any]: JSONType}


class Person(Base):
    """A rep or a manager, with their working rhythm and chat identities."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="rep")
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    region: Mapped[str | None] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    working_days: Mapped[str] = mapped_column(String(40), default="mon,tue,wed,thu,fri")
    checkin_days: Mapped[str | None] = mapped_column(String(40))
    checkin_time: Mapped[str | None] = mapped_column(String(5))
    max_questions: Mapped[int | None] = mapped_column(Integer)
    digest_channel: Mapped[str | None] = mapped_column(String(300))
    digest_day: Mapped[str | None] = mapped_column(String(3))
    snoozed_until: Mapped[dt.datetime | None]
    out_until: Mapped[dt.date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    manager: Mapped[Person | None] = relationship(remote_side=[id])
    identities: Mapped[list[ChatIdentity]] = relationship(back_populates="person")

    __table_args__ = (CheckConstraint("role IN ('rep', 'manager')", name="role"),)


class ChatIdentity(Base):
    """Who a person is on Slack or Teams, and where their direct messages go."""

    __tablename__ = "chat_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(20))
    tenant: Mapped[str] = mapped_column(String(100), default="")
    external_id: Mapped[str] = mapped_column(String(200))
    dm_channel: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="identities")

    __table_args__ = (
        UniqueConstraint("platform", "tenant", "external_id"),
        Index("ix_chat_identities_person", "person_id", "platform"),
    )


class Deal(Base):
    """An opportunity as the CRM knows it, plus what only the bot knows (pauses)."""

    __tablename__ = "deals"

    id: Mapped[int] = mapped_column(primary_key=True)
    crm_id: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    account: Mapped[str | None] = mapped_column(String(300))
    product: Mapped[str | None] = mapped_column(String(200))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    stage: Mapped[str] = mapped_column(String(100))
    stage_entered_on: Mapped[dt.date | None] = mapped_column(Date)
    # False: the CRM gave no date; the deal is in its stage at least since stage_entered_on
    # (the import that first saw it there), maybe longer.
    stage_entered_known: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=text("true")
    )
    # early/middle/late when the import placed the deal otherwise than the playbook would
    # (a stage map, a Commit forecast, a probability); NULL: the playbook decides.
    stage_group: Mapped[str | None] = mapped_column(String(10))
    pipeline: Mapped[str | None] = mapped_column(String(100))
    forecast_category: Mapped[str | None] = mapped_column(String(40))
    probability: Mapped[int | None] = mapped_column(Integer)
    close_date: Mapped[dt.date | None] = mapped_column(Date)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_on: Mapped[dt.date | None] = mapped_column(Date)
    last_activity_on: Mapped[dt.date | None] = mapped_column(Date)
    next_step: Mapped[str | None] = mapped_column(Text)
    next_step_on: Mapped[dt.date | None] = mapped_column(Date)
    deal_type: Mapped[str | None] = mapped_column(String(100))
    lead_source: Mapped[str | None] = mapped_column(String(100))
    # open, won, lost, or missing: a full CRM snapshot no longer listed it (not lost).
    status: Mapped[str] = mapped_column(String(10), default="open")
    loss_reason: Mapped[str | None] = mapped_column(String(200))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    paused_until: Mapped[dt.date | None] = mapped_column(Date)
    pause_reason: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    shared_summary: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[Person | None] = relationship()

    __table_args__ = (
        CheckConstraint("status IN ('open', 'won', 'lost', 'missing')", name="status"),
        CheckConstraint(
            "stage_group IS NULL OR stage_group IN ('early', 'middle', 'late')",
            name="stage_group",
        ),
        CheckConstraint(
            "probability IS NULL OR (probability BETWEEN 0 AND 100)", name="probability"
        ),
        Index("ix_deals_owner_status", "owner_id", "status"),
        Index("ix_deals_status", "status"),
    )


class StageMapping(Base):
    """A team's own stage name placed in a stage group (or won/lost), for one pipeline or
    all (pipeline_key ''). Given once to `import deals --stage-map`, kept for later imports."""

    __tablename__ = "stage_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    pipeline_key: Mapped[str] = mapped_column(String(100), default="")
    stage_key: Mapped[str] = mapped_column(String(100))
    pipeline: Mapped[str] = mapped_column(String(100), default="")
    stage: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("pipeline_key", "stage_key"),
        CheckConstraint("target IN ('early', 'middle', 'late', 'won', 'lost')", name="target"),
    )


class DealEvent(Base):
    """One change of a deal's stage, close date, status, amount or owner."""

    __tablename__ = "deal_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    old_value: Mapped[str | None] = mapped_column(String(300))
    new_value: Mapped[str | None] = mapped_column(String(300))
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    __table_args__ = (Index("ix_deal_events_deal_kind", "deal_id", "kind"),)


class DealActivity(Base):
    """A CRM activity (call, meeting, email, note, task) linked to a deal by the import.
    One row per source and source_ref: a re-import updates it, never doubles it."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10))
    occurred_at: Mapped[dt.datetime] = mapped_column()
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    direction: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(40))
    source_ref: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("source", "source_ref"),
        CheckConstraint("kind IN ('call', 'meeting', 'email', 'note', 'task')", name="kind"),
        CheckConstraint("status IN ('completed', 'scheduled')", name="status"),
        CheckConstraint("direction IN ('buyer', 'rep', 'unknown')", name="direction"),
        Index("ix_activities_deal_time", "deal_id", "occurred_at"),
    )


class DealSignal(Base):
    """Something a text says about a deal (budget frozen, a competitor named...), with
    its verbatim quote. Internal: never shown to a champion."""

    __tablename__ = "signals"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    quote: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(40))
    source_ref: Mapped[str] = mapped_column(String(250))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)

    __table_args__ = (
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence"),
        Index("ix_signals_deal", "deal_id", "occurred_on"),
        Index("ix_signals_source", "source", "source_ref"),
    )


class Answer(Base):
    """One qualification answer. Appended, never updated: the history is the trend.

    A correction appends the right answer and marks the wrong one superseded (when,
    and by which answer; an undo supersedes with no replacement). Superseded answers
    stay for the record and count nowhere else.
    """

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    answered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    shareable: Mapped[bool] = mapped_column(Boolean, default=False)
    superseded_at: Mapped[dt.datetime | None] = mapped_column()
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("answers.id", ondelete="SET NULL"))

    __table_args__ = (
        Index("ix_answers_deal_field_time", "deal_id", "field", "answered_at"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence"),
    )


class Stakeholder(Base):
    """A person on the buyer's side; only fields marked shareable may leave.
    `added_by_answer`: the answer that first named them, when one did (a correction of
    that answer removes them again if nothing else names them)."""

    __tablename__ = "stakeholders"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(320))
    exposure: Mapped[int | None] = mapped_column(Integer)
    shareable: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    added_by_answer: Mapped[int | None] = mapped_column(
        ForeignKey("answers.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("exposure IS NULL OR (exposure BETWEEN 1 AND 5)", name="exposure"),
    )


class CheckIn(Base):
    """A check-in. A scheduled one claims its (rep, slot): unique, so asked once.
    One the rep asked for has no slot."""

    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    slot: Mapped[dt.datetime | None]
    kind: Mapped[str] = mapped_column(String(20), default="scheduled")
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reminded_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]

    questions: Mapped[list[CheckInQuestion]] = relationship(
        back_populates="checkin", order_by="CheckInQuestion.position"
    )

    __table_args__ = (
        UniqueConstraint("rep_id", "slot"),
        Index("ix_checkins_status", "status", "expires_at"),
    )


class CheckInQuestion(Base):
    """One question of a check-in, about one field of one deal."""

    __tablename__ = "checkin_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    asked_at: Mapped[dt.datetime | None]
    answered_at: Mapped[dt.datetime | None]
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answers.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_ref: Mapped[str | None] = mapped_column(String(300))
    proposal: Mapped[str | None] = mapped_column(Text)  # facts waiting for yes / no (JSON)

    checkin: Mapped[CheckIn] = relationship(back_populates="questions")

    __table_args__ = (
        UniqueConstraint("checkin_id", "deal_id", "field"),
        Index("ix_checkin_questions_deal", "deal_id", "field"),
    )


class RiskWarning(Base):
    """A rule a deal crossed. At most one open warning per deal and rule."""

    __tablename__ = "warnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    rule_id: Mapped[str] = mapped_column(String(64))
    severity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    raised_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    escalated_at: Mapped[dt.datetime | None]
    notified_at: Mapped[dt.datetime | None]
    resolved_at: Mapped[dt.datetime | None]
    message_ref: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any] | None]

    __table_args__ = (
        Index(
            "uq_warnings_open_deal_rule",
            "deal_id",
            "rule_id",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
        Index("ix_warnings_manager", "manager_id", "resolved_at"),
    )


class WarningFeedback(Base):
    """A manager's verdict on a warning: useful, not useful, handled."""

    __tablename__ = "warning_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    verdict: Mapped[str] = mapped_column(String(20))
    given_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint("verdict IN ('useful', 'not_useful', 'handled')", name="verdict"),
        Index("ix_warning_feedback_warning", "warning_id"),
    )


class Digest(Base):
    """A weekly digest as sent, kept so next week can show the change."""

    __tablename__ = "digests"

    id: Mapped[int] = mapped_column(primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    figures: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("manager_id", "period_start"),)


class Briefing(Base):
    """A champion briefing: drafted, edited, approved by the rep, then delivered."""

    __tablename__ = "briefings"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    writer: Mapped[str] = mapped_column(String(40))
    champion_name: Mapped[str | None] = mapped_column(String(200))
    champion_email: Mapped[str | None] = mapped_column(String(320))
    shared_content: Mapped[dict[str, Any]]
    rep_content: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    approved_at: Mapped[dt.datetime | None]
    delivered_at: Mapped[dt.datetime | None]
    delivered_via: Mapped[str | None] = mapped_column(String(20))
    delivered_to: Mapped[str | None] = mapped_column(String(320))

    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'approved', 'delivered', 'discarded', 'blocked')",
            name="status",
        ),
    )


class OutboxMessage(Base):
    """A message to deliver, written in the same transaction as what caused it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    transport: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    not_after: Mapped[dt.datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    external_ref: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]

    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_recipient", "recipient", "status"),
        CheckConstraint("status IN ('pending', 'sent', 'dead', 'expired')", name="status"),
    )


class ProcessedEvent(Base):
    """An inbound event id already handled: Slack and Teams retry, we act once."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_processed_events_received_at", "received_at"),)


class BriefingEdit(Base):
    """A rep's edit of a briefing in progress (one per rep): kept here, not in memory,
    so whichever bot process gets the rep's next message can continue it."""

    __tablename__ = "briefing_edits"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    briefing_id: Mapped[int] = mapped_column(
        ForeignKey("briefings.id", ondelete="CASCADE"), index=True
    )
    section: Mapped[str | None] = mapped_column(String(40))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BriefingSuggestion(Base):
    """The bot suggested a briefing for this deal: the row is the claim, so once per deal."""

    __tablename__ = "briefing_suggestions"

    deal_id: Mapped[int] = mapped_column(
        ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    suggested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SlackInstallation(Base):
    """A Slack workspace (or org) that installed the app through OAuth, with its bot token."""

    __tablename__ = "slack_installations"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(50), default="")
    team_id: Mapped[str] = mapped_column(String(50), default="")
    team_name: Mapped[str | None] = mapped_column(String(200))
    app_id: Mapped[str | None] = mapped_column(String(50))
    bot_token: Mapped[str] = mapped_column(String(300))
    bot_id: Mapped[str | None] = mapped_column(String(50))
    bot_user_id: Mapped[str | None] = mapped_column(String(50))
    bot_scopes: Mapped[str] = mapped_column(Text, default="")
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    installed_by: Mapped[str | None] = mapped_column(String(50))
    installed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("enterprise_id", "team_id"),)


class SlackOAuthState(Base):
    """An OAuth `state` handed out by /slack/install; consumed once by the redirect."""

    __tablename__ = "slack_oauth_states"

    state: Mapped[str] = mapped_column(String(100), primary_key=True)
    expires_at: Mapped[dt.datetime]


class SlackChannel(Base):
    """A Slack channel the bot was asked to post in (e.g. a digest), and its workspace."""

    __tablename__ = "slack_channels"

    channel_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(50))
    seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TeamsConversation(Base):
    """A Teams conversation the bot can write to (a personal chat, a channel, a group chat)
    and the Bot Framework conversation reference that makes a proactive message possible.
    Stored on install and refreshed on every turn, so a restart forgets nobody."""

    __tablename__ = "conversation_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    tenant: Mapped[str] = mapped_column(String(100), default="")
    team_id: Mapped[str | None] = mapped_column(String(400))
    user_id: Mapped[str | None] = mapped_column(String(400))
    aad_object_id: Mapped[str | None] = mapped_column(String(100))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    service_url: Mapped[str] = mapped_column(String(500))
    reference: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint("kind IN ('personal', 'channel', 'groupChat')", name="kind"),
        Index("ix_conversation_references_person", "person_id", "kind"),
        Index("ix_conversation_references_user", "aad_object_id", "user_id"),
    )


class CoachSession(Base):
    """A conversation with the coach that spans messages (today: a role-play), one per
    person: kept here, not in memory, so whichever bot process gets the next message
    continues it. `state` is the coach's own plain data (RolePlayState.as_dict)."""

    __tablename__ = "coach_sessions"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    state: Mapped[dict[str, Any]]
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("kind IN ('role_play')", name="kind"),)


class PendingCorrection(Base):
    """A correction the rep made outside a check-in, waiting for their yes / no / edit
    (one per person; the check-in's own wait on CheckInQuestion.proposal)."""

    __tablename__ = "pending_corrections"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    proposal: Mapped[str] = mapped_column(Text)  # bot/checkins/proposals.py Proposal (JSON)
    proposed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
