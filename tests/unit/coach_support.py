"""Hand-built deals as the coach sees them (views), for the coach's unit tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from risk_support import ENGINE, NOW, TODAY, answer, case, days_ago, deal

from coaching.briefing import StakeholderFacts
from coaching.coach import DealView, Fact, Reply, build_view, default_kit, yaml_texts
from coaching.model import AnswerFact, DealFacts
from coaching.risk import DateChange

KIT = default_kit(ENGINE.wording)
PLAYBOOK = ENGINE.playbook
OWN_TEXTS = yaml_texts()


# An answer for every playbook field that no risk rule minds.
HEALTHY = {
    "money": "confirmed",
    "authority": "Ines Duarte",
    "exposure": "4",
    "need": "defined",
    "buying_phase": "preference",
    "late_entry": "no",
    "vision_owner": "named_person",
    "champion": "Omar Haddad",
    "champion_prefers_us": "yes",
    "champion_can_fund": "yes",
    "champion_sells": "yes",
    "compelling_event": "Their carrier contract ends in April",
    "decision_date": (TODAY + dt.timedelta(days=30)).isoformat(),
    "competitors": "Routeify",
    "next_step": "Pilot review",
    "next_step_date": (TODAY + dt.timedelta(days=3)).isoformat(),
}


def person(
    name: str, title: str | None = None, role: str | None = None, exposure: int | None = None
) -> StakeholderFacts:
    return StakeholderFacts(name, title, role, None, exposure, True, None)


def view(
    facts: DealFacts | None = None,
    answers: list[AnswerFact] | None = None,
    stakeholders: tuple[StakeholderFacts, ...] = (),
    close_date_changes: tuple[DateChange, ...] = (),
    owner: str = "Dana Rep",
) -> DealView:
    deal_case = replace(case(facts, answers, close_date_changes), owner=owner)
    return build_view(PLAYBOOK, ENGINE, deal_case, now=NOW, stakeholders=stakeholders)


def late_deal(**changes: object) -> DealFacts:
    """A deal in Negotiation (late), recently touched, closing in three weeks."""
    base = {
        "name": "Globex fleet rollout",
        "account": "Globex Corp",
        "amount": Decimal(84000),
        "stage": "Negotiation/Review",
        "stage_entered_on": days_ago(10),
        "created_on": days_ago(60),
        "close_date": TODAY + dt.timedelta(days=21),
    }
    return deal(**(base | changes))


def globex(
    extra: list[AnswerFact] | None = None, close_date_changes: tuple[DateChange, ...] = ()
) -> DealView:
    """A late deal far from its decision maker (exposure 2) with a champion who passed
    one test of three, a compelling event and confirmed money."""
    answers = [
        answer("money", "confirmed", 5),
        answer("authority", "Ines Duarte", 5),
        answer("exposure", "2", 5),
        answer("need", "defined", 5),
        answer("buying_phase", "decision", 5),
        answer("champion", "Omar Haddad", 5),
        answer("champion_prefers_us", "yes", 5),
        answer("compelling_event", "Their carrier contract ends in April", 5),
        answer("next_step", "Security review with their IT", 2),
        answer("next_step_date", (TODAY + dt.timedelta(days=4)).isoformat(), 2),
        answer("decision_date", (TODAY + dt.timedelta(days=18)).isoformat(), 5),
        answer("vision_owner", "named_person", 5),
    ]
    return view(
        late_deal(),
        answers + (extra or []),
        (
            person("Ines Duarte", "Chief Financial Officer", "decision_maker", 2),
            person("Omar Haddad", "Head of Dispatch", "champion"),
            person("Lena Park", "IT Director", "it"),
        ),
        close_date_changes,
    )


def sections(reply: Reply) -> dict[str, list[str]]:
    return {
        section.heading.text: [item.text for item in section.items] for section in reply.sections
    }


def cited(deal_view: DealView) -> Callable[[Fact], str | None]:
    """A resolver that reads a fact's source back from the view it came from."""

    def resolve(fact: Fact) -> str | None:
        found = deal_view.cite(fact.source) if fact.deal_id == deal_view.deal.id else None
        return found.value if found else None

    return resolve
