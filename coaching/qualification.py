"""The qualification card: for one deal, what is known, stale, unsure or missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from coaching.model import AnswerFact, DealFacts, latest_answers
from coaching.playbook import UNKNOWN, FieldSpec, Playbook

Status = Literal["known", "unsure", "stale", "missing", "waiting"]
ASKABLE: frozenset[Status] = frozenset({"stale", "missing"})


@dataclass(frozen=True, slots=True)
class CardLine:
    """One field of the card. `waiting` means the field it requires is not known yet."""

    spec: FieldSpec
    status: Status
    answer: AnswerFact | None
    age_days: int | None

    @property
    def display(self) -> str | None:
        return self.spec.display(self.answer.value) if self.answer else None

    @property
    def askable(self) -> bool:
        return self.status in ASKABLE


@dataclass(frozen=True, slots=True)
class QualificationCard:
    deal: DealFacts
    lines: tuple[CardLine, ...]

    def line(self, key: str) -> CardLine:
        return next(line for line in self.lines if line.spec.key == key)

    def value(self, key: str) -> str | None:
        """The latest answer's value when it names something (not 'not sure', not 'there
        is no champion'), else None."""
        line = self.line(key)
        answer = line.answer
        return answer.value if answer and line.spec.holds(answer.value) else None

    @property
    def gaps(self) -> tuple[CardLine, ...]:
        return tuple(line for line in self.lines if line.status in {"stale", "missing", "unsure"})

    @property
    def coverage(self) -> float:
        """Share of the fields that can be asked now which hold a fresh, real answer."""
        relevant = [line for line in self.lines if line.status != "waiting"]
        known = sum(1 for line in relevant if line.status == "known")
        return known / len(relevant) if relevant else 1.0

    def placeholders(self, spec: FieldSpec) -> dict[str, str]:
        """Values for {deal}, {account} and {person} in a question or coaching line."""
        person = self.value(spec.requires) if spec.requires else None
        return {
            "deal": self.deal.name,
            "account": self.deal.account or self.deal.name,
            "person": person or "them",
        }


def build_card(
    playbook: Playbook, deal: DealFacts, answers: list[AnswerFact], now: dt.datetime
) -> QualificationCard:
    """Classify every playbook field of `deal` from its own answer history at `now`."""
    latest = latest_answers(answers)
    lines = []
    for spec in playbook.fields:
        answer = latest.get(spec.key)
        status, age = field_status(playbook, spec, latest, now)
        lines.append(CardLine(spec, status, answer, age))
    return QualificationCard(deal, tuple(lines))


def field_status(
    playbook: Playbook, spec: FieldSpec, latest: Mapping[str, AnswerFact], now: dt.datetime
) -> tuple[Status, int | None]:
    """A field's status and the age in days of its latest answer, from the latest answers.

    `waiting` when the field it requires names nothing yet (unanswered, not sure, or
    none: no champion to test); `stale` once an answer is older than the playbook's
    freshness ("not sure" goes stale sooner).
    """
    answer = latest.get(spec.key)
    age = None if answer is None else max(0, (now - answer.answered_at).days)
    if spec.requires:
        required = latest.get(spec.requires)
        if required is None or not playbook.field(spec.requires).holds(required.value):
            return "waiting", age
    if answer is None or age is None:
        return "missing", None
    if age >= playbook.fresh_days(spec, answer.value):
        return "stale", age
    return ("unsure" if answer.value == UNKNOWN else "known"), age
