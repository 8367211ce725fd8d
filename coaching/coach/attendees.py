"""Who the rep is meeting: "the CFO", "Maria", "their IT director", "the champion".

A name is matched (fuzzily) to the deal's people; a title or role word to the role
table and then to the deal's person in that role. Someone the deal does not know
stays the rep's own words ("the CFO"), with the role those words mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from coaching.coach.deal_view import DealView, PersonRef
from coaching.coach.roles import DECISION_MAKER, RoleBook
from coaching.coach.text import Fact

REQUEST_WHO = "request.who"
NAME_SCORE = 85
_LEADING = re.compile(r"^(?:with\s+)?(?:the|their|our|my|a|an)\s+", re.IGNORECASE)
DEAL_ROLE_WORDS = {
    "decision maker": "decision_maker",
    "decision-maker": "decision_maker",
    "economic buyer": "decision_maker",
    "champion": "champion",
}


@dataclass(frozen=True, slots=True)
class Attendee:
    """The person a prep or a role-play is about."""

    name: Fact | None
    title: Fact | None
    role: str
    is_decision_maker: bool
    is_champion: bool
    exposure: Fact | None

    @property
    def key(self) -> str:
        """What a stored role-play keeps to find this person again."""
        if self.name is not None:
            return self.name.value
        return self.title.value if self.title is not None else ""


def find_attendee(view: DealView, who: str | None, roles: RoleBook) -> Attendee:
    """The deal's person `who` names, else someone in the role those words mean."""
    typed = re.sub(r"^with\s+", "", (who or "").strip(), flags=re.IGNORECASE).strip(" .?!")
    words = _LEADING.sub("", typed).strip()
    if not words:
        return Attendee(None, None, roles.default_role, False, False, None)
    deal_role = DEAL_ROLE_WORDS.get(words.lower())
    if deal_role is not None:
        person = view.decision_maker if deal_role == "decision_maker" else view.champion
        if person is not None:
            return _known(view, person, roles)
    person = _by_name(view, words) or _by_role(view, roles, roles.role_of(words))
    if person is not None:
        return _known(view, person, roles)
    role = roles.role_of(words) or roles.default_role
    return Attendee(None, Fact(REQUEST_WHO, typed, typed), role, False, False, None)


def _people(view: DealView) -> list[PersonRef]:
    people = [person for person in (view.decision_maker, view.champion) if person is not None]
    names = {person.name.value.casefold() for person in people}
    for holder in view.stakeholders:
        if holder.name.casefold() not in names:
            fact = view.cite(f"stakeholder.{holder.name}.name")
            if fact is not None:
                people.append(view.person_named(fact))
                names.add(holder.name.casefold())
    return people


def _by_name(view: DealView, words: str) -> PersonRef | None:
    wanted = words.casefold()
    best: tuple[float, PersonRef] | None = None
    for person in _people(view):
        name = person.name.value.casefold()
        first = name.split()[0] if name.split() else name
        score = 100.0 if wanted in (name, first) else fuzz.WRatio(wanted, name)
        if score >= NAME_SCORE and (best is None or score > best[0]):
            best = (score, person)
    return best[1] if best else None


def _by_role(view: DealView, roles: RoleBook, role: str | None) -> PersonRef | None:
    if role is None:
        return None
    for person in _people(view):
        if _role_of(person, roles) == role:
            return person
    return None


def _role_of(person: PersonRef, roles: RoleBook) -> str | None:
    return roles.role_of(person.title.value if person.title else None, person.role)


def _known(view: DealView, person: PersonRef, roles: RoleBook) -> Attendee:
    name = person.name.value.casefold()
    decision_maker, champion = view.decision_maker, view.champion
    is_dm = decision_maker is not None and decision_maker.name.value.casefold() == name
    is_champion = champion is not None and champion.name.value.casefold() == name
    exposure = view.cite("answer.exposure") if is_dm else None
    if exposure is None and view.stakeholder(person.name.value) is not None:
        exposure = view.cite(f"stakeholder.{person.name.value}.exposure")
    fallback = DECISION_MAKER if is_dm else roles.default_role
    return Attendee(
        name=person.name,
        title=person.title,
        role=_role_of(person, roles) or fallback,
        is_decision_maker=is_dm,
        is_champion=is_champion,
        exposure=exposure,
    )
