"""Plain domain records: what coaching reasons about, free of storage and transports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class DealFacts:
    """A deal as the coaching rules see it."""

    id: int
    crm_id: str
    name: str
    account: str | None
    amount: Decimal | None
    currency: str
    stage: str
    stage_entered_on: dt.date | None
    close_date: dt.date | None
    owner_id: int | None
    created_on: dt.date | None
    last_activity_on: dt.date | None
    status: str
    paused_until: dt.date | None = None
    pause_reason: str | None = None
    stage_entered_known: bool = True
    """False: the CRM gave no date; the deal is in its stage at least since stage_entered_on."""
    stage_group: str | None = None
    """early/middle/late when the import placed the deal (stage map, Commit forecast...)."""

    def is_paused(self, today: dt.date) -> bool:
        return self.paused_until is not None and today < self.paused_until


@dataclass(frozen=True, slots=True)
class AnswerFact:
    """One answer from the append-only history."""

    deal_id: int
    field: str
    value: str
    answered_at: dt.datetime
    source: str
    confidence: float = 1.0
    note: str | None = None


def answers_by_deal(answers: list[AnswerFact]) -> dict[int, list[AnswerFact]]:
    """Group an answer history by deal, keeping each deal's order."""
    grouped: dict[int, list[AnswerFact]] = {}
    for answer in answers:
        grouped.setdefault(answer.deal_id, []).append(answer)
    return grouped


def latest_answers(answers: list[AnswerFact]) -> dict[str, AnswerFact]:
    """The newest answer per field (ties keep the later one in the list)."""
    newest: dict[str, AnswerFact] = {}
    for answer in answers:
        current = newest.get(answer.field)
        if current is None or answer.answered_at >= current.answered_at:
            newest[answer.field] = answer
    return newest
