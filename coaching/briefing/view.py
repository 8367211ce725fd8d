"""The shareable view of a deal: the only deal data a briefing writer ever sees.

`build_shareable_view` is the one door between a deal's stored facts and a template
or a prompt. It copies, field by field, what is marked shareable: the deal's shared
summary (never its CRM description), the answers of playbook fields flagged
`shareable` (never a rep's note on them), and the name, title and role of the
stakeholders marked shareable (never their notes, email or exposure). The view's
types have a fixed set of fields, so internal data cannot ride along by accident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from coaching.model import AnswerFact, latest_answers
from coaching.playbook import UNKNOWN, Playbook


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
        return f"{self.name} ({self.title})" if self.title else self.name

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


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

    account: str
    product: str | None
    summary: str | None
    rep_name: str
    facts: tuple[SharedFact, ...]
    people: tuple[SharedPerson, ...]
    today: dt.date

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

    def person(self, name: str | None) -> SharedPerson | None:
        """The shareable stakeholder with this name, or a bare name when only the
        (shareable) answer names them."""
        if not name:
            return None
        wanted = name.casefold()
        found = next((person for person in self.people if person.name.casefold() == wanted), None)
        return found or SharedPerson(name=name)

    def with_role(self, *roles: str) -> SharedPerson | None:
        return next((person for person in self.people if person.role in roles), None)

    @property
    def champion(self) -> SharedPerson | None:
        return self.person(self.value("champion")) or self.with_role("champion")

    @property
    def decision_maker(self) -> SharedPerson | None:
        return self.person(self.value("authority")) or self.with_role("decision_maker")

    def texts(self) -> list[str]:
        """Every piece of text in the view (what the guard treats as public)."""
        texts = [self.account, self.product or "", self.summary or "", self.rep_name]
        texts += [f"{fact.label} {fact.value} {fact.display}" for fact in self.facts]
        texts += [
            f"{person.name} {person.title or ''} {person.role or ''}" for person in self.people
        ]
        return [text for text in texts if text.strip()]


def build_shareable_view(
    playbook: Playbook,
    *,
    account: str,
    product: str | None,
    shared_summary: str | None,
    rep_name: str,
    answers: Sequence[AnswerFact],
    stakeholders: Sequence[StakeholderFacts],
    now: dt.datetime,
    today: dt.date,
) -> ShareableDeal:
    """The view of one deal, from its shareable data only."""
    facts = []
    for key, answer in latest_answers(list(answers)).items():
        spec = playbook.by_key.get(key)
        if spec is None or not spec.shareable or answer.value == UNKNOWN:
            continue
        age = (now - answer.answered_at).days
        facts.append(
            SharedFact(
                key=key,
                label=spec.label,
                value=answer.value,
                display=spec.display(answer.value),
                stale=age >= playbook.fresh_days(spec, answer.value),
            )
        )
    order = {spec.key: index for index, spec in enumerate(playbook.fields)}
    facts.sort(key=lambda fact: order[fact.key])
    people = tuple(
        SharedPerson(name=person.name, title=person.title, role=person.role)
        for person in stakeholders
        if person.shareable
    )
    return ShareableDeal(
        account=account,
        product=product,
        summary=(shared_summary or "").strip() or None,
        rep_name=rep_name,
        facts=tuple(facts),
        people=people,
        today=today,
    )
