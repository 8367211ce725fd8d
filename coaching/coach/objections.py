"""Which objections a stakeholder raises on this deal, how they say them, and whether
a rep's answer handled one.

The choice is explainable: each eligible objection scores by how typical it is of
the attendee's role (its place in the role's list) and how much the deal's risks and
gaps make it likely. The first pick is the role's likeliest objection, the second
the likeliest one the deal's own risks raise, then the likeliest of the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coaching.coach.attendees import Attendee
from coaching.coach.deal_view import DealView
from coaching.coach.roles import Objection, RoleBook
from coaching.coach.text import Line, Slot, fill
from coaching.playbook import UNKNOWN

RISK_WEIGHT = 1.5
ROLE_BONUS = 3.0
ROLE_STEP = 0.5
FACT_WORD = re.compile(r"[A-Za-z][A-Za-z-]{3,}")


@dataclass(frozen=True, slots=True)
class Scored:
    id: str
    role_score: float
    risk_score: float
    order: int
    for_attendee: bool  # raised only by this kind of attendee (the champion, the decision maker)

    @property
    def score(self) -> float:
        return RISK_WEIGHT * self.risk_score + self.role_score


def risk_score(objection: Objection, view: DealView) -> float:
    """How much this deal's findings and gaps make the objection likely."""
    found = objection.likelier.findings(view)
    score = float(max((finding.severity for finding in found), default=0))
    score += sum(1 for key in objection.likelier.unknown if view.unknown(key))
    return score


def choose_objections(
    view: DealView, attendee: Attendee, roles: RoleBook, limit: int = 3
) -> list[str]:
    """Up to `limit` objection ids for this attendee on this deal."""
    typical = roles.role(attendee.role).objections
    scored = []
    for order, (key, objection) in enumerate(roles.objections.items()):
        if not _eligible(objection, view, attendee):
            continue
        role_score = ROLE_BONUS - ROLE_STEP * typical.index(key) if key in typical else 0.0
        scored.append(
            Scored(key, role_score, risk_score(objection, view), order, bool(objection.attendee))
        )
    scored = [
        item for item in scored if item.role_score or _about_this_deal(roles.objections[item.id])
    ]
    ranked = sorted(
        scored,
        key=lambda item: (-item.score, not item.for_attendee, item.role_score == 0, item.order),
    )
    picks: list[Scored] = []
    for wanted in (lambda item: item.role_score > 0, lambda item: item.risk_score > 0):
        pick = next((item for item in ranked if wanted(item) and item not in picks), None)
        if pick is not None and len(picks) < limit:
            picks.append(pick)
    picks += [item for item in ranked if item not in picks][: max(0, limit - len(picks))]
    return [item.id for item in picks]


def _about_this_deal(objection: Objection) -> bool:
    """Raised whatever the role: it is about this deal's situation, not the role's."""
    return bool(objection.when.rules or objection.when.signals or objection.attendee)


def _eligible(objection: Objection, view: DealView, attendee: Attendee) -> bool:
    if objection.attendee == "decision_maker" and not attendee.is_decision_maker:
        return False
    if objection.attendee == "champion" and not attendee.is_champion:
        return False
    return objection.when.holds(view)


def says(objection: Objection, view: DealView, slots: dict[str, Slot]) -> Line:
    """What the stakeholder says: the first variant that holds, else the objection's line."""
    chosen = next((variant for variant in objection.variants if variant.when.holds(view)), None)
    return fill(chosen.say if chosen and chosen.say else objection.say, slots)


def points_made(objection: Objection, reply: str, view: DealView) -> list[str]:
    """The points of a good answer that the rep's reply makes, in the objection's order."""
    made = []
    for key, point in objection.points.items():
        hit = any(pattern.search(reply) for pattern in point.compiled)
        if not hit and point.from_fact:
            hit = _uses_fact(reply, view, point.from_fact)
        if hit:
            made.append(key)
    return made


def handled(objection: Objection, made: list[str]) -> bool:
    return len(made) >= objection.need


def _uses_fact(reply: str, view: DealView, source: str) -> bool:
    fact = view.cite(source)
    if fact is None or fact.value == UNKNOWN:
        return False
    words = {word.lower() for word in FACT_WORD.findall(fact.value)}
    said = {word.lower() for word in FACT_WORD.findall(reply)}
    return bool(words & said)
