"""The shareable view of a deal: the only deal data a briefing writer ever sees.

`build_shareable_view` is the one door between a deal's stored facts and a template
or a prompt. It copies, field by field, what is marked shareable: the deal's shared
summary (never its CRM description), the answers of playbook fields flagged
`shareable` (never a rep's note on them; of a person, only the name: what was typed
around it is internal), the name, title and role of the stakeholders marked shareable
(never their notes, email or exposure), the seller's own profile, and the kind of
risk the deal runs (a closed label that picks the briefing's emphasis, never text).
Never the deal name: CRM deal names carry internal notes. The view's types have a
fixed set of fields, so internal data cannot ride along by accident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from coaching.briefing.people import TypedPerson, split_people, split_person
from coaching.briefing.seller import SellerProfile
from coaching.model import AnswerFact, latest_answers
from coaching.playbook import UNKNOWN, Playbook

RiskKind = Literal["indecision", "status_quo", "competitor_ahead"]
RISK_KINDS: dict[str, RiskKind] = {
    "no_decision_indecision": "indecision",
    "late_entry": "competitor_ahead",
    "no_decision_status_quo": "status_quo",
}
CALENDAR_WORDS = (
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December"
)


@dataclass(frozen=True, slots=True)
class StakeholderFacts:
    """A buyer-side person as stored, internal parts included (input to the view only)."""

    name: str
    title: str | None
    role: str | None
    email: str | None
    exposure: int | None
    shareable: bool
    notes: str | None


@dataclass(frozen=True, slots=True)
class SharedPerson:
    """A stakeholder as a champion may read about them."""

    name: str
    title: str | None = None
    role: str | None = None

    @property
    def described(self) -> str:
        return (
            f"{self.name} ({self.title})" if self.title and self.title != self.name else self.name
        )

    @property
    def by_title(self) -> bool:
        """Known only by their title ("the COO")."""
        return self.title == self.name

    @property
    def first_name(self) -> str:
        return f"the {self.name}" if self.by_title else self.name.split()[0]


@dataclass(frozen=True, slots=True)
class SharedFact:
    """The latest answer of a shareable field; `stale` when the playbook says it is old."""

    key: str
    label: str
    value: str
    display: str
    stale: bool


@dataclass(frozen=True, slots=True)
class ShareableDeal:
    """What a briefing may say about a deal. Adding a field here is a deliberate act
    (tests/unit/test_briefing_view.py lists the allowed fields)."""

    account: str | None
    product: str | None
    summary: str | None
    rep_name: str
    facts: tuple[SharedFact, ...]
    people: tuple[SharedPerson, ...]
    today: dt.date
    seller: SellerProfile | None = None
    risk: RiskKind | None = None

    def fact(self, key: str) -> SharedFact | None:
        return next((fact for fact in self.facts if fact.key == key), None)

    def value(self, key: str) -> str | None:
        fact = self.fact(key)
        return fact.value if fact else None

    def date(self, key: str) -> dt.date | None:
        value = self.value(key)
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            return None

    def named(self, key: str) -> list[SharedPerson]:
        """The people a person answer names: each the shareable stakeholder of that name,
        or the name (and title) as answered when no stakeholder record holds them."""
        fact = self.fact(key)
        return [self._known(typed) for typed in split_people(fact.display)] if fact else []

    def _known(self, typed: TypedPerson) -> SharedPerson:
        wanted = typed.name.casefold()
        found = next((person for person in self.people if person.name.casefold() == wanted), None)
        return found or SharedPerson(name=typed.name, title=typed.title)

    def with_role(self, *roles: str) -> SharedPerson | None:
        return next((person for person in self.people if person.role in roles), None)

    @property
    def champion(self) -> SharedPerson | None:
        return next(iter(self.named("champion")), None) or self.with_role("champion")

    @property
    def decision_makers(self) -> list[SharedPerson]:
        """Who decides: the people the authority answer names ("the CFO and the COO"),
        else the stakeholder recorded as the decision maker."""
        recorded = self.with_role("decision_maker")
        return self.named("authority") or ([recorded] if recorded else [])

    @property
    def decision_maker(self) -> SharedPerson | None:
        return next(iter(self.decision_makers), None)

    def texts(self) -> list[str]:
        """What the guard treats as public: the names the deal's shareable records hold,
        the playbook's own labels, calendar words, and the seller profile. Free text typed
        into an answer or the summary is not in it: internal words found there still block
        (a shareable answer does not launder internal text)."""
        texts = [self.account or "", self.product or "", self.rep_name, CALENDAR_WORDS]
        texts += [fact.label for fact in self.facts]
        texts += [fact.display for fact in self.facts if fact.display != fact.value]
        texts += [person.described for person in self.people]
        texts += [person.described for person in (self.champion, *self.decision_makers) if person]
        if self.seller:
            texts += self.seller.public_texts()
        return [text for text in texts if text.strip()]


def risk_kind(findings: Iterable[tuple[str, int]]) -> RiskKind | None:
    """The kind of risk a briefing answers, from the deal's risk findings (rule id,
    severity): the most severe of the three kinds, ties in the order of RISK_KINDS."""
    order = list(RISK_KINDS)
    ranked = sorted(
        (-severity, order.index(rule), RISK_KINDS[rule])
        for rule, severity in findings
        if rule in RISK_KINDS
    )
    return ranked[0][2] if ranked else None


def build_shareable_view(
    playbook: Playbook,
    *,
    account: str | None,
    product: str | None,
    shared_summary: str | None,
    rep_name: str,
    answers: Sequence[AnswerFact],
    stakeholders: Sequence[StakeholderFacts],
    now: dt.datetime,
    today: dt.date,
    seller: SellerProfile | None = None,
    risk: RiskKind | None = None,
) -> ShareableDeal:
    """The view of one deal, from its shareable data only."""
    facts = []
    for key, answer in latest_answers(list(answers)).items():
        spec = playbook.by_key.get(key)
        if spec is None or not spec.shareable or answer.value == UNKNOWN:
            continue
        age = (now - answer.answered_at).days
        value, display = answer.value, spec.display(answer.value)
        if spec.kind == "person":  # names and titles; what was typed around them is internal
            named = [SharedPerson(typed.name, typed.title) for typed in split_people(value)]
            value = " and ".join(person.name for person in named)
            display = " and ".join(person.described for person in named)
        facts.append(
            SharedFact(
                key=key,
                label=spec.label,
                value=value,
                display=display,
                stale=age >= playbook.fresh_days(spec, answer.value),
            )
        )
    order = {spec.key: index for index, spec in enumerate(playbook.fields)}
    facts.sort(key=lambda fact: order[fact.key])
    people = tuple(
        SharedPerson(
            name=(typed := split_person(person.name)).name,
            title=person.title or typed.title,
            role=person.role,
        )
        for person in stakeholders
        if person.shareable
    )
    return ShareableDeal(
        account=(account or "").strip() or None,
        product=product,
        summary=(shared_summary or "").strip() or None,
        rep_name=rep_name,
        facts=tuple(facts),
        people=people,
        today=today,
        seller=seller,
        risk=risk,
    )
