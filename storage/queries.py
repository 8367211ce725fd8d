"""Read queries shared by the bot's use cases, returning coaching's plain records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Select, String, func, select, type_coerce
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

from coaching.briefing import StakeholderFacts
from coaching.model import AnswerFact, DealFacts
from storage.models import Answer, Deal, Person, Stakeholder


def deal_facts(deal: Deal) -> DealFacts:
    return DealFacts(
        id=deal.id,
        crm_id=deal.crm_id,
        name=deal.name,
        account=deal.account,
        amount=deal.amount,
        currency=deal.currency,
        stage=deal.stage,
        stage_entered_on=deal.stage_entered_on,
        close_date=deal.close_date,
        owner_id=deal.owner_id,
        created_on=deal.created_on,
        last_activity_on=deal.last_activity_on,
        status=deal.status,
        paused_until=deal.paused_until,
        pause_reason=deal.pause_reason,
        stage_entered_known=deal.stage_entered_known,
        stage_group=deal.stage_group,
    )


def answer_fact(answer: Answer) -> AnswerFact:
    return AnswerFact(
        deal_id=answer.deal_id,
        field=answer.field,
        value=answer.value,
        answered_at=answer.answered_at,
        source=answer.source,
        confidence=answer.confidence,
        note=answer.note,
    )


def stakeholder_facts(row: Stakeholder) -> StakeholderFacts:
    return StakeholderFacts(
        name=row.name,
        title=row.title,
        role=row.role,
        email=row.email,
        exposure=row.exposure,
        shareable=row.shareable,
        notes=row.notes,
    )


def event_date(value: str | None) -> dt.date | None:
    """A date kept in a deal event's text value ('2026-12-05' or a timestamp), or None."""
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def find_person(session: Session, who: str) -> Person | None:
    """A person by email (exact, any case) or by name (any case)."""
    who = who.strip()
    if "@" in who:
        return session.scalar(select(Person).where(func.lower(Person.email) == who.lower()))
    return session.scalars(
        select(Person).where(func.lower(Person.name) == who.lower()).order_by(Person.id)
    ).first()


def reps(session: Session) -> list[Person]:
    return list(
        session.scalars(
            select(Person)
            .where(Person.role == "rep", Person.active.is_(True))
            .order_by(Person.name)
        )
    )


def chat_people(session: Session) -> list[Person]:
    """Everyone who can chat with the bot in the terminal: active reps, then managers."""
    return list(
        session.scalars(
            select(Person)
            .where(Person.role.in_(("rep", "manager")), Person.active.is_(True))
            .order_by(Person.role.desc(), Person.name)
        )
    )


def open_deals(session: Session, owner_id: int) -> list[DealFacts]:
    """The owner's open deals, largest first."""
    rows = session.scalars(
        select(Deal)
        .where(Deal.owner_id == owner_id, Deal.status == "open")
        .order_by(Deal.amount.desc().nulls_last(), Deal.name)
    )
    return [deal_facts(deal) for deal in rows]


CURRENT_ANSWER = Answer.superseded_at.is_(None)  # corrected and undone answers count nowhere


def answers_for(session: Session, deal_ids: Iterable[int]) -> list[AnswerFact]:
    """The answer history of these deals (superseded answers left out), oldest first."""
    ids = list(deal_ids)
    if not ids:
        return []
    rows = session.scalars(
        select(Answer)
        .where(Answer.deal_id.in_(ids), CURRENT_ANSWER)
        .order_by(Answer.answered_at, Answer.id)
    )
    return [answer_fact(answer) for answer in rows]


def deal_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Deal)) or 0


def newest_answers(session: Session, deal_ids: Select[Any]) -> dict[int, dict[str, AnswerFact]]:
    """deal id -> field -> the newest answer, for the deals `deal_ids` selects.

    PostgreSQL picks them with DISTINCT ON; SQLite with MAX(), whose bare columns come
    from the row holding the maximum (a documented SQLite rule; its window-function plan
    walks the index at random and is slower). Rows are read through Core in one fetch:
    the ORM's and row-by-row handling would cost more than the query.
    """
    connection = session.connection()
    newest = (
        _newest_postgres(connection, deal_ids)
        if connection.dialect.name == "postgresql"
        else _newest_sqlite(connection, deal_ids)
    )
    latest: dict[int, dict[str, AnswerFact]] = {}
    for answer in newest:
        latest.setdefault(answer.deal_id, {})[answer.field] = answer
    return latest


ANSWER_COLUMNS = (Answer.deal_id, Answer.field, Answer.value, Answer.source, Answer.confidence)


def _newest_postgres(connection: Connection, deal_ids: Select[Any]) -> Iterator[AnswerFact]:
    rows = connection.execute(
        select(*ANSWER_COLUMNS, Answer.answered_at)
        .where(Answer.deal_id.in_(deal_ids), CURRENT_ANSWER)
        .ext(distinct_on(Answer.deal_id, Answer.field))
        .order_by(Answer.deal_id, Answer.field, Answer.answered_at.desc(), Answer.id.desc())
    ).all()
    for deal_id, field, value, source, confidence, answered_at in rows:
        yield AnswerFact(deal_id, field, value, answered_at, source, confidence)


def _newest_sqlite(connection: Connection, deal_ids: Select[Any]) -> Iterator[AnswerFact]:
    rows = connection.execute(
        select(*ANSWER_COLUMNS, func.max(type_coerce(Answer.answered_at, String)))
        .where(Answer.deal_id.in_(deal_ids), CURRENT_ANSWER)
        .group_by(Answer.deal_id, Answer.field)
    ).all()
    for deal_id, field, value, source, confidence, stored_at in rows:
        yield AnswerFact(deal_id, field, value, _stored_utc(stored_at), source, confidence)


def _stored_utc(text: str) -> dt.datetime:
    """SQLite keeps UTC datetimes as naive ISO text (see storage.models.UTCDateTime)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
