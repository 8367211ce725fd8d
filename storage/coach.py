"""What the coach reads: open deals with what the risk scan reads of them (answers,
close-date and stage changes, the activity log and its signals) and their people,
scoped to one rep's deals or one manager's team, in seven statements whatever the
number of deals (per thousand deals); and the coach session a person has open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from coaching.briefing import StakeholderFacts
from coaching.evidence.model import Activity, Signal
from coaching.model import AnswerFact
from coaching.risk import DateChange, StageChange
from storage.activities import activities_for_deals, signals_for_deals
from storage.models import (
    CheckIn,
    CheckInQuestion,
    CoachSession,
    Deal,
    DealEvent,
    Person,
    Stakeholder,
)
from storage.queries import answers_for, deal_facts, event_date, stakeholder_facts
from storage.risk import OpenDeal

ID_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class DealRecord:
    """An open deal and everything the coach reads about it."""

    deal: OpenDeal
    answers: list[AnswerFact]
    close_date_changes: list[DateChange]
    stakeholders: list[StakeholderFacts]
    stage_changes: list[StageChange]
    activities: list[Activity]  # without their text: the signals carry the quotes
    signals: list[Signal]


def deal_records(
    session: Session,
    *,
    owner_ids: Sequence[int] | None = None,
    manager_id: int | None = None,
    deal_ids: Sequence[int] | None = None,
) -> list[DealRecord]:
    """Open deals of these owners, of this manager's reps, or with these ids (every
    filter given applies), largest first."""
    if owner_ids is None and manager_id is None and deal_ids is None:
        raise ValueError("deal_records needs a scope: owners, a manager or deal ids")
    query = _open_deals(owner_ids, manager_id, deal_ids)
    deals = [
        OpenDeal(deal_facts(deal), owner or "no owner", timezone or "UTC", manager)
        for deal, owner, timezone, manager in session.execute(query)
    ]
    ids = [deal.facts.id for deal in deals]
    answers: dict[int, list[AnswerFact]] = {}
    changes: dict[int, list[DateChange]] = {}
    people: dict[int, list[StakeholderFacts]] = {}
    stages: dict[int, list[StageChange]] = {}
    for chunk in _chunks(ids):
        for answer in answers_for(session, chunk):
            answers.setdefault(answer.deal_id, []).append(answer)
        for deal_id, change in _close_date_changes(session, chunk):
            changes.setdefault(deal_id, []).append(change)
        for deal_id, stage_change in _stage_changes(session, chunk):
            stages.setdefault(deal_id, []).append(stage_change)
        for deal_id, person in _stakeholders(session, chunk):
            people.setdefault(deal_id, []).append(person)
    logs = activities_for_deals(session, ids, with_text=False)
    signals = signals_for_deals(session, ids)
    return [
        DealRecord(
            deal,
            answers.get(deal.facts.id, []),
            changes.get(deal.facts.id, []),
            people.get(deal.facts.id, []),
            stages.get(deal.facts.id, []),
            logs.get(deal.facts.id, []),
            signals.get(deal.facts.id, []),
        )
        for deal in deals
    ]


def _open_deals(
    owner_ids: Sequence[int] | None, manager_id: int | None, deal_ids: Sequence[int] | None
) -> Select[Deal, str, str, int | None]:
    query = (
        select(Deal, Person.name, Person.timezone, Person.manager_id)
        .outerjoin(Person, Person.id == Deal.owner_id)
        .where(Deal.status == "open")
        .order_by(Deal.amount.desc().nulls_last(), Deal.name, Deal.id)
    )
    if owner_ids is not None:
        query = query.where(Deal.owner_id.in_(list(owner_ids)))
    if manager_id is not None:
        query = query.where(Person.manager_id == manager_id)
    if deal_ids is not None:
        query = query.where(Deal.id.in_(list(deal_ids)))
    return query


def _close_date_changes(session: Session, ids: list[int]) -> list[tuple[int, DateChange]]:
    rows = session.execute(
        select(DealEvent.deal_id, DealEvent.old_value, DealEvent.new_value, DealEvent.occurred_at)
        .where(DealEvent.deal_id.in_(ids), DealEvent.kind == "close_date")
        .order_by(DealEvent.occurred_at, DealEvent.id)
    )
    return [
        (deal_id, DateChange(event_date(old), event_date(new), at))
        for deal_id, old, new, at in rows
    ]


def _stage_changes(session: Session, ids: list[int]) -> list[tuple[int, StageChange]]:
    rows = session.execute(
        select(DealEvent.deal_id, DealEvent.old_value, DealEvent.new_value, DealEvent.occurred_at)
        .where(DealEvent.deal_id.in_(ids), DealEvent.kind == "stage")
        .order_by(DealEvent.occurred_at, DealEvent.id)
    )
    return [(deal_id, StageChange(old, new, at.date())) for deal_id, old, new, at in rows]


def _stakeholders(session: Session, ids: list[int]) -> list[tuple[int, StakeholderFacts]]:
    rows = session.scalars(
        select(Stakeholder).where(Stakeholder.deal_id.in_(ids)).order_by(Stakeholder.id)
    )
    return [(row.deal_id, stakeholder_facts(row)) for row in rows]


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + ID_CHUNK] for start in range(0, len(ids), ID_CHUNK)]


def team_members(session: Session, manager_id: int) -> list[tuple[int, str]]:
    """(id, name) of the active reps who report to this manager, by name."""
    rows = session.execute(
        select(Person.id, Person.name)
        .where(Person.manager_id == manager_id, Person.active.is_(True))
        .order_by(Person.name)
    )
    return [(person_id, name) for person_id, name in rows]


def checkins_answered(
    session: Session, rep_ids: Sequence[int], since: dt.datetime
) -> dict[int, tuple[int, int]]:
    """rep id -> (check-ins sent since `since`, how many of them got an answer)."""
    answered = (
        select(CheckInQuestion.checkin_id)
        .where(CheckInQuestion.status == "answered")
        .distinct()
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            CheckIn.rep_id,
            func.count(CheckIn.id),
            func.count(CheckIn.id).filter(CheckIn.id.in_(answered)),
        )
        .where(CheckIn.rep_id.in_(list(rep_ids)), CheckIn.created_at >= since)
        .group_by(CheckIn.rep_id)
    )
    return {rep_id: (sent, got) for rep_id, sent, got in rows}


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A conversation with the coach in progress: its kind, deal and the coach's state."""

    kind: str
    deal_id: int
    state: dict[str, Any]
    updated_at: dt.datetime


def save_session(
    session: Session,
    person_id: int,
    *,
    kind: str,
    deal_id: int,
    state: dict[str, Any],
    now: dt.datetime,
) -> None:
    """Keep (or replace) the person's coach session."""
    row = session.get(CoachSession, person_id)
    if row is None:
        session.add(
            CoachSession(
                person_id=person_id,
                kind=kind,
                deal_id=deal_id,
                state=state,
                started_at=now,
                updated_at=now,
            )
        )
        session.flush()
        return
    if (row.kind, row.deal_id) != (kind, deal_id):
        row.started_at = now
    row.kind, row.deal_id, row.state, row.updated_at = kind, deal_id, state, now


def open_session(session: Session, person_id: int) -> StoredSession | None:
    row = session.get(CoachSession, person_id)
    if row is None:
        return None
    return StoredSession(row.kind, row.deal_id, dict(row.state), row.updated_at)


def end_session(session: Session, person_id: int) -> None:
    session.execute(delete(CoachSession).where(CoachSession.person_id == person_id))
