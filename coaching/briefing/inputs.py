"""What a model writer is given: the same inputs the deterministic writer works from,
as lines of data (the shareable view only, typed and named).

The buyer's facts typed (cost, saving, volume), the people in the decision meeting with
their role's questions and what answers each (the deal's facts, the seller profile's
entries), the seller profile itself, and the kind of risk the deal runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from coaching.briefing.facts import summary_facts
from coaching.briefing.meeting import attendees, concerns
from coaching.briefing.roles import RoleTable
from coaching.briefing.seller import (
    Answering,
    Differentiator,
    Guarantee,
    Option,
    ProofPoint,
    ReferenceProgramme,
    SellerProfile,
)
from coaching.briefing.view import ShareableDeal

NOT_GIVEN = "(not given)"


@dataclass(frozen=True, slots=True)
class WriterInputs:
    """One deal's briefing inputs as lines of text, each list never empty."""

    facts: list[str]
    buyer_facts: list[str]
    decision_makers: list[str]
    attendees: list[str]
    seller: list[str]
    missing: list[str]


def writer_inputs(view: ShareableDeal, roles: RoleTable) -> WriterInputs:
    facts = summary_facts(view.summary)
    people = attendees(view, roles)
    asked = concerns(people, roles, view.seller, view.product, facts)
    lines = []
    for item in asked:
        answers = [f"{fact.kind}: {fact.text}" for fact in item.facts]
        answers += [entry_line(entry) for entry in item.entries]
        answered = "; ".join(answers) if answers else "nothing given answers it"
        lines.append(f"{item.attendee.who} asks “{item.question}” Answered by: {answered}")
    lines += [f"{person.who}: role unknown" for person in people if not person.concerns]
    return WriterInputs(
        facts=_given(
            f"{fact.label}: {fact.display}" + (" (may be out of date)" if fact.stale else "")
            for fact in view.facts
        ),
        buyer_facts=_given(f"{fact.kind}: {fact.text}" for fact in facts),
        decision_makers=_given(person.described for person in view.decision_makers),
        attendees=_given(lines),
        seller=_given(seller_lines(view.seller, view.product)),
        missing=_given(
            f"{item.attendee.who}: “{item.question}”" for item in asked if not item.answered
        ),
    )


def seller_lines(seller: SellerProfile | None, product: str | None) -> list[str]:
    """The seller profile's entries about this product, one line each."""
    if seller is None:
        return []
    lines = [f"company: {seller.company}"]
    found = seller.product(product)
    if found:
        lines.append(f"product: {found.name}: {found.summary}")
    lines += [entry_line(entry) for entry in seller.entries() if entry.about(product)]
    return lines


def entry_line(entry: Answering) -> str:
    if isinstance(entry, ProofPoint):
        return f"proof point: {entry.who} {entry.result}"
    if isinstance(entry, Option):
        first = " (a smaller first step)" if entry.first_step else ""
        return f"implementation option{first}: {entry.name}: {entry.text}"
    if isinstance(entry, Guarantee):
        return f"guarantee: {entry.text}"
    if isinstance(entry, ReferenceProgramme):
        return f"reference programme: {entry.text}"
    assert isinstance(entry, Differentiator)
    criterion = f" (the question it answers: {entry.criterion})" if entry.criterion else ""
    return f"differentiator: {entry.text}{criterion}"


def _given(lines: Iterable[str]) -> list[str]:
    return list(lines) or [NOT_GIVEN]
