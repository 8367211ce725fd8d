"""One deal as the coach sees it, and the only door from its data into a reply.

Composers never read a value straight off the deal: they `cite` a source and get a
`Fact` that remembers where it came from. Sources:

- `deal.name|account|crm_id|stage|currency|owner|pause_reason`, `deal.amount`,
  `deal.close_date|stage_entered_on|paused_until` (dates), `deal.days_to_close`,
  `deal.days_in_stage` (counted from `today`);
- `answer.FIELD` (the latest real answer, as the playbook displays it) and
  `answer.FIELD.age` (its age in days);
- `stakeholder.NAME.name|title|exposure`;
- `risk.RULE.reason` and `risk.RULE.FACT` (the risk engine's finding and its facts);
- `today`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from coaching.briefing.deterministic import day
from coaching.briefing.view import StakeholderFacts
from coaching.coach.figures import money
from coaching.coach.text import Fact
from coaching.model import AnswerFact, DealFacts
from coaching.playbook import Playbook, StageGroup
from coaching.qualification import CardLine, QualificationCard, build_card
from coaching.risk import DealCase, Finding, RiskEngine, TeamBaseline

TEXT_ATTRIBUTES = ("name", "account", "crm_id", "stage", "currency", "pause_reason")
DATE_ATTRIBUTES = ("close_date", "stage_entered_on", "paused_until")


@dataclass(frozen=True, slots=True)
class PersonRef:
    """A buyer-side person the coach can name: their name and title as cited facts."""

    name: Fact
    title: Fact | None
    role: str | None
    exposure: int | None


@dataclass(frozen=True, slots=True)
class DealView:
    """A deal's qualification card, its owner, its risks (most severe first), its people."""

    card: QualificationCard
    owner: str
    group: StageGroup
    findings: tuple[Finding, ...]
    stakeholders: tuple[StakeholderFacts, ...]
    today: dt.date
    gaps: tuple[
        CardLine, ...
    ] = ()  # not known now (missing, not sure, stale), most important first

    @property
    def deal(self) -> DealFacts:
        return self.card.deal

    @property
    def severity(self) -> int:
        return max((finding.severity for finding in self.findings), default=0)

    @property
    def amount(self) -> Decimal:
        return self.card.deal.amount or Decimal(0)

    def finding(self, rule: str) -> Finding | None:
        return next((finding for finding in self.findings if finding.rule == rule), None)

    @property
    def signals(self) -> frozenset[str]:
        return frozenset(signal for finding in self.findings for signal in finding.signals)

    def is_paused(self) -> bool:
        return self.card.deal.is_paused(self.today)

    def unknown(self, key: str) -> bool:
        """Never answered, answered 'not sure', or waiting on the field it needs."""
        return self.card.value(key) is None

    def cite(self, source: str) -> Fact | None:
        """The fact at `source`, or None when the data holds nothing there."""
        fact = self._cite(source)
        return None if fact is None else replace(fact, deal_id=self.card.deal.id)

    def _cite(self, source: str) -> Fact | None:
        head, _, rest = source.partition(".")
        if head == "deal":
            return self._deal_fact(source, rest)
        if head == "answer":
            return self._answer_fact(source, rest)
        if head == "stakeholder":
            return self._stakeholder_fact(source, rest)
        if head == "risk":
            return self._risk_fact(source, rest)
        if head == "today":
            return Fact(source, self.today.isoformat(), day(self.today))
        raise ValueError(f"unknown fact source {source!r}")

    def _deal_fact(self, source: str, attribute: str) -> Fact | None:
        deal = self.card.deal
        if attribute in TEXT_ATTRIBUTES:
            value = getattr(deal, attribute)
            return Fact(source, value, value) if value else None
        if attribute == "owner":
            return Fact(source, self.owner, self.owner)
        if attribute == "amount":
            if deal.amount is None:
                return None
            return Fact(source, str(deal.amount), money(deal.amount, deal.currency))
        if attribute in DATE_ATTRIBUTES:
            value = getattr(deal, attribute)
            return Fact(source, value.isoformat(), day(value)) if value else None
        if attribute == "days_to_close":
            return _count(source, (deal.close_date - self.today).days if deal.close_date else None)
        if attribute == "days_in_stage":
            entered = deal.stage_entered_on or deal.created_on
            return _count(source, (self.today - entered).days if entered else None)
        raise ValueError(f"unknown fact source {source!r}")

    def _answer_fact(self, source: str, rest: str) -> Fact | None:
        key, _, attribute = rest.partition(".")
        card_line = self._line(key)
        if card_line is None or card_line.answer is None:
            return None
        if attribute == "age":
            return _count(source, card_line.age_days)
        value = self.card.value(key)
        if value is None:
            return None
        if card_line.spec.kind == "date":
            try:
                return Fact(source, value, day(dt.date.fromisoformat(value)))
            except ValueError:
                return Fact(source, value, value)
        return Fact(source, value, card_line.spec.display(value))

    def _line(self, key: str) -> CardLine | None:
        return next((item for item in self.card.lines if item.spec.key == key), None)

    def _stakeholder_fact(self, source: str, rest: str) -> Fact | None:
        name, _, attribute = rest.rpartition(".")
        person = self.stakeholder(name)
        if person is None:
            return None
        value = getattr(person, attribute) if attribute in ("name", "title", "exposure") else None
        return None if value is None else Fact(source, str(value), str(value))

    def _risk_fact(self, source: str, rest: str) -> Fact | None:
        rule, _, attribute = rest.partition(".")
        finding = self.finding(rule)
        if finding is None:
            return None
        if attribute == "reason":
            return Fact(source, finding.reason, finding.reason)
        value = finding.facts.get(attribute)
        return None if value is None else Fact(source, str(value), str(value))

    def stakeholder(self, name: str) -> StakeholderFacts | None:
        wanted = name.casefold()
        return next(
            (person for person in self.stakeholders if person.name.casefold() == wanted), None
        )

    def person(self, name_source: str, role: str) -> PersonRef | None:
        """The person an answer names (e.g. `answer.authority`), else the stakeholder with
        that deal role; with their title when a stakeholder record has one."""
        name = self.cite(name_source)
        if name is None:
            holder = next((person for person in self.stakeholders if person.role == role), None)
            if holder is None:
                return None
            name = self.cite(f"stakeholder.{holder.name}.name")
            assert name is not None
        return self.person_named(name, role)

    def person_named(self, name: Fact, role: str | None = None) -> PersonRef:
        holder = self.stakeholder(name.value)
        title = self.cite(f"stakeholder.{holder.name}.title") if holder else None
        exposure = holder.exposure if holder else None
        return PersonRef(name, title, holder.role if holder else role, exposure)

    @property
    def decision_maker(self) -> PersonRef | None:
        return self.person("answer.authority", "decision_maker")

    @property
    def champion(self) -> PersonRef | None:
        return self.person("answer.champion", "champion")


def _count(source: str, value: int | None) -> Fact | None:
    return None if value is None else Fact(source, str(value), str(value))


def build_view(
    playbook: Playbook,
    engine: RiskEngine,
    case: DealCase,
    *,
    now: dt.datetime,
    stakeholders: Sequence[StakeholderFacts] = (),
    baselines: dict[int, TeamBaseline] | None = None,
) -> DealView:
    """The coach's view of one deal: its card at `now` and the risks the engine finds."""
    answers: list[AnswerFact] = list(case.answers.answers)
    card = build_card(playbook, case.deal, answers, now)
    findings = sorted(engine.assess(case, baselines or {}), key=lambda found: -found.severity)
    group = playbook.group_of(case.deal.stage)
    order = {spec.key: index for index, spec in enumerate(playbook.fields)}
    gaps = sorted(
        card.gaps,
        key=lambda item: (-playbook.importance(item.spec, group), order[item.spec.key]),
    )
    return DealView(
        card, case.owner, group, tuple(findings), tuple(stakeholders), case.today, tuple(gaps)
    )
