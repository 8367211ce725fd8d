"""Appending answers, correcting them, and keeping the buyer's people in step.

History is append-only: a correction appends the right answer and marks the wrong
one superseded (when, by which answer); an undo marks it superseded, and appends the
value it had corrected again when it was a correction.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import takewhile

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coaching.playbook import NONE, UNKNOWN
from storage import question_context
from storage.models import Answer, Stakeholder
from storage.queries import CURRENT_ANSWER, answer_fact

PERSON_ROLES = {"authority": "decision_maker", "champion": "champion"}
MAX_FACTS_PER_REPLY = 20


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
    people_changed = value not in (UNKNOWN, NONE) and _keep_stakeholders(session, answer)
    question_context.answer_recorded(session, answer_fact(answer), people_changed)
    return answer


def current_answer(session: Session, deal_id: int, field: str) -> Answer | None:
    """The answer a deal's field has now (the latest not superseded), if any."""
    return session.scalars(
        select(Answer)
        .where(Answer.deal_id == deal_id, Answer.field == field, CURRENT_ANSWER)
        .order_by(Answer.answered_at.desc(), Answer.id.desc())
        .limit(1)
    ).first()


def last_reply(session: Session, person_id: int, since: dt.datetime) -> list[Answer]:
    """The answers the person's last reply since `since` recorded, not superseded, in
    the order recorded: one reply may record several facts, appended one after the
    other at the same moment with the same words."""
    recent = session.scalars(
        select(Answer)
        .where(Answer.person_id == person_id, Answer.answered_at >= since, CURRENT_ANSWER)
        .order_by(Answer.id.desc())
        .limit(MAX_FACTS_PER_REPLY)
    ).all()
    if not recent:
        return []
    last = recent[0]
    reply = takewhile(
        lambda answer: (answer.answered_at, answer.note) == (last.answered_at, last.note), recent
    )
    return list(reply)[::-1]


def value_of(session: Session, answer_id: int) -> str:
    """What an answer recorded."""
    return session.get_one(Answer, answer_id).value


def correct_answer(
    session: Session,
    answer_id: int,
    *,
    value: str,
    source: str,
    person_id: int | None,
    now: dt.datetime,
    confidence: float = 1.0,
    note: str | None = None,
) -> Answer | None:
    """Record `value` in place of a recorded answer: the right answer is appended and the
    wrong one superseded by it. None when that answer was already superseded (corrected
    or undone before: a second click, a retried event)."""
    wrong = session.get(Answer, answer_id)
    if wrong is None or not _supersede(session, answer_id, now):
        return None
    right = record_answer(
        session,
        deal_id=wrong.deal_id,
        field=wrong.field,
        value=value,
        source=source,
        person_id=person_id,
        now=now,
        confidence=confidence,
        note=note,
    )
    session.execute(update(Answer).where(Answer.id == answer_id).values(superseded_by=right.id))
    _forget_stakeholders(session, wrong)
    question_context.answers_changed(session, wrong.deal_id)
    return right


def undo_answer(session: Session, answer_id: int, now: dt.datetime) -> Answer | None:
    """Take a recorded answer back: it is superseded. When it was a correction, the value
    it corrected is appended again (the restored answer supersedes it), so an undo right
    after a correction brings that value back rather than a blank; otherwise the answer
    before it is the latest again. None when it was already superseded."""
    answer = session.get(Answer, answer_id)
    if answer is None or not _supersede(session, answer_id, now):
        return None
    corrected = session.scalars(
        select(Answer).where(Answer.superseded_by == answer_id).order_by(Answer.id.desc()).limit(1)
    ).first()
    if corrected is not None:
        restored = record_answer(
            session,
            deal_id=corrected.deal_id,
            field=corrected.field,
            value=corrected.value,
            source=corrected.source,
            person_id=corrected.person_id,
            now=now,
            confidence=corrected.confidence,
            note=corrected.note,
        )
        session.execute(
            update(Answer).where(Answer.id == answer_id).values(superseded_by=restored.id)
        )
    _forget_stakeholders(session, answer)
    question_context.answers_changed(session, answer.deal_id)
    return answer


def _supersede(session: Session, answer_id: int, now: dt.datetime) -> bool:
    """Mark an answer superseded, once: a conditional update, so two processes (or a
    retried event) cannot both correct it."""
    result = session.execute(
        update(Answer)
        .where(Answer.id == answer_id, CURRENT_ANSWER)
        .values(superseded_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(result, "rowcount", 0))


def _forget_stakeholders(session: Session, answer: Answer) -> None:
    """Remove the person a superseded answer added, unless a current answer still names
    them ("next quarter maybe" recorded as a decision maker, then corrected)."""
    added = session.scalars(select(Stakeholder).where(Stakeholder.added_by_answer == answer.id))
    for person in added:
        named = session.scalars(
            select(Answer.value).where(
                Answer.deal_id == answer.deal_id,
                Answer.field.in_(PERSON_ROLES),
                CURRENT_ANSWER,
            )
        )
        if all(split_name(value)[0].casefold() != person.name.casefold() for value in named):
            session.delete(person)
    session.flush()


def split_name(value: str) -> tuple[str, str | None]:
    """'Maria Lopez, CFO' / 'Maria Lopez (CFO)' / 'Maria Lopez - CFO' -> name and title."""
    match = re.match(r"^\s*([^,(\-–]+?)\s*(?:[,(\-–]\s*(.+?)\)?\s*)?$", value)
    if not match:
        return value.strip(), None
    return match.group(1), match.group(2) or None


def _keep_stakeholders(session: Session, answer: Answer) -> bool:
    """Add the person an answer names, or note the exposure to the decision maker;
    True when a stakeholder was added."""
    deal_id, field, value = answer.deal_id, answer.field, answer.value
    if field in PERSON_ROLES:
        name, title = split_name(value)
        if _stakeholder(session, deal_id, name) is None:
            session.add(
                Stakeholder(
                    deal_id=deal_id,
                    name=name,
                    title=title,
                    role=PERSON_ROLES[field],
                    added_by_answer=answer.id,
                )
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
        .where(Answer.deal_id == deal_id, Answer.field == field, CURRENT_ANSWER)
        .order_by(Answer.answered_at.desc(), Answer.id.desc())
        .limit(1)
    )
