"""What phrasing a check-in question needs (its deal, the deal's answers, the buyer's
people, the check-in's length), read at most once per transaction.

A turn often asks the next question about the same deal it just recorded an answer
for; the reads are remembered in the session's `info` (which lives exactly as long as
the transaction) and kept in step by `storage.answers.record_answer`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coaching.model import AnswerFact, DealFacts
from storage import queries
from storage.models import CheckInQuestion, Deal, Stakeholder

T = TypeVar("T")


def _remembered(session: Session, key: tuple[str, int], read: Callable[[], T]) -> T:
    memo: dict[tuple[str, int], Any] = session.info.setdefault("question_context", {})
    if key not in memo:
        memo[key] = read()
    return memo[key]


def deal(session: Session, deal_id: int) -> DealFacts:
    return _remembered(
        session, ("deal", deal_id), lambda: queries.deal_facts(session.get_one(Deal, deal_id))
    )


def history(session: Session, deal_id: int) -> list[AnswerFact]:
    return _remembered(
        session, ("history", deal_id), lambda: queries.answers_for(session, [deal_id])
    )


def stakeholder_names(session: Session, deal_id: int) -> tuple[str, ...]:
    return _remembered(
        session,
        ("names", deal_id),
        lambda: tuple(
            session.scalars(
                select(Stakeholder.name)
                .where(Stakeholder.deal_id == deal_id)
                .order_by(Stakeholder.id)
            )
        ),
    )


def stakeholders(session: Session, deal_id: int) -> tuple[tuple[str, str | None], ...]:
    """The buyer's people on a deal: (name, title), oldest first."""
    return _remembered(
        session,
        ("people", deal_id),
        lambda: tuple(
            (name, title)
            for name, title in session.execute(
                select(Stakeholder.name, Stakeholder.title)
                .where(Stakeholder.deal_id == deal_id)
                .order_by(Stakeholder.id)
            )
        ),
    )


def all_open_deals(session: Session) -> list[DealFacts]:
    """Every open deal, by name (for tools that ask about any deal)."""
    rows = session.scalars(select(Deal).where(Deal.status == "open").order_by(Deal.name))
    return [queries.deal_facts(deal) for deal in rows]


def question_count(session: Session, checkin_id: int) -> int:
    return _remembered(
        session,
        ("questions", checkin_id),
        lambda: (
            session.scalar(select(func.count()).where(CheckInQuestion.checkin_id == checkin_id))
            or 0
        ),
    )


def answers_changed(session: Session, deal_id: int) -> None:
    """Forget what was read about a deal whose answers were corrected or undone."""
    memo: dict[tuple[str, int], Any] = session.info.get("question_context", {})
    memo.pop(("history", deal_id), None)
    memo.pop(("names", deal_id), None)
    memo.pop(("people", deal_id), None)


def answer_recorded(session: Session, answer: AnswerFact, people_changed: bool) -> None:
    """Keep what was read in step with an answer just appended."""
    memo: dict[tuple[str, int], Any] = session.info.get("question_context", {})
    if ("history", answer.deal_id) in memo:
        memo["history", answer.deal_id] = [*memo["history", answer.deal_id], answer]
    if people_changed:
        memo.pop(("names", answer.deal_id), None)
        memo.pop(("people", answer.deal_id), None)
