"""Appending answers, and keeping the buyer's people in step with them."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.playbook import UNKNOWN
from storage import question_context
from storage.models import Answer, Stakeholder
from storage.queries import answer_fact

PERSON_ROLES = {"authority": "decision_maker", "champion": "champion"}


def record_answer(
    session: Session,
    *,
    deal_id: int,
    field: str,
    value: str,
    source: str,
    person_id: int | None,
    now: dt.datetime,
    confidence: float = 1.0,
    note: str | None = None,
) -> Answer:
    """Append one answer (never update), then keep the stakeholder list in step."""
    answer = Answer(
        deal_id=deal_id,
        field=field,
        value=value,
        source=source,
        person_id=person_id,
        answered_at=now,
        confidence=confidence,
        note=note,
    )
    session.add(answer)
    session.flush()
    people_changed = value != UNKNOWN and _keep_stakeholders(session, deal_id, field, value)
    question_context.answer_recorded(session, answer_fact(answer), people_changed)
    return answer


def value_of(session: Session, answer_id: int) -> str:
    """What an answer recorded."""
    return session.get_one(Answer, answer_id).value


def split_name(value: str) -> tuple[str, str | None]:
    """'Maria Lopez, CFO' / 'Maria Lopez (CFO)' / 'Maria Lopez - CFO' -> name and title."""
    match = re.match(r"^\s*([^,(\-–]+?)\s*(?:[,(\-–]\s*(.+?)\)?\s*)?$", value)
    if not match:
        return value.strip(), None
    return match.group(1), match.group(2) or None


def _keep_stakeholders(session: Session, deal_id: int, field: str, value: str) -> bool:
    """Add the person an answer names, or note the exposure to the decision maker;
    True when a stakeholder was added."""
    if field in PERSON_ROLES:
        name, title = split_name(value)
        if _stakeholder(session, deal_id, name) is None:
            session.add(
                Stakeholder(deal_id=deal_id, name=name, title=title, role=PERSON_ROLES[field])
            )
            return True
    elif field == "exposure" and value.isdecimal():
        decision_maker = _latest_value(session, deal_id, "authority")
        person = (
            _stakeholder(session, deal_id, split_name(decision_maker)[0])
            if decision_maker
            else None
        )
        if person is not None:
            person.exposure = int(value)
    return False


def _stakeholder(session: Session, deal_id: int, name: str) -> Stakeholder | None:
    rows = session.scalars(select(Stakeholder).where(Stakeholder.deal_id == deal_id))
    return next((row for row in rows if row.name.casefold() == name.casefold()), None)


def _latest_value(session: Session, deal_id: int, field: str) -> str | None:
    return session.scalar(
        select(Answer.value)
        .where(Answer.deal_id == deal_id, Answer.field == field)
        .order_by(Answer.answered_at.desc(), Answer.id.desc())
        .limit(1)
    )
