"""Read queries shared by the bot's use cases, returning coaching's plain records."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coaching.model import AnswerFact, DealFacts
from storage.models import Answer, Deal, Person


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


def open_deals(session: Session, owner_id: int) -> list[DealFacts]:
    """The owner's open deals, largest first."""
    rows = session.scalars(
        select(Deal)
        .where(Deal.owner_id == owner_id, Deal.status == "open")
        .order_by(Deal.amount.desc().nulls_last(), Deal.name)
    )
    return [deal_facts(deal) for deal in rows]


def answers_for(session: Session, deal_ids: Iterable[int]) -> list[AnswerFact]:
    """The full answer history of these deals, oldest first."""
    ids = list(deal_ids)
    if not ids:
        return []
    rows = session.scalars(
        select(Answer).where(Answer.deal_id.in_(ids)).order_by(Answer.answered_at, Answer.id)
    )
    return [answer_fact(answer) for answer in rows]


def deal_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Deal)) or 0
