"""The qualification card: for one deal, what is known, stale, unsure or missing."""

from __future__ import annotations

import datetime as dt
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
        """The latest answer's value when it is known (not 'unknown'), else None."""
        answer = self.line(key).answer
        return answer.value if answer and answer.value != UNKNOWN else None

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
        lines.append(_line(playbook, spec, answer, latest, now))
    return QualificationCard(deal, tuple(lines))


def _line(
    playbook: Playbook,
    spec: FieldSpec,
    answer: AnswerFact | None,
    latest: dict[str, AnswerFact],
    now: dt.datetime,
) -> CardLine:
    required = latest.get(spec.requires) if spec.requires else None
    if spec.requires and (required is None or required.value == UNKNOWN):
        return CardLine(spec, "waiting", answer, _age(answer, now))
    if answer is None:
        return CardLine(spec, "missing", None, None)
    age = _age(answer, now)
    if age is not None and age >= playbook.fresh_days(spec, answer.value):
        return CardLine(spec, "stale", answer, age)
    return CardLine(spec, "unsure" if answer.value == UNKNOWN else "known", answer, age)


def _age(answer: AnswerFact | None, now: dt.datetime) -> int | None:
    return None if answer is None else max(0, (now - answer.answered_at).days)
