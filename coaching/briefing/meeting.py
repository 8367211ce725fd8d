"""Who will be in the decision meeting, what each of them will ask, and what answers it.

The people are the decision maker and the deal's shareable stakeholders (the
champion, who reads the note, excepted); meetings will add more when the evidence
engine lands. Each person's role comes from their title (roles.yaml); each concern of
that role is answered with the deal's own facts and the seller profile's entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from coaching.briefing.facts import Fact
from coaching.briefing.roles import Role, RoleTable
from coaching.briefing.seller import (
    Answering,
    Differentiator,
    Guarantee,
    Option,
    ProofPoint,
    ReferenceProgramme,
    SellerProfile,
)
from coaching.briefing.view import ShareableDeal, SharedPerson

MAX_ENTRIES = 2
ANSWER_ORDER = (Guarantee, ProofPoint, Option, ReferenceProgramme, Differentiator)


@dataclass(frozen=True, slots=True)
class Attendee:
    person: SharedPerson
    role: Role | None
    concerns: tuple[str, ...]
    decision_maker: bool

    @property
    def who(self) -> str:
        if self.person.title or self.role is None:
            return self.person.described
        return f"{self.person.name} ({self.role.label})"


@dataclass(frozen=True, slots=True)
class Concern:
    """One question a person will ask, and what answers it (deal facts, seller entries)."""

    attendee: Attendee
    key: str
    question: str
    facts: tuple[Fact, ...]
    entries: tuple[Answering, ...]

    @property
    def answered(self) -> bool:
        return bool(self.facts or self.entries)


def attendees(view: ShareableDeal, roles: RoleTable) -> list[Attendee]:
    """The decision makers first, then the other shareable people, the champion left out."""
    champion = view.champion
    deciders = view.decision_makers
    deciding = {person.name.casefold() for person in deciders}
    people = deciders + list(view.people)
    seen = {champion.name.casefold()} if champion else set()
    found = []
    for person in people:
        if person.name.casefold() in seen or person.role == "champion":
            continue
        seen.add(person.name.casefold())
        role = roles.role_of(person.title, person.role)
        is_decider = person.name.casefold() in deciding
        concerns = role.concerns if role else ()
        if is_decider and not concerns:
            concerns = roles.decision_maker_concerns
        found.append(Attendee(person, role, concerns, is_decider))
    return found


def concerns(
    people: list[Attendee],
    roles: RoleTable,
    seller: SellerProfile | None,
    product: str | None,
    facts: list[Fact],
) -> list[Concern]:
    """Every person's concerns, each with the facts and seller entries that answer it."""
    found = []
    for person in people:
        for key in person.concerns:
            entries = sorted(
                (
                    entry
                    for entry in (seller.entries() if seller else ())
                    if key in entry.answers and entry.about(product)
                ),
                key=lambda entry: ANSWER_ORDER.index(type(entry)),
            )
            found.append(
                Concern(
                    attendee=person,
                    key=key,
                    question=roles.concerns[key].question,
                    facts=tuple(_facts_for(key, facts)),
                    entries=tuple(entries[:MAX_ENTRIES]),
                )
            )
    return found


def _facts_for(key: str, facts: list[Fact]) -> list[Fact]:
    """The deal's facts that answer a concern: what the problem costs, what was gained."""
    if key == "payback":
        return [fact for fact in facts if fact.kind in ("cost", "saving")][:MAX_ENTRIES]
    return []
