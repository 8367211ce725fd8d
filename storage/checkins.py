"""Check-in state: claimed slots, their questions, and the set-based reads a round needs.

A round reads every due rep's deals and latest answers in a fixed number of
statements per batch of reps, whatever the number of deals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value

from coaching.checkin_policy import RepRhythm
from coaching.model import AnswerFact, DealFacts
from storage.models import CheckIn, CheckInQuestion, Deal, Person, Stakeholder
from storage.queries import newest_answers
from storage.upsert import insert_ignoring_conflicts

OPEN = "open"


def rep_rhythms(session: Session, rep_ids: Iterable[int] | None = None) -> dict[int, RepRhythm]:
    """Every active rep's schedule inputs, with their team's (manager's) defaults."""
    manager = aliased(Person)
    query = (
        select(Person, manager.checkin_days, manager.checkin_time)
        .outerjoin(manager, Person.manager_id == manager.id)
        .where(Person.active.is_(True), Person.role == "rep")
    )
    if rep_ids is not None:
        query = query.where(Person.id.in_(list(rep_ids)))
    rhythms = {}
    for person, team_days, team_time in session.execute(query):
        rhythms[person.id] = RepRhythm(
            timezone=person.timezone,
            working_days=person.working_days,
            checkin_days=person.checkin_days,
            checkin_time=person.checkin_time,
            max_questions=person.max_questions,
            team_checkin_days=team_days,
            team_checkin_time=team_time,
            snoozed_until=person.snoozed_until,
            out_until=person.out_until,
        )
    return rhythms


DEAL_COLUMNS = (
    Deal.id, Deal.crm_id, Deal.name, Deal.account, Deal.amount, Deal.currency, Deal.stage,
    Deal.stage_entered_on, Deal.close_date, Deal.owner_id, Deal.created_on,
    Deal.last_activity_on, Deal.status, Deal.paused_until, Deal.pause_reason,
    Deal.stage_entered_known, Deal.stage_group,
)  # fmt: skip


def open_deals_by_owner(session: Session, owner_ids: list[int]) -> dict[int, list[DealFacts]]:
    """The owners' open deals as plain records (columns, not ORM objects: there are many)."""
    deals: dict[int, list[DealFacts]] = {owner: [] for owner in owner_ids}
    rows = session.connection().execute(
        select(*DEAL_COLUMNS)
        .where(Deal.owner_id.in_(owner_ids), Deal.status == "open")
        .order_by(Deal.id)
    )
    for row in rows:
        deals[row.owner_id].append(DealFacts(*row))  # type: ignore[call-arg]
    return deals


def latest_answers_by_deal(
    session: Session, owner_ids: list[int]
) -> dict[int, dict[str, AnswerFact]]:
    """deal id -> field -> the newest answer, for the open deals of these owners."""
    open_deals = select(Deal.id).where(Deal.owner_id.in_(owner_ids), Deal.status == "open")
    return newest_answers(session, open_deals)


def reps_with_open_checkin(session: Session, rep_ids: list[int]) -> set[int]:
    return set(
        session.scalars(
            select(CheckIn.rep_id).where(CheckIn.rep_id.in_(rep_ids), CheckIn.status == OPEN)
        )
    )


def claim_slots(session: Session, claims: list[dict[str, Any]], now: dt.datetime) -> dict[int, int]:
    """Insert check-ins (rep_id, slot, status, expires_at); returns rep -> id for new ones.

    A (rep, slot) another process already claimed is skipped: that is the guarantee
    that two bot processes never ask the same check-in twice.
    """
    rows = [{"kind": "scheduled", "created_at": now} | claim for claim in claims]
    inserted = insert_ignoring_conflicts(session, CheckIn, rows, ["rep_id", "slot"])
    if not inserted:
        return {}
    return dict(
        session.execute(select(CheckIn.rep_id, CheckIn.id).where(CheckIn.id.in_(inserted))).all()
    )


def add_questions(session: Session, rows: list[dict[str, Any]]) -> None:
    """Bulk insert questions (checkin_id, deal_id, field, position, status, asked_at...).

    Core executemany, one statement: the ORM's bulk insert would split the rows into a
    batch per pattern of None values.
    """
    if rows:
        session.execute(cast(Table, CheckInQuestion.__table__).insert(), rows)


def first_question_ids(session: Session, checkin_ids: list[int]) -> dict[int, int]:
    """checkin id -> id of its first question."""
    rows = session.execute(
        select(CheckInQuestion.checkin_id, CheckInQuestion.id).where(
            CheckInQuestion.checkin_id.in_(checkin_ids), CheckInQuestion.position == 0
        )
    )
    return dict(rows.all())


def open_checkin(session: Session, rep_id: int) -> CheckIn | None:
    return session.scalars(
        select(CheckIn)
        .where(CheckIn.rep_id == rep_id, CheckIn.status == OPEN)
        .order_by(CheckIn.id.desc())
    ).first()


def asked_question(session: Session, rep_id: int) -> CheckInQuestion | None:
    """The question waiting for the rep's answer in their open check-in, if any."""
    return session.scalars(
        select(CheckInQuestion)
        .join(CheckIn, CheckIn.id == CheckInQuestion.checkin_id)
        .where(CheckIn.rep_id == rep_id, CheckIn.status == OPEN, CheckInQuestion.status == "asked")
        .order_by(CheckInQuestion.id)
    ).first()


def settle_question(
    session: Session, question_id: int, status: str, now: dt.datetime, answer_id: int | None
) -> bool:
    """Move an asked question to answered/skipped; False if someone else already did."""
    result = session.execute(
        update(CheckInQuestion)
        .where(CheckInQuestion.id == question_id, CheckInQuestion.status == "asked")
        .values(status=status, answered_at=now, answer_id=answer_id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def pending_question(
    session: Session, checkin_id: int, deal_id: int, field: str
) -> CheckInQuestion | None:
    """The check-in's question on this deal and field, if it is still to be asked."""
    return session.scalars(
        select(CheckInQuestion).where(
            CheckInQuestion.checkin_id == checkin_id,
            CheckInQuestion.deal_id == deal_id,
            CheckInQuestion.field == field,
            CheckInQuestion.status == "pending",
        )
    ).first()


def first_asked_at(session: Session, checkin_id: int) -> dt.datetime | None:
    """When the check-in's first question was asked."""
    return session.scalar(
        select(func.min(CheckInQuestion.asked_at)).where(CheckInQuestion.checkin_id == checkin_id)
    )


def question_for_answer(
    session: Session, checkin_id: int, answer_id: int
) -> CheckInQuestion | None:
    """The check-in's question an answer settled, if any."""
    return session.scalars(
        select(CheckInQuestion).where(
            CheckInQuestion.checkin_id == checkin_id, CheckInQuestion.answer_id == answer_id
        )
    ).first()


def next_pending(session: Session, checkin_id: int) -> CheckInQuestion | None:
    return session.scalars(
        select(CheckInQuestion)
        .where(CheckInQuestion.checkin_id == checkin_id, CheckInQuestion.status == "pending")
        .order_by(CheckInQuestion.position)
    ).first()


def close_checkin(session: Session, checkin: CheckIn, status: str, now: dt.datetime) -> None:
    """End a check-in; its unasked and unanswered questions end with it."""
    checkin.status = status
    checkin.closed_at = now
    session.execute(
        update(CheckInQuestion)
        .where(
            CheckInQuestion.checkin_id == checkin.id,
            CheckInQuestion.status.in_(("pending", "asked")),
        )
        .values(status="expired" if status == "expired" else "skipped")
        .execution_options(synchronize_session=False)
    )


def start_checkin(
    session: Session,
    rep_id: int,
    planned: list[tuple[int, str]],
    now: dt.datetime,
    expires_at: dt.datetime,
) -> list[CheckInQuestion]:
    """A check-in the rep asked for, with its questions ((deal id, field), in order)."""
    checkin = CheckIn(
        rep_id=rep_id, kind="manual", status=OPEN, created_at=now, expires_at=expires_at
    )
    session.add(checkin)
    session.flush()
    questions = [
        CheckInQuestion(checkin_id=checkin.id, deal_id=deal_id, field=field, position=index)
        for index, (deal_id, field) in enumerate(planned)
    ]
    session.add_all(questions)
    session.flush()
    return questions


def checkin(session: Session, checkin_id: int) -> CheckIn:
    return session.get_one(CheckIn, checkin_id)


def question(session: Session, question_id: int | None) -> CheckInQuestion | None:
    return session.get(CheckInQuestion, question_id) if question_id else None


def reread(session: Session, question: CheckInQuestion) -> None:
    """Read the question's row again (another click or process may have settled it)."""
    session.refresh(question)


def question_statuses(session: Session, checkin_id: int) -> list[str]:
    return list(
        session.scalars(
            select(CheckInQuestion.status).where(CheckInQuestion.checkin_id == checkin_id)
        )
    )


def waiting_for_a_reminder(session: Session, cutoff: dt.datetime) -> list[CheckInQuestion]:
    """Questions asked before `cutoff` in open check-ins that had no reminder yet."""
    return list(
        session.scalars(
            select(CheckInQuestion)
            .join(CheckIn, CheckIn.id == CheckInQuestion.checkin_id)
            .where(
                CheckIn.status == OPEN,
                CheckIn.reminded_at.is_(None),
                CheckInQuestion.status == "asked",
                CheckInQuestion.asked_at <= cutoff,
            )
        )
    )


def claim_reminders(session: Session, checkin_ids: list[int], now: dt.datetime) -> set[int]:
    """Mark these check-ins reminded; returns those this call marked (not another process)."""
    if not checkin_ids:
        return set()
    claimed = session.scalars(
        update(CheckIn)
        .where(CheckIn.id.in_(checkin_ids), CheckIn.reminded_at.is_(None))
        .values(reminded_at=now)
        .returning(CheckIn.id)
        .execution_options(synchronize_session=False)
    )
    return set(claimed)


def overdue(session: Session, now: dt.datetime) -> list[CheckIn]:
    """Open check-ins past their expiry."""
    return list(
        session.scalars(select(CheckIn).where(CheckIn.status == OPEN, CheckIn.expires_at <= now))
    )


def unclaimed(session: Session, due: dict[int, dt.datetime]) -> dict[int, dt.datetime]:
    """Drop (rep, slot) pairs already claimed, by this process or another."""
    taken = set(
        session.execute(
            select(CheckIn.rep_id, CheckIn.slot).where(
                CheckIn.rep_id.in_(list(due)), CheckIn.slot.in_(set(due.values()))
            )
        ).all()
    )
    return {rep: slot for rep, slot in due.items() if (rep, slot) not in taken}


def stakeholder_names(session: Session, deal_ids: list[int]) -> dict[int, list[str]]:
    """deal id -> the names of its buyer's people, oldest first (one statement)."""
    names: dict[int, list[str]] = {}
    rows = session.execute(
        select(Stakeholder.deal_id, Stakeholder.name)
        .where(Stakeholder.deal_id.in_(deal_ids))
        .order_by(Stakeholder.id)
    )
    for deal_id, name in rows:
        names.setdefault(deal_id, []).append(name)
    return names


def settle(session: Session, question: CheckInQuestion, status: str, now: dt.datetime) -> bool:
    """Move an asked question to answered/skipped unless someone else already did; the
    loaded question is told what was stored, without reading it back (and without the
    ORM writing it again)."""
    if not settle_question(session, question.id, status, now, None):
        return False
    set_committed_value(question, "status", status)
    set_committed_value(question, "answered_at", now)
    return True
