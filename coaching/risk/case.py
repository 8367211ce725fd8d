"""What a rule sees (a deal's case in its context) and what it returns (a hit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from coaching.evidence.model import Activity
from coaching.evidence.model import Signal as TextSignal
from coaching.model import DealFacts
from coaching.playbook import Playbook, StageGroup
from coaching.risk.baseline import StageChange, TeamBaseline
from coaching.risk.config import RiskConfig
from coaching.risk.evidence import DealEvidence, Quote
from coaching.risk.history import AnswerHistory
from coaching.risk.wording import Signal, Wording

MAX_SEVERITY = 3


@dataclass(frozen=True, slots=True)
class DateChange:
    """A change of the CRM close date (from the deal's history)."""

    old: dt.date | None
    new: dt.date | None
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class DealCase:
    """Everything the rules see about one open deal, at the owner's `today`."""

    deal: DealFacts
    owner: str
    team: int | None
    today: dt.date
    answers: AnswerHistory
    close_date_changes: tuple[DateChange, ...] = ()
    activities: tuple[Activity, ...] = ()
    signals: tuple[TextSignal, ...] = ()
    """Read from the deal's notes, emails and description (lexicon and model), internal."""
    stage_changes: tuple[StageChange, ...] = ()


@dataclass(frozen=True)
class RuleContext:
    case: DealCase
    group: StageGroup
    config: RiskConfig
    wording: Wording
    playbook: Playbook
    baselines: Mapping[int, TeamBaseline]

    def display(self, field: str, value: str) -> str:
        return self.playbook.field(field).display(value)

    @cached_property
    def evidence(self) -> DealEvidence:
        case = self.case
        return DealEvidence(case.activities, case.signals, case.today)

    @property
    def stage_known(self) -> bool:
        """False when neither the playbook nor the import knows the deal's stage."""
        deal = self.case.deal
        return deal.stage_group is not None or self.playbook.knows_stage(deal.stage)

    @property
    def large(self) -> bool:
        """The deal's amount reaches the playbook's large-deal threshold."""
        amount, limit = self.case.deal.amount, self.playbook.large_deal_amount
        return amount is not None and limit is not None and amount >= limit


@dataclass(frozen=True, slots=True)
class Hit:
    severity: int
    signals: list[Signal]
    evidence: list[Quote] = field(default_factory=list)


Rule = Callable[[RuleContext], Hit | None]


def raised(severity: int, steps: int = 1) -> int:
    return min(MAX_SEVERITY, severity + steps)
